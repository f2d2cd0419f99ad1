"""Evaluation the way the field argues about it: speaker-independent protocols,
cross-corpus runs, confidence intervals, calibration and fairness (guide:
``docs/evaluation.md``).

- Protocols (:mod:`.protocols`): :func:`splits` (leave-one-speaker-out,
  leave-one-session-out, speaker-disjoint k-fold, leave-one-corpus-out, cross-corpus,
  official splits, fold files), :func:`combine`, :func:`select` (IEMOCAP's 4-class set),
  :func:`read_fold_files` / :func:`write_fold_files` (EmoBox layout).
- :func:`cross_validate` and its :class:`CVResult` (:mod:`.cross_validate`).
- Normalisation (:mod:`.normalize`): :class:`SpeakerNormalizer`, :class:`CorpusNormalizer`.
- Statistics (:mod:`.stats`): :func:`bootstrap_ci`, :func:`paired_test`.
- Calibration (:mod:`.calibration`): :func:`calibration`, :class:`TemperatureScaler`.
- Fairness (:mod:`.fairness`): :func:`fairness`.
- Time-continuous traces (:mod:`.traces`): :func:`ccc_over_time`, :class:`TracePostprocessor`,
  :func:`shift_traces` (AVEC-style delay compensation, median smoothing, bias and scale correction).

The statistics are also ``ak.metrics.bootstrap_ci``, ``paired_test``, ``calibration``,
``fairness`` and ``ccc_over_time``; the transformers ``ak.SpeakerNormalizer`` and ``ak.TemperatureScaler``.

>>> import affectkit as ak
>>> man = ak.datasets.make_acted_corpus(40, n_speakers=4, seed=0).manifest
>>> len(ak.evaluation.splits(man, protocol="loso"))
4
"""

from .calibration import CalibrationResult, TemperatureScaler, calibration
from .cross_validate import CVResult, cross_validate
from .fairness import FairnessResult, fairness
from .normalize import CorpusNormalizer, SpeakerNormalizer
from .protocols import (PROTOCOLS, SELECTIONS, Fold, Folds, SpeakerOverlapWarning, combine, read_fold_files, select,
                        splits, write_fold_files)
from .stats import METRICS, ConfidenceInterval, PairedTestResult, bootstrap_ci, paired_test
from .traces import TracePostprocessor, ccc_over_time, shift_traces

__all__ = ["splits", "combine", "select", "read_fold_files", "write_fold_files", "Fold", "Folds", "PROTOCOLS",
           "SELECTIONS", "SpeakerOverlapWarning", "cross_validate", "CVResult", "SpeakerNormalizer",
           "CorpusNormalizer", "bootstrap_ci", "paired_test", "ConfidenceInterval", "PairedTestResult", "METRICS",
           "calibration", "CalibrationResult", "TemperatureScaler", "fairness", "FairnessResult"]
__all__ += ["ccc_over_time", "TracePostprocessor", "shift_traces"]
