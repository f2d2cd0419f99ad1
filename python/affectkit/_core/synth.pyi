"""``affectkit._core.synth`` (``affectkit.synthetic`` wraps this).
"""

from typing import Any, Optional

def acted_corpus(
    n_items: int, n_speakers: int, classes: list[str], n_annotators: int, duration: tuple[float, float],
    sr: float, fps: float, seed: int, missing: float = 0.0, n_jobs: Optional[int] = None,
    trace_fps: Optional[float] = None,
) -> dict[str, Any]: ...
def dialogue_corpus(
    n_dialogues: int, turns: tuple[int, int], inertia: float, contagion: float, expressivity: float,
    n_speakers: int, classes: list[str], n_annotators: int, duration: tuple[float, float], sr: float, fps: float,
    seed: int, missing: float = 0.0, n_jobs: Optional[int] = None,
) -> dict[str, Any]: ...
