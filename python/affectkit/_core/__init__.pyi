"""Type stubs for the Rust extension module ``affectkit._core``: one submodule per area.

Use the wrappers in ``affectkit`` (``ak.mfcc`` etc.); these are their low-level forms.
"""

from typing import Optional

from . import audio as audio
from . import face as face
from . import labels as labels
from . import metrics as metrics
from . import models as models
from . import pooling as pooling
from . import synth as synth

__version__: str
def resolve_n_jobs(n_jobs: Optional[int] = None) -> int: ...
def _debug_panic() -> None: ...
def _test_panic(on: bool) -> bool: ...
