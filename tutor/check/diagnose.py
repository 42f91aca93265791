"""Well-known PyTorch error messages, and what they usually mean for a student.

The raw message stays visible; the hint adds the sentence a teacher would say.
Patterns are matched against "ExcType: message"; the first match wins.
"""

from __future__ import annotations

import re

from tutor.i18n import Text
from tutor.check.verdict import both

_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"grad can be implicitly created only for (real )?scalar outputs"), "hint.backward_scalar"),
    (re.compile(r"[Oo]nly Tensors of floating point( and complex)? dtype can require gradients"), "hint.int_requires_grad"),
    (re.compile(r"a leaf Variable that requires grad is being used in an in-place operation"), "hint.inplace_leaf"),
    (re.compile(r"Trying to backward through the graph a second time"), "hint.backward_twice"),
    (re.compile(r"element 0 of tensors does not require grad"), "hint.no_grad_fn"),
    (re.compile(r"has no attribute 'backwards'"), "hint.backwards_typo"),
    (re.compile(r"Can't call numpy\(\) on Tensor that requires grad"), "hint.numpy_requires_grad"),
    (re.compile(r"can't convert cuda.* to numpy|can't convert .*device type tensor to numpy"), "hint.numpy_cuda"),
    (re.compile(r"Expected all tensors to be on the same device"), "hint.same_device"),
    (re.compile(r"(same dtype|scalar type|found dtype).*[Dd]ouble|[Dd]ouble.*(same dtype|!= float)"), "hint.float64"),
    (re.compile(r"(same dtype|scalar type|found dtype).*([Ll]ong|[Ii]nt)"), "hint.int_dtype"),
    (re.compile(r"mat1 and mat2 shapes cannot be multiplied"), "hint.matmul_shape"),
    (re.compile(r"The size of tensor a \(\d+\) must match the size of tensor b"), "hint.size_match"),
    (re.compile(r"Tensors must have same number of dimensions"), "hint.cat_ndim"),
    (re.compile(r"indexing tensors could not be broadcast together"), "hint.index_lengths"),
    (re.compile(r"expected a non-empty list of Tensors"), "hint.cat_empty"),
    (re.compile(r"zero-dimensional tensor .*cannot be concatenated"), "hint.cat_zero_dim"),
    (re.compile(r"Index tensor must have the same number of dimensions as input tensor"), "hint.gather_ndim"),
    (re.compile(r"a Tensor with \d+ elements cannot be converted to Scalar"), "hint.item_many"),
    (re.compile(r"mean\(\): could not infer output dtype.*Bool"), "hint.mean_bool"),
    (re.compile(r"Sizes of tensors must match except in dimension"), "hint.cat_sizes"),
    (re.compile(r"all elements of input should be between 0 and 1"), "hint.bce_range"),
    (re.compile(r"'list' object has no attribute '(parameters|to|forward)'"), "hint.plain_list"),
    (re.compile(r"cannot assign module before Module.__init__\(\) call"), "hint.super_init"),
    (re.compile(r"object has no attribute 'next'"), "hint.iter_next"),
    (re.compile(r"unsupported operand type\(s\) for [-*+]=?: '(float|Tensor|int)' and 'NoneType'|'NoneType' and '(float|Tensor|int)'"), "hint.grad_none"),
]


def hint_for(exc_type: str, message: str) -> Text | None:
    """The teaching hint for an exception, or None when it is not a known case."""
    text = f"{exc_type}: {message}"
    for pattern, key in _PATTERNS:
        if pattern.search(text):
            return both(key)
    return None


_SYNTAX: list[tuple[re.Pattern, str]] = [
    (re.compile(r"Perhaps you forgot a comma"), "syntax.comma"),
    (re.compile(r"^expected ':'"), "syntax.colon"),
    (re.compile(r"^'(?P<open>.)' was never closed"), "syntax.never_closed"),
    (re.compile(r"^unmatched '(?P<close>.)'"), "syntax.unmatched"),
    (re.compile(r"^closing parenthesis '(?P<close>.)' does not match opening parenthesis '(?P<open>.)'"), "syntax.mismatch"),
    (re.compile(r"^unexpected indent"), "syntax.unexpected_indent"),
    (re.compile(r"^expected an indented block after .* on line (?P<line>\d+)"), "syntax.indented_block"),
    (re.compile(r"^expected an indented block"), "syntax.indented_block_here"),
    (re.compile(r"^unindent does not match any outer indentation level"), "syntax.unindent"),
    (re.compile(r"inconsistent use of tabs and spaces"), "syntax.tabs"),
    (re.compile(r"^unterminated triple-quoted string"), "syntax.triple_quote"),
    (re.compile(r"^unterminated string literal"), "syntax.string"),
    (re.compile(r"^invalid non-printable character U\+3000"), "syntax.ideographic_space"),
    (re.compile(r"^invalid (non-printable )?character"), "syntax.character"),
    (re.compile(r"^invalid decimal literal"), "syntax.decimal"),
    (re.compile(r"^'return' outside function"), "syntax.return_outside"),
    (re.compile(r"^cannot assign to"), "syntax.assign"),
    (re.compile(r"^invalid syntax"), "syntax.invalid"),
]


def explain_syntax(message: str) -> Text:
    """Python's SyntaxError message said the way a teacher would, in both languages; the English
    side is Python's own message. Unknown messages get a general sentence in Japanese."""
    for pattern, key in _SYNTAX:
        match = pattern.search(message)
        if match:
            explained = both(key, **match.groupdict())
            return Text(ja=explained.ja, en=message)
    return Text(ja=both("syntax.other").ja, en=message)
