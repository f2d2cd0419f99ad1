#!/usr/bin/env python3
"""Write THIRD-PARTY-NOTICES.md: the crates compiled into affectkit's extension, with the
licence texts their licences ask a binary distribution to carry.

Usage (from the repository root; needs cargo, reads only the local cargo registry):

    python scripts/third_party_notices.py           # rewrite THIRD-PARTY-NOTICES.md
    python scripts/third_party_notices.py --check   # exit 1 if the file is out of date

The crate set is the union, over the platforms the release workflow builds wheels for, of
the normal (not build-, not dev-) dependencies reachable from affectkit with its default
features (the Python bindings), proc-macro crates included to err on the side of listing.
For each crate the licence files shipped in its crates.io package (LICENSE*, LICENCE*,
COPYING*, NOTICE*, COPYRIGHT*) are reproduced; identical texts are printed once with the
list of crates that carry them. A crate without any licence file is listed with its SPDX
expression and repository, and the script says so on stderr.

The wheel bundles no third-party Python code: its only other third-party content is the
sample recordings, whose notice is python/affectkit/data/samples/LICENSE.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "THIRD-PARTY-NOTICES.md"
# The wheel platforms of .github/workflows/wheels.yml.
TARGETS = [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
]
# Standard licence texts, for crates that name a licence but ship no file with it.
STANDARD_TEXTS = {
    "MIT": ROOT / "LICENSE-MIT",
    "Apache-2.0": ROOT / "LICENSE-APACHE",
    "MPL-2.0": Path("/usr/share/common-licenses/MPL-2.0"),   # Debian's base-files
}
LICENCE_PREFIXES = ("license", "licence", "copying", "notice", "copyright", "unlicense")


def _cargo(*args: str) -> str:
    return subprocess.run(["cargo", *args, "--locked"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def _shipped(target: str) -> set[tuple[str, str]]:
    """(name, version) of the crates linked into the extension on `target`.

    `cargo tree -e normal` follows the feature resolver that builds the wheel (build and dev
    dependencies and their features left out), which `cargo metadata`'s resolve does not.
    """
    out = _cargo("tree", "-e", "normal", "--target", target, "--prefix", "none", "-f", "{p}")
    crates = set()
    for line in out.splitlines():
        m = re.match(r"(\S+) v(\S+)", line)
        if m and "(/" not in line and "(\\" not in line:   # skip affectkit itself (a path crate)
            crates.add((m.group(1), m.group(2)))
    return crates


def _licence_files(manifest_path: str) -> list[Path]:
    d = Path(manifest_path).parent
    return sorted(
        p for p in d.iterdir()
        if p.is_file() and p.name.lower().startswith(LICENCE_PREFIXES)
    )


def render(verbose: bool = True) -> str:
    meta = json.loads(_cargo("metadata", "--format-version", "1"))
    by_key = {(p["name"], p["version"]): p for p in meta["packages"]}
    keys = set().union(*(_shipped(t) for t in TARGETS))
    crates = [by_key[k] for k in sorted(keys)]

    texts: dict[str, tuple[str, list[str]]] = {}   # digest -> (text, ["crate version (FILE)"])
    rows, missing = [], []
    for p in crates:
        files = _licence_files(p["manifest_path"])
        if not files:
            missing.append(f"{p['name']} {p['version']}")
        for f in files:
            text = f.read_text(encoding="utf-8", errors="replace").strip()
            key = hashlib.sha256(text.encode()).hexdigest()
            texts.setdefault(key, (text, []))[1].append(f"{p['name']} {p['version']} ({f.name})")
        repo = p.get("repository") or ""
        rows.append(f"| {p['name']} | {p['version']} | {p.get('license') or p.get('license_file') or '?'} | {repo} |")
    if missing and verbose:
        print(f"{len(missing)} crates ship no licence file; the standard texts of their SPDX "
              "licences are appended for them: " + ", ".join(missing), file=sys.stderr)
    # Standard texts for the licences named by crates that ship no licence file.
    unfiled = [p for p in crates if f"{p['name']} {p['version']}" in missing]
    ids = set()
    for p in unfiled:
        ids.update(re.findall(r"[A-Za-z0-9.\-]+", p.get("license") or ""))
    ids -= {"OR", "AND", "WITH", "LLVM-exception"}
    standard = []
    for spdx in sorted(ids):
        path = STANDARD_TEXTS.get(spdx)
        if path is None or not path.exists():
            raise SystemExit(f"no standard text for {spdx} (named by a crate without a licence "
                             "file): add one to STANDARD_TEXTS")
        standard += [f"### {spdx} (standard text)", "", "```",
                     path.read_text(encoding="utf-8").strip(), "```", ""]

    lines = [
        "# Third-party notices",
        "",
        "affectkit's compiled extension (`affectkit/_core.abi3.so`, `.pyd` on Windows) statically",
        "links the Rust crates below, from crates.io. Each is used unmodified under the licence",
        "shown (where a crate offers a choice, affectkit uses it under any of the offered licences",
        "that its own licence allows); the source of every crate, symphonia's MPL-2.0 crates",
        "included, is available from crates.io at the version listed. The licence texts the",
        "crates ship follow the table; identical texts are printed once.",
        "",
        "Generated by `python scripts/third_party_notices.py` from Cargo.lock; do not edit by hand.",
        "The bundled sample recordings have their own notice in",
        "`affectkit/data/samples/LICENSE.md`. The wheel contains no third-party Python code.",
        "",
        f"{len(crates)} crates.",
        "",
        "| crate | version | licence | repository |",
        "|---|---|---|---|",
        *rows,
        "",
        "## Licence texts",
        "",
    ]
    for text, owners in sorted(texts.values(), key=lambda t: t[1][0]):
        lines += ["### " + ", ".join(owners), "", "```", text.replace("```", "'''"), "```", ""]
    if unfiled:
        lines += [
            "## Crates whose packages ship no licence file",
            "",
            "These crates declare their licence in Cargo.toml only (the texts live in their",
            "repositories). They are listed with their authors as the copyright holders; the",
            "standard texts of the licences they name follow (the MIT text is shown with",
            "affectkit's copyright line: read the crate's authors in its place).",
            "",
            "| crate | version | licence | authors |",
            "|---|---|---|---|",
        ]
        for p in unfiled:
            authors = "; ".join(p.get("authors") or []) or "the crate's authors"
            lines.append(f"| {p['name']} | {p['version']} | {p.get('license') or '?'} | {authors} |")
        lines += ["", *standard]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if THIRD-PARTY-NOTICES.md is out of date")
    args = ap.parse_args()
    new = render(verbose=not args.check)
    if args.check:
        old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if old != new:
            print(f"{OUT.name} is out of date: run python scripts/third_party_notices.py", file=sys.stderr)
            return 1
        print(f"{OUT.name} is up to date")
        return 0
    OUT.write_text(new, encoding="utf-8")
    print(f"wrote {OUT.name} ({len(new)} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
