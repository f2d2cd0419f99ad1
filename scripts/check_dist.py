#!/usr/bin/env python3
"""Check a built affectkit wheel or sdist: name, tag, size, contents and metadata.

    python scripts/check_dist.py dist/affectkit-0.1.0-cp39-abi3-manylinux_2_17_x86_64....whl
    python scripts/check_dist.py dist/affectkit-0.1.0.tar.gz

Standard library only, so that it runs on every platform of the release workflow. Prints a
summary line and exits 1 with one line per problem. Checked:

- wheel: an abi3 tag for CPython >= 3.9 (``cp39-abi3``), a manylinux/macOS/Windows platform
  tag (never plain ``linux_*``, which PyPI refuses); the version is Cargo.toml's; exactly
  one compiled extension (``affectkit/_core.abi3.so`` or ``_core.pyd``); the package's
  Python modules, the ``_core`` stubs, ``py.typed``, the five bundled samples with their notice;
  the licence files in ``.dist-info/licenses``; METADATA with the SPDX licence expression,
  ``Requires-Python: >=3.9`` and the project URLs; nothing else (no tests, no test data,
  no Rust sources, no ``__pycache__``, no build artefacts); size under ``--max-mb``.
- sdist: what a clean build needs (Cargo.toml, Cargo.lock, pyproject.toml, src/, the Python
  package with the ``_core`` stubs, ``py.typed`` and samples, README, licences, notices) and
  nothing that is not (target/, .venv, tests/data, dist/, .git).
"""
from __future__ import annotations

import argparse
import re
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LICENCES = ("LICENSE-MIT", "LICENSE-APACHE", "THIRD-PARTY-NOTICES.md")
SAMPLES = 5
# Never in a wheel or sdist: build outputs, environments, caches, VCS and the test suites' data.
FORBIDDEN = re.compile(
    r"(^|/)(target|\.venv|venv|\.git|__pycache__|\.pytest_cache|\.hypothesis|dist|build)/"
    r"|\.pyc$|\.o$|\.rlib$|\.d$|(^|/)tests/data/"
)


def cargo_version() -> str:
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    m = re.search(r'^\[package\][^\[]*?^version\s*=\s*"([^"]+)"', text, re.M | re.S)
    if not m:
        raise SystemExit("no [package] version in Cargo.toml")
    return m.group(1)


def check_wheel(path: Path, max_mb: float) -> list[str]:
    problems = []
    version = cargo_version()
    m = re.fullmatch(r"affectkit-([^-]+)-(cp\d+)-(abi3)-(.+)\.whl", path.name)
    if not m:
        return [f"{path.name}: not an affectkit abi3 wheel name (affectkit-VERSION-cp39-abi3-PLATFORM.whl)"]
    wv, py, _, plat = m.groups()
    if wv != version:
        problems.append(f"version {wv} in the file name, Cargo.toml says {version}")
    if py != "cp39":
        problems.append(f"python tag {py}: the abi3 floor is cp39 (pyo3 abi3-py39)")
    plats = plat.split(".")
    if not all(p.startswith(("manylinux_", "manylinux2014_", "musllinux_", "macosx_", "win_")) for p in plats):
        problems.append(f"platform tag {plat}: PyPI takes manylinux/musllinux/macosx/win tags only")

    size_mb = path.stat().st_size / 2**20
    if size_mb > max_mb:
        problems.append(f"{size_mb:.1f} MiB, over the {max_mb} MiB limit")

    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        info = f"affectkit-{version}.dist-info/"
        meta_text = z.read(info + "METADATA").decode("utf-8") if info + "METADATA" in names else ""
        wheel_text = z.read(info + "WHEEL").decode("utf-8") if info + "WHEEL" in names else ""
        ext_size = sum(i.file_size for i in z.infolist() if re.fullmatch(r"affectkit/_core\.(abi3\.so|pyd)", i.filename))
    names_set = set(names)

    ext = [n for n in names if re.fullmatch(r"affectkit/_core[^/]*\.(so|pyd|dylib)", n)]
    if len(ext) != 1 or not re.fullmatch(r"affectkit/_core\.(abi3\.so|pyd)", ext[0]):
        problems.append(f"compiled extension(s) {ext}: want exactly affectkit/_core.abi3.so (or _core.pyd)")
    src_modules = sorted(p.name for p in (ROOT / "python" / "affectkit").glob("*.py"))
    for mod in src_modules + ["_core/__init__.pyi", "py.typed", "data/samples/LICENSE.md"]:
        if f"affectkit/{mod}" not in names_set:
            problems.append(f"missing affectkit/{mod}")
    flacs = [n for n in names if n.startswith("affectkit/data/samples/") and n.endswith(".flac")]
    if len(flacs) != SAMPLES:
        problems.append(f"{len(flacs)} bundled samples, want {SAMPLES}")
    for lic in LICENCES:
        if not any(n.startswith(info + "licenses/") and n.endswith(lic) for n in names):
            problems.append(f"missing {info}licenses/.../{lic}")
    allowed = re.compile(
        r"affectkit/(?:[A-Za-z0-9_]+/)*[A-Za-z0-9_]+\.(py|pyi)|affectkit/py\.typed|affectkit/_core\.(abi3\.so|pyd)"
        r"|affectkit/data/samples/[^/]+\.(flac|md)|" + re.escape(info) + r".+"
    )
    for n in names:
        if n.endswith("/"):
            continue
        if FORBIDDEN.search(n) or not allowed.fullmatch(n):
            problems.append(f"unexpected file in the wheel: {n}")

    meta = Parser().parsestr(meta_text)
    if meta.get("Version") != version:
        problems.append(f"METADATA Version {meta.get('Version')}, Cargo.toml says {version}")
    if meta.get("License-Expression") != "MIT OR Apache-2.0":
        problems.append(f"METADATA License-Expression {meta.get('License-Expression')!r}")
    if meta.get("Requires-Python") != ">=3.9":
        problems.append(f"METADATA Requires-Python {meta.get('Requires-Python')!r}")
    if not meta.get_all("Project-URL"):
        problems.append("METADATA has no Project-URL")
    if "Root-Is-Purelib: false" not in wheel_text:
        problems.append("WHEEL does not say Root-Is-Purelib: false")
    print(f"{path.name}: {size_mb:.2f} MiB ({path.stat().st_size} bytes), {len([n for n in names if not n.endswith('/')])} files, "
          f"extension {ext_size / 2**20:.2f} MiB uncompressed, tags {py}-abi3-{plat}")
    return problems


def check_sdist(path: Path, max_mb: float) -> list[str]:
    problems = []
    version = cargo_version()
    top = f"affectkit-{version}/"
    if path.name != f"affectkit-{version}.tar.gz":
        problems.append(f"{path.name}: want affectkit-{version}.tar.gz")
    with tarfile.open(path) as t:
        names = [n for n in t.getnames()]
    rel = {n[len(top):] for n in names if n.startswith(top)}
    need = ["Cargo.toml", "Cargo.lock", "pyproject.toml", "README.md", "PKG-INFO", *LICENCES,
            "src/lib.rs", "python/affectkit/__init__.py", "python/affectkit/_core/__init__.pyi",
            "python/affectkit/py.typed", "python/affectkit/data/samples/LICENSE.md"]
    for n in need:
        if n not in rel:
            problems.append(f"sdist misses {n}")
    flacs = [n for n in rel if n.startswith("python/affectkit/data/samples/") and n.endswith(".flac")]
    if len(flacs) != SAMPLES:
        problems.append(f"sdist has {len(flacs)} bundled samples, want {SAMPLES}")
    for n in sorted(rel):
        if FORBIDDEN.search(n) or n.startswith(("tests/", ".ci/", ".github/", "benches/data")):
            problems.append(f"unexpected file in the sdist: {n}")
    size_mb = path.stat().st_size / 2**20
    if size_mb > max_mb:
        problems.append(f"{size_mb:.1f} MiB, over the {max_mb} MiB limit")
    print(f"{path.name}: {size_mb:.2f} MiB, {len(rel)} entries")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dist", nargs="+", type=Path, help="wheel(s) and/or sdist(s)")
    ap.add_argument("--max-mb", type=float, default=20.0, help="size limit per file in MiB (default: 20)")
    args = ap.parse_args()
    problems = []
    for p in args.dist:
        if p.suffix == ".whl":
            problems += [f"{p.name}: {x}" for x in check_wheel(p, args.max_mb)]
        elif p.name.endswith(".tar.gz"):
            problems += [f"{p.name}: {x}" for x in check_sdist(p, args.max_mb)]
        else:
            problems.append(f"{p}: neither a wheel nor an sdist")
    for x in problems:
        print("FAIL " + x, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
