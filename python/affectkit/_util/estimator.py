"""scikit-learn base classes when scikit-learn is installed, a compatible stand-in when not.

affectkit's transformers follow scikit-learn's estimator contract (``__init__`` only
stores arguments; ``get_params``/``set_params``; ``fit`` returns ``self``) so they work in
pipelines, ``clone`` and grid search, without making scikit-learn a hard dependency.
"""

from __future__ import annotations

import inspect
from typing import Any


try:  # pragma: no cover - exercised in both environments
    from sklearn.base import BaseEstimator, TransformerMixin
except ImportError:  # pragma: no cover

    class BaseEstimator:  # type: ignore[no-redef]
        """Minimal ``get_params``/``set_params`` as scikit-learn defines them."""

        @classmethod
        def _get_param_names(cls) -> "list[str]":
            sig = inspect.signature(cls.__init__)
            return sorted(
                p.name
                for p in sig.parameters.values()
                if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
            )

        def get_params(self, deep: bool = True) -> "dict[str, Any]":
            return {k: getattr(self, k) for k in self._get_param_names()}

        def set_params(self, **params: Any) -> "BaseEstimator":
            valid = self._get_param_names()
            for k, v in params.items():
                if k not in valid:
                    raise ValueError(f"invalid parameter {k!r} for {type(self).__name__}; valid: {valid}")
                setattr(self, k, v)
            return self

        def __repr__(self) -> str:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
            return f"{type(self).__name__}({args})"

    class TransformerMixin:  # type: ignore[no-redef]
        def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
            return self.fit(X, y, **fit_params).transform(X)
