"""The student's own files and progress: the workspace, the progress store, watching for saves.

`workspace` (stubs written once, never overwritten; resets with a backup),
`store` (SQLite progress, never silently lost) and `watching` (saves, by
events or by polling on network homes). `sqlitetx` and `storefiles` are the
store's internals (transactions and retries; private files and headers);
`privatefile` writes a file 0600, atomically, never through a planted link (the
hand-in). It may import `tutor.course` and `tutor.i18n`, never the checking machinery.

`watching` is not re-exported: it loads watchfiles, which only a watcher needs,
so import it as `tutor.progress.watching`.
"""

from tutor.progress.store import Attempt, ExerciseProgress, Store
from tutor.progress.workspace import BACKUP_DIR, Workspace, WorkspaceError

__all__ = ["Attempt", "BACKUP_DIR", "ExerciseProgress", "Store", "Workspace", "WorkspaceError"]
