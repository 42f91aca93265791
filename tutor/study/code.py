"""What a study's cache is keyed by: the code without its design, and each setting."""

from __future__ import annotations

import ast
import hashlib
import json


def code_hash(source: str) -> str:
    """The sha256 of the file's syntax tree without its top-level `SETTINGS = ...`.

    Adding a setting, or editing a comment, keeps the hash (so finished settings
    stay cached); any change to the code that trains changes it. A file that does
    not parse is hashed as text (it will not run anyway)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return hashlib.sha256(source.encode("utf-8", "replace")).hexdigest()
    body = [node for node in tree.body if not _assigns_settings(node)]
    return hashlib.sha256(ast.dump(ast.Module(body=body, type_ignores=[])).encode("utf-8")).hexdigest()


def _assigns_settings(node: ast.stmt) -> bool:
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == "SETTINGS" for t in node.targets)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and node.target.id == "SETTINGS"
    return False


def setting_key(config: dict) -> str:
    """A setting's cache key: its canonical JSON (key order does not matter)."""
    return json.dumps(config, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
