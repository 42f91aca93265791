"""dltutor: a terminal tutor that teaches deep learning with PyTorch.

The package is split so that each part can be used alone:

* the core (`content`, `workspace`, `checker`, `runner`, `store`, `session`)
  never imports Textual or torch;
* the child side (`harness`, `checkkit`) runs inside the checked process and is
  the only part that imports torch;
* the front ends (`cli`, and the Textual app) are thin clients of `session`.
"""

__version__ = "0.1.0"
