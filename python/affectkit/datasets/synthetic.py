"""A synthetic acted-emotion corpus with known ground truth, for demos and tests.

:func:`make_acted_corpus` generates, in Rust and in parallel, what an acted corpus with
crowd annotations provides: speech, 68-point face landmark sequences and the answers of a
panel of annotators, together with the truth those answers are noisy copies of.

**It is synthetic.** Voices are Rosenberg glottal pulses through formant resonators
(Klatt 1980), faces a generic 3-D face deformed by prototype expressions. Emotion cues
move in the directions the literature reports (voice: Juslin and Laukka 2003,
*Psychological Bulletin* 129(5), 770-814, Table 7; face: Ekman's prototype expressions
as FACS action units), so models can learn them and the label-fusion methods have a
truth to be scored against. Accuracies measured on it show that a pipeline runs and
behaves sensibly; they say nothing about accuracy on real recordings. Never report them as
a benchmark.

>>> import affectkit as ak
>>> ds = ak.datasets.make_acted_corpus(40, n_speakers=4, seed=0)
>>> len(ds.audio), ds.landmarks[0].shape[1:], ds.classes
(40, (68, 2), ('neutral', 'happy', 'sad', 'angry', 'fearful'))
>>> r = ak.labels.dawid_skene(ds.annotations)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence, Tuple, Union
import numpy as np
from .. import _core
from ..errors import InputTypeError, ParameterError
from .manifest import annotations as manifest_annotations


#: Every emotion the generator can portray.
EMOTIONS = ("neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised")


#: The classes used when ``classes=None``.
DEFAULT_CLASSES = ("neutral", "happy", "sad", "angry", "fearful")


class ContinuousTraces:
    """Time-continuous valence and arousal of a synthetic corpus
    (``make_acted_corpus(..., traces=True)``): the truth and the ratings of lagged
    annotators, one array per item at ``fps``.

    Attributes
    ----------
    fps : float
        Frames per second of the traces (frame ``f`` at ``f / fps`` seconds).
    valence, arousal : list of ndarray of shape (n_frames_i,)
        The latent state that drove the voice and the face.
    valence_ratings, arousal_ratings : list of ndarray of shape (n_frames_i, n_annotators)
        What each annotator reported: the state ``lags_s`` seconds before (the first
        value before that), times ``gains``, plus ``offsets`` and smooth noise.
    lags_s, gains, offsets, noise : ndarray of shape (n_annotators,)
        Each annotator's reaction lag (1-3 s), gain (0.7-1.2), offset and noise
        standard deviation (0.03-0.10).
    """

    def __init__(self, fps: float, per_item: "list[dict[str, np.ndarray]]", raw: "dict[str, Any]") -> None:
        self.fps = fps
        for key in ("valence", "arousal", "valence_ratings", "arousal_ratings"):
            setattr(self, key, [d[key] for d in per_item])
        self.lags_s = np.asarray(raw["rater_lag_s"], dtype=np.float64)
        self.gains = np.asarray(raw["rater_gain"], dtype=np.float64)
        self.offsets = np.asarray(raw["rater_offset"], dtype=np.float64)
        self.noise = np.asarray(raw["rater_noise"], dtype=np.float64)

    def __repr__(self) -> str:
        return f"ContinuousTraces(n_items={len(self.valence)}, n_annotators={len(self.lags_s)}, fps={self.fps})"


@dataclass
class ActedCorpus:
    """The corpus :func:`make_acted_corpus` generates (a result; ``save`` writes it out).

    Attributes
    ----------
    audio : list of ndarray
        float32 clips at ``sr``.
    sr : int
        Sample rate, Hz.
    landmarks : list of ndarray
        ``(n_frames, 68, 2)`` float32 pixel coordinates of a 640 x 480 camera at ``fps``,
        iBUG order.
    fps : float
        Frames per second of the landmarks.
    labels : ndarray of str
        The portrayed (true) emotion per item.
    classes : tuple of str
        The emotions, in the order of ``confusions``.
    speakers : ndarray of str
        Speaker id per item.
    genders : ndarray of str
        ``"f"`` or ``"m"`` per item.
    manifest : pandas.DataFrame
        The shared manifest: corpus "synthetic", path "" (until ``save``), label = the
        portrayed emotion, a speaker-independent split (two speakers test, one dev),
        ``gender`` and ``annotations`` per row.
    annotations : pandas.DataFrame
        Long ``task, worker, label`` table for :mod:`affectkit.labels`.
    confusions : ndarray
        ``(n_annotators, K, K)`` true confusion matrices, rows = true class in ``classes``
        order.
    skills : tuple of str
        Per annotator: ``"good"``, ``"average"`` or ``"near-random"``.
    annotators : tuple of str, default ()
        Annotator ids (``annotator0``, ...).
    traces : ContinuousTraces or None, default None
        Valence/arousal traces and their lagged ratings (``traces=True``), else None.
    """

    audio: list
    sr: int
    landmarks: list
    fps: float
    labels: np.ndarray
    classes: Tuple[str, ...]
    speakers: np.ndarray
    genders: np.ndarray
    manifest: Any
    annotations: Any
    confusions: np.ndarray
    skills: Tuple[str, ...]
    annotators: Tuple[str, ...] = field(default=())
    traces: Optional[ContinuousTraces] = None

    def __len__(self) -> int:
        return len(self.audio)

    def save(self, folder: Union[str, Path]) -> Path:
        """Write the corpus to ``folder``: one 16-bit WAV per item (``<item>.wav``),
        ``manifest.csv`` (paths filled in, via :func:`affectkit.datasets.write_manifest`)
        and ``landmarks.npz`` (one array per item id), so the command-line tools can run
        on it.

        Parameters
        ----------
        folder : str or pathlib.Path
            Created if missing; ``~`` is expanded.

        Returns
        -------
        pathlib.Path
            The manifest's path.
        """
        import wave

        from .manifest import write_manifest

        folder = Path(folder).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        man = self.manifest.copy()
        paths = []
        for item, y in zip(man["item"], self.audio):
            p = (folder / f"{item}.wav").resolve()
            # 16-bit PCM through the standard library: no audio-writing dependency
            pcm = np.clip(np.round(np.asarray(y, dtype=np.float64) * 32768.0), -32768, 32767).astype("<i2")
            with wave.open(str(p), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(self.sr)
                w.writeframes(pcm.tobytes())
            paths.append(str(p))
        man["path"] = paths
        np.savez_compressed(folder / "landmarks.npz", **dict(zip(man["item"], self.landmarks)))
        return write_manifest(man, folder / "manifest.csv")


def _count(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputTypeError(f"{name}: expected an integer, got {type(value).__name__}")
    if value < minimum:
        raise ParameterError(f"{name}: expected an integer >= {minimum}, got {value}")
    return int(value)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"{name}: expected a number, got {type(value).__name__}")
    return float(value)


def _split(speaker_ids: Sequence[str]) -> "dict[str, str]":
    """Speaker-independent hold-out: the last 20 % of speakers (at least one) are test,
    the 10 % before them (at least one, from three speakers on) dev, the rest train.
    Speakers alternate male/female, so each part holds both when it has two or more."""
    n = len(speaker_ids)
    if n == 1:
        return {speaker_ids[0]: "train"}
    n_test = max(1, round(0.2 * n))
    n_dev = max(1, round(0.1 * n)) if n >= 3 else 0
    n_train = n - n_test - n_dev
    return {s: "train" if i < n_train else "dev" if i < n_train + n_dev else "test" for i, s in enumerate(speaker_ids)}


def make_acted_corpus(n_items: int = 600, *, n_speakers: int = 12, classes: Optional[Sequence[str]] = None,
                      n_annotators: int = 5, duration: Union[float, Tuple[float, float]] = (1.5, 3.0),
                      sr: int = 16000, fps: float = 30, seed: int = 0, missing: float = 0.0,
                      n_jobs: Optional[int] = None, traces: bool = False, trace_fps: float = 25.0) -> ActedCorpus:
    """Generate a synthetic acted-emotion corpus with crowd annotations (for demos and
    tests, not a benchmark of real-world accuracy; see the module docstring).

    Speakers alternate male and female and portray the ``classes`` in turn (balanced per
    speaker). Each speaker has a habitual F0 (about 115 Hz men, 205 Hz women), vocal-tract
    length (formants), tempo and level, and a face of its own. Per emotion the voice moves as
    in Juslin and Laukka (2003, Table 7): anger, happiness and fear raise F0; anger and
    happiness widen its range; sadness lowers F0, range, tempo, intensity and high-frequency
    energy; anger raises intensity and high-frequency energy; fear is fast with more jitter.
    The face shows Ekman's prototype (happy AU6+12, sad AU1+4+15, angry AU4+5+7+23, fearful
    AU1+2+4+5+20+26, surprised AU1+2+5+26, disgust AU9+15+16) with onset, apex and offset,
    plus talking, blinks, head motion and tracker noise.

    Annotators cycle good (accuracy 0.82-0.92), average (0.55-0.70), near-random (chance +
    0.03-0.10), good, average, ...; each answers from its own confusion matrix
    (Dawid and Skene 1979's model) and skips an item with probability ``missing``.

    Parameters
    ----------
    n_items : int, default 600
        Clips to generate.
    n_speakers : int, default 12
        Speakers; the last two are the test split, the one before them dev.
    classes : sequence of str or None, default None
        Names from :data:`EMOTIONS`; None = :data:`DEFAULT_CLASSES` (neutral, happy, sad,
        angry, fearful).
    n_annotators : int, default 5
        Simulated annotators (0: none).
    duration : float or (float, float), default (1.5, 3.0)
        Seconds per clip, a number or a ``(min, max)`` range (uniform).
    sr : int, default 16000
        Sample rate of the audio, Hz.
    fps : float, default 30
        Frame rate of the landmarks.
    seed : int, default 0
        The same seed gives the same corpus for any ``n_jobs``.
    missing : float, default 0.0
        Probability that an annotator skips an item.
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).
    traces : bool, default False
        Time-continuous valence and arousal (``ActedCorpus.traces``, a
        :class:`ContinuousTraces`). A latent state then moves within each item around the
        emotion's place on Russell's circumplex (an intensity and a slow drift, periods of
        2-8 s) and drives the voice (level +8 dB and F0 +3 semitones per unit of arousal
        above the item's mean) and the face (expression intensity), so audio and
        landmarks differ from ``traces=False``, which leaves every other output as it
        was. The ``n_annotators`` annotators also rate both dimensions, each with a
        reaction lag of 1-3 s, a gain, an offset and smooth noise (RECOLA-style ratings).
        Use items of several seconds (``duration``) for traces that vary within an item.
    trace_fps : float, default 25.0
        Frame rate of the traces (RECOLA's 25 Hz); ``floor(duration * trace_fps)``
        frames per item.

    Returns
    -------
    ActedCorpus

    Examples
    --------
    >>> ds = make_acted_corpus(20, n_speakers=4, seed=1)
    >>> ds.manifest.columns[:6].tolist()
    ['corpus', 'item', 'path', 'speaker', 'label', 'split']
    """

    n_items = _count(n_items, "n_items", 1)
    n_speakers, classes, n_annotators, duration, sr, fps, seed, missing = _checked(
        n_speakers, classes, n_annotators, duration, sr, fps, seed, missing)
    if not isinstance(traces, (bool, np.bool_)):
        raise InputTypeError(f"traces: expected True or False, got {traces!r}")
    trace_fps = _number(trace_fps, "trace_fps")
    raw = _core.synth.acted_corpus(n_items, n_speakers, list(classes), n_annotators, duration, float(sr), fps, seed,
                                   missing, n_jobs, trace_fps if traces else None)
    corpus = _assemble(raw, n_speakers, classes, n_annotators, sr, fps)
    if traces:
        corpus.traces = ContinuousTraces(trace_fps, raw["traces"], raw)
    return corpus


def _checked(n_speakers: Any, classes: Any, n_annotators: Any, duration: Any, sr: Any, fps: Any, seed: Any,
             missing: Any) -> "tuple[Any, ...]":
    """The shared arguments of the generators, checked and normalised."""
    n_speakers = _count(n_speakers, "n_speakers", 1)
    n_annotators = _count(n_annotators, "n_annotators", 0)
    seed = _count(seed, "seed", 0)
    if seed >= 2**64:
        raise ParameterError(f"seed: expected an integer below 2**64, got {seed}")
    if classes is None:
        classes = DEFAULT_CLASSES
    if isinstance(classes, str) or not all(isinstance(c, str) for c in classes):
        raise InputTypeError(f"classes: expected a sequence of emotion names, got {classes!r}")
    classes = tuple(classes)
    if isinstance(duration, numbers.Real) and not isinstance(duration, bool):
        duration = (float(duration), float(duration))
    if not (isinstance(duration, (tuple, list)) and len(duration) == 2):
        raise InputTypeError(f"duration: expected seconds or a (min, max) pair, got {duration!r}")
    duration = (_number(duration[0], "duration"), _number(duration[1], "duration"))
    return (n_speakers, classes, n_annotators, duration, _count(sr, "sr", 1), _number(fps, "fps"), seed,
            _number(missing, "missing"))


def _assemble(raw: "dict[str, Any]", n_speakers: int, classes: Tuple[str, ...], n_annotators: int, sr: int,
              fps: float, split: Optional["list[str]"] = None, columns: Optional["dict[str, Any]"] = None) -> ActedCorpus:
    """The :class:`ActedCorpus` of a ``_core.synth`` result; ``split`` per item (default:
    by speaker), ``columns`` added to the manifest after ``split``."""
    import pandas as pd

    n_items = len(raw["audio"])
    width = len(str(n_items - 1))
    items = [f"synthetic_{i:0{width}d}" for i in range(n_items)]
    spk_names = [f"spk{s:02d}" for s in range(n_speakers)]
    speakers = np.array([spk_names[s] for s in raw["speaker"]], dtype=object)
    genders = np.array(["f" if raw["female"][s] else "m" for s in raw["speaker"]], dtype=object)
    labels = np.array([classes[e] for e in raw["emotion"]], dtype=object)
    annotators = tuple(f"annotator{j}" for j in range(n_annotators))
    answers = raw["answers"]
    per_item = [{annotators[j]: classes[a] for j, a in enumerate(row) if a >= 0} for row in answers]
    if split is None:
        split_of = _split(spk_names)
        split = [split_of[s] for s in speakers]
    manifest = pd.DataFrame({
        "corpus": "synthetic",
        "item": items,
        "path": "",
        "speaker": speakers,
        "label": labels,
        "split": split,
        **(columns or {}),
        "gender": genders,
        "annotations": per_item,
    })
    long = manifest_annotations(manifest)
    skills = {"Good": "good", "Average": "average", "NearRandom": "near-random"}
    return ActedCorpus(audio=raw["audio"], sr=sr, landmarks=raw["landmarks"], fps=fps, labels=labels,
                       classes=classes, speakers=speakers, genders=genders, manifest=manifest, annotations=long,
                       confusions=raw["confusions"], skills=tuple(skills[s] for s in raw["skills"]),
                       annotators=annotators)


def make_dialogue_corpus(n_dialogues: int = 100, *, turns: Tuple[int, int] = (6, 12), inertia: float = 0.6,
                         contagion: float = 0.2, expressivity: float = 0.5, n_speakers: int = 12,
                         classes: Optional[Sequence[str]] = None, n_annotators: int = 0,
                         duration: Union[float, Tuple[float, float]] = (1.0, 2.0), sr: int = 16000, fps: float = 30,
                         seed: int = 0, missing: float = 0.0, n_jobs: Optional[int] = None) -> ActedCorpus:
    """Generate synthetic two-party conversations whose emotions follow a Markov process
    with set emotional inertia and contagion (for tests and demos of context models, not a
    benchmark of real-world accuracy; see the module docstring).

    Each dialogue has two speakers drawn from ``n_speakers``; party 0 speaks first and
    after each turn the other party takes the floor with probability 0.75. The emotion of
    a turn by party ``p`` is, with probability ``inertia``, ``p``'s own previous emotion
    (emotional inertia, Kuppens, Allen and Sheeber 2010); with probability ``contagion``,
    the other party's last emotion (emotional contagion, Hatfield, Cacioppo and Rapson
    1993); otherwise, or where that party has not spoken yet, a class drawn uniformly.
    With probability ``expressivity`` an utterance portrays its emotion, otherwise a class
    drawn uniformly (possibly the same): the utterance alone is then an unreliable cue and
    the context carries the rest, the situation emotion recognition in conversation
    models are built for. Each utterance is voiced and faced exactly like an item of
    :func:`make_acted_corpus` (same synthesis), and the annotators judge its true emotion.

    Parameters
    ----------
    n_dialogues : int, default 100
        Conversations to generate.
    turns : (int, int), default (6, 12)
        Turns per dialogue, uniform on this inclusive range (1 <= min <= max <= 1000).
    inertia : float, default 0.6
        Probability that a party keeps its own previous emotion.
    contagion : float, default 0.2
        Probability that a party takes the other party's last emotion
        (``inertia + contagion <= 1``).
    expressivity : float, default 0.5
        Probability that an utterance portrays its own emotion.
    n_speakers : int, default 12
        The speakers the dialogues draw their two parties from (at least 2).
    classes : sequence of str or None, default None
        As in :func:`make_acted_corpus`.
    n_annotators : int, default 0
        Simulated annotators (they judge each utterance's true emotion).
    duration : float or (float, float), default (1.0, 2.0)
        Seconds per utterance, a number or a ``(min, max)`` range (uniform).
    sr : int, default 16000
        Sample rate of the audio, Hz.
    fps : float, default 30
        Frame rate of the landmarks.
    seed : int, default 0
        The same seed gives the same conversations for any ``n_jobs``.
    missing : float, default 0.0
        Probability that an annotator skips an utterance.
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).

    Returns
    -------
    ActedCorpus
        One item per utterance, in dialogue and turn order. Its manifest adds ``dialogue``
        (``"dlg0000"``, ...), ``turn`` (0-based), ``party`` (0 = the first to speak) and
        ``portrayed`` (the class the voice and face show; ``label`` is the true emotion).
        ``split`` keeps whole dialogues on one side: the last 20 % of the dialogues test,
        the 10 % before them dev (speakers recur across the parts).

    Examples
    --------
    >>> import affectkit as ak
    >>> ds = ak.datasets.make_dialogue_corpus(4, turns=(3, 5), seed=0)
    >>> ds.manifest.columns[6:10].tolist()
    ['dialogue', 'turn', 'party', 'portrayed']
    >>> D = ak.dialogues.from_manifest(ds.manifest)
    >>> len(D)
    4
    """
    n_dialogues = _count(n_dialogues, "n_dialogues", 1)
    if not (isinstance(turns, (tuple, list)) and len(turns) == 2):
        raise InputTypeError(f"turns: expected a (min, max) pair of integers, got {turns!r}")
    turns = (_count(turns[0], "turns", 1), _count(turns[1], "turns", 1))
    inertia, contagion = _number(inertia, "inertia"), _number(contagion, "contagion")
    expressivity = _number(expressivity, "expressivity")
    n_speakers, classes, n_annotators, duration, sr, fps, seed, missing = _checked(
        n_speakers, classes, n_annotators, duration, sr, fps, seed, missing)
    raw = _core.synth.dialogue_corpus(n_dialogues, turns, inertia, contagion, expressivity, n_speakers,
                                      list(classes), n_annotators, duration, float(sr), fps, seed, missing, n_jobs)
    d = np.asarray(raw["dialogue"], dtype=np.int64)
    width = max(4, len(str(n_dialogues - 1)))
    n_test = max(1, round(0.2 * n_dialogues)) if n_dialogues > 1 else 0
    n_dev = max(1, round(0.1 * n_dialogues)) if n_dialogues >= 3 else 0
    first_dev, first_test = n_dialogues - n_test - n_dev, n_dialogues - n_test
    split = ["test" if i >= first_test else "dev" if i >= first_dev else "train" for i in d]
    portrayed = np.array([classes[e] for e in raw["portrayed"]], dtype=object)
    columns = {"dialogue": [f"dlg{i:0{width}d}" for i in d], "turn": np.asarray(raw["turn"], dtype=np.int64),
               "party": np.asarray(raw["party"], dtype=np.int64), "portrayed": portrayed}
    return _assemble(raw, n_speakers, classes, n_annotators, sr, fps, split=split, columns=columns)
