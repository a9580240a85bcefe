#!/bin/bash
# Converts the WebAssembly spec testsuite's Wasm 2.0 .wast files (top level, without simd_*) to JSON + .wasm
# with wabt's wast2json, for test/compiler/spec-testsuite.test.ts. The testsuite itself is never committed.
#
#   usage: test/compiler/make-spec-json.sh TESTSUITE_DIR [OUT_DIR=/tmp/wast-json]
#
# Use a testsuite revision from before the Wasm 3.0 proposals were merged at top level (e.g. mid-2025):
# newer files contain memory64 / GC / exceptions tests. Old wast2json versions (Debian's 1.0.32) cannot
# parse a few newer files (if, comments, table_{fill,get,grow,set,size}); those are reported, and can be
# converted from an older revision of the suite.
set -u
src=${1:?testsuite directory}
out=${2:-/tmp/wast-json}
mkdir -p "$out"
command -v wast2json >/dev/null || { echo "wast2json not found (apt-get install wabt)" >&2; exit 1; }
failed=0
for f in "$src"/*.wast; do
    b=$(basename "$f" .wast)
    case "$b" in simd_*) continue ;; esac
    if ! (cd "$out" && wast2json --enable-all "$f" -o "$b.json" >/dev/null 2>&1 || wast2json "$f" -o "$b.json" >/dev/null 2>&1); then
        echo "could not convert $b.wast" >&2
        failed=$((failed + 1))
    fi
done
echo "converted into $out ($failed failed)"
