"""affectkit's exceptions.

Every error affectkit raises on purpose is an :class:`AffectkitError`, and also an instance
of the built-in class a caller would expect, so ``except ValueError`` keeps working:

- :class:`ParameterError` (``ValueError``): an argument has an unusable value; the
  message names the argument, what was expected and what was received.
- :class:`SettingsMismatchError` (a :class:`ParameterError`): features computed with other
  settings than a model expects (:mod:`affectkit.settings`).
- :class:`InputTypeError` (``TypeError``): an argument has the wrong type or dtype.
- :class:`ReadError` (``OSError``): a file could not be read or parsed (an OpenFace
  CSV, an annotation table); the message names the file.
- :class:`AudioLoadError` (a :class:`ReadError`): an audio file could not be read or
  decoded; the message names the file.
- :class:`InternalError` (``RuntimeError``): a bug in affectkit (a Rust panic is caught
  and reported as this instead of crashing the interpreter).

Warnings: :class:`LowRateWarning` (a ``UserWarning``): audio recorded at a lower rate than
a feature needs was upsampled (see :mod:`affectkit.features`).
"""


class AffectkitError(Exception):
    """Base class of affectkit's exceptions."""


class ParameterError(AffectkitError, ValueError):
    """An argument has an unusable value."""


class InputTypeError(AffectkitError, TypeError):
    """An argument has the wrong type, dtype or layout."""


class ReadError(AffectkitError, OSError):
    """A file could not be read or parsed."""


class AudioLoadError(ReadError):
    """An audio file could not be read or decoded."""


class SettingsMismatchError(ParameterError):
    """Features were computed with other settings than a model (or another table) expects:
    another preset, parameter, sample rate or feature definition version. The message
    names both sides (see :mod:`affectkit.settings`)."""


class InternalError(AffectkitError, RuntimeError):
    """An invariant inside affectkit broke. Please report it."""


class LowRateWarning(UserWarning):
    """Files whose native sample rate is below what a feature needs were upsampled: their
    features lack the content above half the native rate (e.g. eGeMAPS of 8 kHz telephone
    speech). Issued once per extraction run, naming the files."""


__all__ = ["AffectkitError", "ParameterError", "InputTypeError", "ReadError", "AudioLoadError", "InternalError",
           "SettingsMismatchError", "LowRateWarning"]
