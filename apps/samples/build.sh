#!/usr/bin/env bash
# Builds every sample app: apps/samples/build.sh [OUT_DIR]
# Each sample's .wasm goes beside its source (or to OUT_DIR/<sample>/). The output depends only
# on the sources, the SDK and Debian's clang 14 / wasm-ld (test/sdk/ rebuilds and compares).
#   WAMR-style apps: ../../sdk/c/wasmlet-cc -Oz (the SDK's app library, libc imported, 4 KB stack)
#   wasi_hello:      hello.wasi.wasm with wasi-libc inside (a WASI command, clang -O3), and
#                    hello.sdk.wasm with the SDK (wasmlet-cc --command, libc imported)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
cc="$here/../../sdk/c/wasmlet-cc"
CLANG=${CLANG:-clang}

for app in timer event_publisher event_subscriber request_handler request_sender sensor_filter; do
  mkdir -p "$out/$app"
  "$cc" -Oz -o "$out/$app/$app.wasm" "$here/$app/$app.c"
done

mkdir -p "$out/wasi_hello"
"$cc" --command -Oz -o "$out/wasi_hello/hello.sdk.wasm" "$here/wasi_hello/hello.c"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# compile and link in two steps: a link with -O would make clang run wasm-opt if one is installed
"$CLANG" --target=wasm32-wasi -O3 -c "$here/wasi_hello/hello.c" -o "$tmp/hello.o"
"$CLANG" --target=wasm32-wasi -Wl,--strip-all -o "$out/wasi_hello/hello.wasi.wasm" "$tmp/hello.o"
