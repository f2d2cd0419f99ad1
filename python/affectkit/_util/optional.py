"""Optional dependencies: imported on first use, with an error that says how to install them."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, user: str, package: str, install: str) -> ModuleType:
    """``import module``, or an ``ImportError`` such as "affectkit.torch needs the 'torch'
    package (PyTorch): pip install torch, or pip install 'affectkit[torch]'"."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f"{user} needs the {package}: {install}") from e
