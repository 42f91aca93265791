"""Modal dialogs: confirmations, the device choice, the solution, summaries."""

from tutor.tui.dialogs.confirm import ConfirmDialog
from tutor.tui.dialogs.device import DeviceDialog
from tutor.tui.dialogs.solution import SolutionScreen
from tutor.tui.dialogs.summary import SummaryDialog

__all__ = ["ConfirmDialog", "DeviceDialog", "SolutionScreen", "SummaryDialog"]
