"""Run one call in a forked child with a memory cap and a time limit.

The robustness tests feed affectkit inputs that once aborted the process (allocations
sized by a header field), hung it (unbounded iterations) or started thousands of threads.
Running each such call in the test process itself would take the test run down with it
when a regression comes back; in a child, a regression is one failed test that says what
happened (``signal 6``, ``timeout``, ``MemoryError``...).

``outcome(fn, *args)`` returns a small record: ``kind`` is ``"ok"`` (``value`` holds the
result, pickled back), ``"raised"`` (``exc_type`` and ``message``), ``"signal"``
(``signal`` number: the child died, e.g. SIGABRT from a failed allocation), ``"timeout"``
or ``"exit"`` (the child exited without reporting).
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

#: Address space the call may add in the child: big enough for a few pools of threads, far
#: below any of the runaway allocations these tests guard against.
MEMORY_CAP = 4 << 30


def _mapped_bytes() -> int:
    """Address space already mapped by this process (``VmSize``): a child forked from a
    long test session inherits the parent's mappings (thread stacks, malloc arenas, Burn),
    which can approach a fixed cap and make an ordinary allocation fail (abort, signal 6)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Outcome:
    kind: str
    value: Any = None
    exc_type: Optional[str] = None
    exc_mro: "list[str]" = field(default_factory=list)
    message: str = ""
    signal: Optional[int] = None
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.kind == "raised":
            return f"raised {self.exc_type}: {self.message}"
        if self.kind == "signal":
            return f"killed by signal {self.signal}"
        return f"{self.kind} after {self.seconds:.1f} s"

    def raised(self, name: str) -> bool:
        """Whether the call raised an exception of class ``name`` (or a subclass)."""
        return self.kind == "raised" and name in self.exc_mro


def outcome(fn: Callable[..., Any], *args: Any, timeout: float = 60.0, memory: int = MEMORY_CAP,
            **kwargs: Any) -> Outcome:
    """Calls ``fn(*args, **kwargs)`` in a forked child that may map ``memory`` bytes of address
    space beyond what it inherits, for at most ``timeout`` seconds of wall time."""
    r, w = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(r)
            cap = _mapped_bytes() + memory
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            try:
                value = fn(*args, **kwargs)
                try:
                    msg = pickle.dumps(("ok", value, None, [], ""))
                except Exception:  # an unpicklable result: report its repr
                    msg = pickle.dumps(("ok", repr(value), None, [], ""))
            except BaseException as e:  # noqa: BLE001 - report every kind, PanicException too
                mro = [c.__name__ for c in type(e).__mro__]
                msg = pickle.dumps(("raised", None, type(e).__name__, mro, str(e)[:2000]))
            with os.fdopen(w, "wb") as f:
                f.write(msg)
        except BaseException:  # noqa: BLE001
            code = 3
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    deadline = start + timeout
    status = None
    with os.fdopen(r, "rb") as f:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([f], [], [], min(left, 0.5))
            if ready:
                data = os.read(f.fileno(), 1 << 20)
                if not data:
                    # the child closed its end: it is exiting (or died); reap it
                    _, status = os.waitpid(pid, 0)
                    break
                chunks.append(data)
            else:
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = st
                    # drain what the child wrote before exiting
                    while True:
                        data = os.read(f.fileno(), 1 << 20)
                        if not data:
                            break
                        chunks.append(data)
                    break
    seconds = time.monotonic() - start
    if status is None:
        done, st = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            if not chunks:
                return Outcome("timeout", seconds=seconds)
        else:
            status = st
    if chunks:
        kind, value, exc_type, mro, message = pickle.loads(b"".join(chunks))
        return Outcome(kind, value=value, exc_type=exc_type, exc_mro=mro, message=message, seconds=seconds)
    if status is not None and os.WIFSIGNALED(status):
        return Outcome("signal", signal=os.WTERMSIG(status), seconds=seconds)
    return Outcome("exit", seconds=seconds)
