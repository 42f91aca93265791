"""Choosing where checks run: cpu, cuda (greyed out with the reason when unavailable) or auto."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.i18n import tr
from tutor.machine.gpus import DEVICES
from tutor.tui.dialogs.base import DIALOG_CSS, Dialog
from tutor.tui.messages import CudaState


def device_options(cuda: CudaState, lang: str) -> list[Option]:
    """One option per device; cuda is disabled, with its reason, unless the probe found a GPU."""
    options = []
    for device in DEVICES:
        if device == "cuda":
            if cuda.available:
                gpus = "; ".join(tr("tui.cuda.gpu", lang, name=name, free=free, total=total)
                                 for name, free, total in cuda.gpus)
                options.append(Option(tr("tui.device.cuda", lang, gpus=gpus), id=device))
            else:
                reason = tr(f"tui.cuda.{cuda.reason}", lang)
                options.append(Option(tr("tui.device.cuda_off", lang, reason=reason), id=device, disabled=True))
        else:
            options.append(Option(tr(f"tui.device.{device}", lang), id=device))
    return options


class DeviceDialog(Dialog[str | None]):
    """Dismisses with the chosen device, or None for Esc."""

    DEFAULT_CSS = "DeviceDialog {" + DIALOG_CSS + """
        & OptionList, & OptionList:focus { height: auto; max-height: 8; border: none; padding: 0; }
    }"""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, current: str, lang: str) -> None:
        super().__init__()
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Title, the options, the keys."""
        with Vertical(id="box"):
            yield Static(tr("tui.device.title", self.lang), id="box-title", markup=False)
            yield OptionList(id="devices")
            yield Static(tr("tui.device.keys", self.lang), classes="keys", markup=False)

    def on_mount(self) -> None:
        """Fill the list now and again when the GPU probe answers while the dialog is open."""
        self.watch(self.app, "cuda", self._fill, init=True)

    def _fill(self, cuda: CudaState) -> None:
        options = self.query_one("#devices", OptionList)
        options.set_options(device_options(cuda, self.lang))
        options.highlighted = options.get_option_index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an enabled option chooses it (disabled ones cannot be selected)."""
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Esc keeps the device as it was."""
        self.dismiss(None)
