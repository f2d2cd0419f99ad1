#!/usr/bin/env bash
# Smoke test of a built affectkit wheel, as a user without Rust would install it.
#
#   scripts/wheel_smoke.sh [--build] [--python PY]... [WHEEL]
#
#   --build      first build the release wheel into dist/ (maturin --release --zig
#                --compatibility manylinux_2_17; needs maturin and ziglang in the active env)
#   --python PY  an interpreter to test with (repeatable). Default: $AFFECTKIT_SMOKE_PYTHONS
#                (space-separated), else every CPython >= 3.9 that pyenv has, else python3.
#   WHEEL        the wheel to test (default: the newest dist/affectkit-*-abi3-*.whl)
#
# Checks, in order: the wheel's name, tag, size, contents and metadata (scripts/check_dist.py);
# `auditwheel show` and `twine check` where installed; the extension's newest GLIBC symbol
# version on Linux (must not pass the manylinux tag's glibc). Then, for each interpreter, a
# fresh venv with cargo and rustc removed from PATH (and checked absent) gets the wheel
# (`pip install --only-binary :all:`, so nothing can compile), and from an empty folder
# runs `affectkit demo` on a 60-item corpus and scripts/wheel_smoke_api.py (features,
# labels, a model). Exits non-zero on the first failure. Not part of pytest's collection;
# .ci/run runs it after the test suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

build=0
pythons=()
wheel=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=1 ;;
    --python) shift; pythons+=("$1") ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "wheel_smoke: unknown option $1" >&2; exit 2 ;;
    *) wheel="$1" ;;
  esac
  shift
done

# The interpreter that runs the helper scripts (Windows runners have no python3).
host_py="$(command -v python3 || command -v python)"
t_start=$SECONDS
if [ "$build" = 1 ]; then
  echo "== building the manylinux_2_17 abi3 wheel (maturin --zig)"
  t0=$SECONDS
  maturin build --release --zig --compatibility manylinux_2_17 --out dist
  echo "   built in $((SECONDS - t0)) s"
fi

if [ -z "$wheel" ]; then
  # shellcheck disable=SC2012
  wheel="$(ls -t dist/affectkit-*-abi3-*.whl 2>/dev/null | head -1 || true)"
  [ -n "$wheel" ] || { echo "wheel_smoke: no dist/affectkit-*-abi3-*.whl (build with --build)" >&2; exit 2; }
fi
wheel="$(cd "$(dirname "$wheel")" && pwd)/$(basename "$wheel")"
version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -1)"

echo "== $(basename "$wheel")"
"$host_py" scripts/check_dist.py "$wheel"
if command -v auditwheel >/dev/null && [[ "$wheel" == *linux* ]]; then
  aw="$(auditwheel show "$wheel")"
  echo "$aw" | tr '\n' ' ' | sed 's/  */ /g'; echo
  echo "$aw" | grep -q 'manylinux_2_17' || { echo "wheel_smoke: auditwheel does not place the wheel on manylinux_2_17" >&2; exit 1; }
fi
if command -v twine >/dev/null; then twine check --strict "$wheel"; fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
case "$(basename "$wheel")" in
  *linux*)
    if command -v objdump >/dev/null; then
      "$host_py" -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract('affectkit/_core.abi3.so', sys.argv[2])" "$wheel" "$tmp/so"
      glibc="$(objdump -T "$tmp/so/affectkit/_core.abi3.so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
      echo "   newest glibc symbol version: $glibc"
      floor="$(basename "$wheel" | sed -n 's/.*manylinux_\([0-9]*\)_\([0-9]*\)_.*/\1.\2/p')"
      newest="$(printf '%s\n%s\n' "${glibc#GLIBC_}" "$floor" | sort -V | tail -1)"
      [ "$newest" = "$floor" ] || { echo "wheel_smoke: $glibc is newer than the tag's glibc $floor" >&2; exit 1; }
    fi ;;
esac

if [ ${#pythons[@]} -eq 0 ]; then
  if [ -n "${AFFECTKIT_SMOKE_PYTHONS:-}" ]; then
    read -r -a pythons <<<"$AFFECTKIT_SMOKE_PYTHONS"
  elif command -v pyenv >/dev/null; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(9|[1-9][0-9])\.[0-9]+$' | sort -V); do
      pythons+=("$(pyenv root)/versions/$v/bin/python")
    done
  fi
  [ ${#pythons[@]} -gt 0 ] || pythons=("$host_py")
fi

# PATH without any directory that holds cargo, rustc or rustup.
clean_path=""
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] || continue
  for tool in cargo rustc rustup cargo.exe rustc.exe rustup.exe; do
    [ -e "$d/$tool" ] && continue 2
  done
  case "$d" in *pyenv/shims*) continue ;; esac   # shims would resolve to whatever is active
  clean_path="${clean_path:+$clean_path:}$d"
done

for py in "${pythons[@]}"; do
  pyv="$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
  echo "== Python $pyv ($py)"
  t0=$SECONDS
  venv="$tmp/venv-$pyv"
  "$py" -m venv "$venv"
  bin="$venv/bin"; [ -d "$bin" ] || bin="$venv/Scripts"   # Windows
  work="$tmp/work-$pyv"
  mkdir -p "$work"
  (
    cd "$work"
    export PATH="$bin:$clean_path"
    unset CARGO_HOME RUSTUP_HOME RUSTUP_TOOLCHAIN PYTHONPATH VIRTUAL_ENV
    if command -v cargo >/dev/null || command -v rustc >/dev/null; then
      echo "wheel_smoke: cargo or rustc still on PATH" >&2; exit 1
    fi
    python -m pip install -q --disable-pip-version-check --only-binary :all: "$wheel"
    t1=$SECONDS
    affectkit demo --out "$work/demo" --n-items 60 --seed 0 --no-plots > "$work/demo.log"
    tail -n 12 "$work/demo.log" | sed 's/^/   /'
    for f in report.md report.html; do
      [ -s "$work/demo/$f" ] || { echo "wheel_smoke: affectkit demo wrote no $f" >&2; exit 1; }
    done
    python "$root/scripts/wheel_smoke_api.py" "$version" | sed 's/^/   /'
    echo "   Python $pyv: install $((t1 - t0)) s, demo + API $((SECONDS - t1)) s"
  )
done
echo "== wheel smoke test passed on ${#pythons[@]} Python(s) in $((SECONDS - t_start)) s"
echo "wheel_smoke: ${#pythons[@]} passed, 0 failed"
