#!/usr/bin/env bash
# Converts a local checkout of the WebAssembly spec testsuite (github WebAssembly/testsuite,
# Wasm 2.0 state) into wast2json scripts for `wasmlet spectest`. SIMD files (simd_*) are skipped;
# so are the proposals/ folders (only the top-level *.wast files are the Wasm 2.0 suite).
#
#   scripts/spectest-setup.sh TESTSUITE_DIR [OUT_DIR]          (OUT_DIR default: /tmp/wast-json)
#   WAST2JSON=/path/to/wast2json scripts/spectest-setup.sh ...  use that wast2json
#   scripts/spectest-setup.sh --build-wabt WABT_SRC TESTSUITE_DIR [OUT_DIR]
#       first builds wast2json from a local wabt source checkout (cmake + a C++17 compiler)
#       into WABT_SRC/build-wasmlet, then uses it.
#
# Debian's wabt (1.0.32) cannot parse 7 files of the suite (comments, if, table_fill, table_get,
# table_grow, table_set, table_size); wabt 1.0.34 or newer converts them all.
set -euo pipefail

if [[ "${1:-}" == "--build-wabt" ]]; then
    src="${2:?--build-wabt needs the wabt source folder}"
    shift 2
    build="$src/build-wasmlet"
    mkdir -p "$build"
    cmake -S "$src" -B "$build" -DBUILD_TESTS=OFF -DBUILD_LIBWASM=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" --target wast2json -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
    WAST2JSON="$build/wast2json"
fi

suite="${1:?usage: scripts/spectest-setup.sh [--build-wabt WABT_SRC] TESTSUITE_DIR [OUT_DIR]}"
out="${2:-/tmp/wast-json}"
w2j="${WAST2JSON:-wast2json}"

if ! command -v "$w2j" >/dev/null 2>&1; then
    echo "spectest-setup: $w2j not found (apt-get install wabt, or set WAST2JSON, or use --build-wabt)" >&2
    exit 2
fi
[[ -d "$suite" ]] || { echo "spectest-setup: $suite is not a folder" >&2; exit 2; }
mkdir -p "$out"

echo "spectest-setup: $("$w2j" --version 2>/dev/null || echo "$w2j") -> $out"
ok=0
bad=()
for f in "$suite"/*.wast; do
    name="$(basename "$f" .wast)"
    [[ "$name" == simd_* ]] && continue
    if "$w2j" "$f" -o "$out/$name.json" 2>"$out/$name.err"; then
        rm -f "$out/$name.err"
        ok=$((ok + 1))
    else
        bad+=("$name")
    fi
done
echo "spectest-setup: converted $ok files${bad:+, failed ${#bad[@]}: ${bad[*]} (see $out/NAME.err)}"
echo "run: npx wasmlet spectest $out"
[[ ${#bad[@]} -eq 0 ]]
