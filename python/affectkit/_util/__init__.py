"""Private helpers shared across affectkit's areas (validation, docstrings, progress,
optional imports, estimator bases). Not public API."""
