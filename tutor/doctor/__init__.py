"""`dltutor doctor`: what the tutor will use on this machine, each finding ok / warn / fail with a fix.

`findings` walks the course, the checking Python, workspace, store, data and
editor; `gpu` the cards and which one a check would take. It sits above
`tutor.session` (it reads an open session) and may import it and everything
below it, never a front end.
"""

from tutor.doctor.findings import Report, diagnose
from tutor.doctor.gpu import Line, gpu_lines

__all__ = ["Line", "Report", "diagnose", "gpu_lines"]
