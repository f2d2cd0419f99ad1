"""Reading pickles that hold data only.

A pickle names the callables that rebuild its objects, so loading one can run any code.
:func:`load_data` admits plain containers, scalars and NumPy arrays and refuses every other
global with a :class:`~affectkit.errors.ReadError` naming the file and the global.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, Union

from ..errors import ReadError

# (module, name) pairs a data pickle needs: builtin containers and scalars, the ones
# Python 2 pickles name through __builtin__/copy_reg, collections' dicts, and what
# numpy's ndarray/dtype/scalar __reduce__ emit (numpy.core before 2.0, numpy._core after).
_ALLOWED = {
    ("builtins", n) for n in ("dict", "list", "tuple", "set", "frozenset", "str", "bytes", "bytearray", "int",
                              "float", "complex", "bool", "slice", "range")
} | {
    ("__builtin__", n) for n in ("dict", "list", "tuple", "set", "frozenset", "str", "unicode", "bytes", "int",
                                 "long", "float", "complex", "bool")
} | {
    ("collections", "OrderedDict"), ("collections", "defaultdict"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
}
# Python 3 pickles bytes at protocol <= 2 as _codecs.encode(text, "latin1"); only that
# codec is admitted (see _latin1_encode).
_ALLOWED |= {("_codecs", "encode")}
# copy_reg._reconstructor(cls, base, state) rebuilds Python 2 new-style objects; it is safe
# only because its class arguments must themselves pass find_class.
_ALLOWED |= {("copy_reg", "_reconstructor"), ("copyreg", "_reconstructor")}


def _latin1_encode(text: Any, encoding: str = "utf-8", errors: str = "strict") -> bytes:
    if not isinstance(text, str) or encoding.lower().replace("_", "-") not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError(f"_codecs.encode with {encoding!r} is not read")
    return text.encode("latin1", errors)


class _DataUnpickler(pickle.Unpickler):
    def __init__(self, f: Any, path: Path, **kw: Any) -> None:
        super().__init__(f, **kw)
        self._path = path

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise ReadError(f"{self._path}: the pickle refers to {module}.{name}; only plain containers, numbers, "
                            f"strings and NumPy arrays are read (a pickle can run code)")
        if (module, name) == ("_codecs", "encode"):
            return _latin1_encode
        if module == "__builtin__":
            module = "builtins"
            name = {"unicode": "str", "long": "int"}.get(name, name)
        if module == "copy_reg":
            module = "copyreg"
        return super().find_class(module, name)

    def persistent_load(self, pid: Any) -> Any:
        raise ReadError(f"{self._path}: the pickle uses persistent ids, which are not read")


def load_data(path: Union[str, Path], *, encoding: str = "latin1") -> Any:
    """Unpickle ``path`` admitting only data (containers, scalars, strings, NumPy arrays).

    Parameters
    ----------
    path : str or pathlib.Path
        The pickle file.
    encoding : str, default "latin1"
        How Python 2 ``str`` objects decode; ``"latin1"`` keeps NumPy arrays pickled by
        Python 2 intact (their buffers are ``str``), as NumPy's documentation advises.

    Returns
    -------
    object

    Raises
    ------
    affectkit.errors.ReadError
        Naming the file: missing, truncated or corrupt, or naming any other global.
    """
    path = Path(path).expanduser()
    try:
        with open(path, "rb") as f:
            return _DataUnpickler(f, path, encoding=encoding).load()
    except ReadError:
        raise
    except FileNotFoundError as e:
        raise ReadError(f"{path}: no such file") from e
    except IsADirectoryError as e:
        raise ReadError(f"{path}: is a folder, not a pickle file") from e
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError,
            UnicodeDecodeError, MemoryError, OverflowError) as e:
        raise ReadError(f"{path}: not a readable pickle ({type(e).__name__}: {e})") from e
