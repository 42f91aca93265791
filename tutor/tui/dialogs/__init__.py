"""Modal dialogs: confirmations, the device choice, the solution, summaries, `a`'s results, `g`/`f` (jump and find)."""

from tutor.tui.dialogs.all_checks import AllChecksDialog

from tutor.tui.dialogs.confirm import ConfirmDialog
from tutor.tui.dialogs.device import DeviceDialog
from tutor.tui.dialogs.jump import JumpDialog
from tutor.tui.dialogs.solution import SolutionScreen
from tutor.tui.dialogs.summary import SummaryDialog

__all__ = ["AllChecksDialog", "ConfirmDialog", "DeviceDialog", "JumpDialog", "SolutionScreen", "SummaryDialog"]
