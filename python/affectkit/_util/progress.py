"""Progress reporting shared by the CLI, the demo and :func:`affectkit.features.extract` (a tqdm bar when installed, stage lines otherwise)."""

from __future__ import annotations

from typing import Any
import sys
import time


def progress_bar(total: int, progress: Any) -> Any:
    """The progress reporter ``extract`` uses.

    Parameters
    ----------
    total : int
        Number of files.
    progress : bool, None or object
        False/None: silent (returns None); True: tqdm when installed, else affectkit's
        terminal status line; an object with ``update(done, label)`` and ``close()``:
        itself.

    Returns
    -------
    object or None
    """
    if progress is None or progress is False:
        return None
    if progress is not True:
        return progress
    try:
        from tqdm.auto import tqdm
    except ImportError:
        pass

        return Progress(total)
    return _Tqdm(tqdm(total=total, unit="file"))


class _Tqdm:
    def __init__(self, bar: Any):
        self.bar = bar

    def update(self, done: int, label: str) -> None:
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


class Progress:
    """One status line on a terminal (stderr); silent when stderr is not a terminal."""

    def __init__(self, total: int, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.active = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()

    def update(self, done: int, label: str) -> None:
        if not self.active:
            return
        rate = done / max(time.perf_counter() - self.start, 1e-9)
        line = f"\r[{done}/{self.total}] {rate:6.1f} files/s  {label[-50:]:<50}"
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()
            self.active = False  # closing twice writes nothing


class Stages(Progress):
    """Progress over the named stages of one command: stage number, elapsed time, name."""

    def update(self, done: int, label: str) -> None:
        if not self.active:
            return
        elapsed = time.perf_counter() - self.start
        self.stream.write(f"\r[{done}/{self.total}] {elapsed:5.1f} s  {label[-60:]:<60}")
        self.stream.flush()
