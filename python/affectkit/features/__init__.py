"""The feature registry: one name per feature set, and extraction over manifests.

Every feature set maps a mono signal to either a *frame* matrix ``(n_frames, d)`` or a
*clip* vector ``(d,)``, with published column names:

=================  ======  =========================================================
name               level   definition (function, reference)
=================  ======  =========================================================
``mfcc``           frames  :func:`affectkit.mfcc` (librosa / Kaldi / HTK presets)
``logmel``         frames  :func:`affectkit.melspectrogram` with ``log=True``
``egemaps``        clip    :func:`affectkit.egemaps`: the 88 eGeMAPS v02 functionals
                           (Eyben et al. 2016; openSMILE's names)
``egemaps_lld``    frames  the 25 eGeMAPS v02 LLDs, one row per 10 ms
``gemaps``         clip    the 62 GeMAPS v01b functionals (:func:`affectkit.gemaps`)
``gemaps_lld``     frames  the 18 GeMAPS v01b LLDs, one row per 10 ms
``prosody``        clip    :func:`affectkit.prosody` (Praat definitions)
``voice_quality``  clip    :func:`affectkit.voice_quality` (Praat jitter/shimmer/HNR)
``f0``             frames  :func:`affectkit.f0`: columns ``hz`` (NaN unvoiced), ``prob``
``formants``       frames  :func:`affectkit.formants`: F1-F3 and bandwidths (Praat Burg)
=================  ======  =========================================================

:func:`featurize` computes them for one signal; :func:`extract` for a manifest (or a list
of files) into one table row per item, with frame features pooled into statistics
(columns ``mfcc_mean_0``, ``egemaps_lld_std_Loudness_sma3``; clip features keep their
names with the feature as prefix: ``egemaps_F0semitoneFrom27.5Hz_sma3nz_amean``,
``prosody_f0_mean_hz``). :func:`register` adds a feature set of your own.

Options: a keyword named after a feature holds that feature's settings
(``mfcc={"n_mfcc": 13}``); the common keywords ``preset`` (mfcc, logmel), ``n_mfcc``,
``deltas`` (mfcc), ``n_mels`` (logmel), ``method``, ``fmin``, ``fmax`` (f0) go to every
selected feature that takes them.

Defaults: one per feature, the function's own, the same from Python, the command line,
:class:`affectkit.torch.FeatureDataset` and :mod:`affectkit.distributed`: ``mfcc`` and
``logmel`` use ``preset="librosa"`` with the preset's own sizes (20 coefficients, 128
mel bands, ``n_fft=2048``, ``hop_length=512``); ``preset="kaldi"`` or ``"htk"`` is a
choice you make explicitly, and the table records it.

Settings: every table :func:`extract` and :func:`pool` return carries a settings record
(:mod:`affectkit.settings`) in ``table.attrs["affectkit"]``: the feature sets, every
parameter with its resolved default (for ``mfcc``/``logmel`` the preset's full
parameter set, :func:`affectkit.audio.resolved_params`; for the other features the
function's keywords), the analysis rate ``sr``, the pooling, and the items whose audio
was upsampled. :func:`settings` computes the same record without audio; :func:`write`
stores a table with it (parquet metadata, or a ``.json`` sidecar next to ``.csv`` and
``.npz``) and :func:`read` reads both back.

Low-rate audio: a file recorded below the rate a feature needs is upsampled to ``sr``
and lacks the content above half its native rate. What each feature needs:

=================  ==============================================================
feature            native rate needed
=================  ==============================================================
``mfcc``,          2 x the top of the mel filterbank: ``sr`` with the presets'
``logmel``         defaults (librosa ``fmax``, Kaldi ``high_freq``, HTK ``highfreq``)
``egemaps``,       16000 Hz (its spectral descriptors use the band up to 8 kHz)
``egemaps_lld``,
``gemaps``,
``gemaps_lld``
``formants``       2 x ``maximum_formant`` (11000 Hz with Praat's default 5500)
``f0``             2 x ``fmax`` (1200 Hz with the default 600)
``prosody``,       none (F0 and intensity only)
``voice_quality``
=================  ==============================================================

:func:`extract` warns once per run (:class:`~affectkit.errors.LowRateWarning`) naming
the first files and how many there are, lists them in ``table.low_rate`` (``item,
path, native_sr, features``) and the settings record the upsampled items. An analysis
rate ``sr`` below what a feature can work at (eGeMAPS below 16 kHz) is a
:class:`~affectkit.errors.ParameterError` before any file is read; so is any other
unusable option.

>>> import numpy as np, affectkit as ak
>>> y = np.sin(2 * np.pi * 220 * np.arange(16000) / 16000).astype(np.float32)
>>> f = ak.features.featurize(y, 16000, ["mfcc", "egemaps"])
>>> f["mfcc"].shape, f["egemaps"].shape
((32, 20), (88,))
"""

from .extraction import extract, item_ids, low_rate_message, settings
from .registry import FEATURES, Feature, available, featurize, register
from .table import FeatureTable, feature_columns, pool, read, write

__all__ = ["Feature", "FeatureTable", "FEATURES", "register", "available", "featurize", "extract", "pool",
           "item_ids", "settings", "feature_columns", "write", "read", "low_rate_message"]
