#!/bin/sh
# Builds one AssemblyScript app for wasmlet: sdk/assemblyscript/build.sh APP.ts OUT.wasm [--trap-aborts]
# The flags live here only (the samples and the tests use this script):
#   --runtime minimal   the mark-and-sweep collector the SDK runs after each callback, over the
#                       SDK's allocator (rt/alloc.ts, put in TLSF's place by build.mjs)
#   --lowMemoryLimit    the heap stays below 65520: the runtime's libc keeps 8 bytes at the end of
#                       memory (memory.ts); an app's heap is then < 64 KiB and memory one page
#   -Oz --noAssert      smallest code; assert() compiles to nothing
#   --use abort=...     AssemblyScript's abort(message, file, line, column) -> console.ts's appAbort,
#                       which prints and calls env.abort(i32); no other "env" import is added.
#                       With --trap-aborts an abort is a bare trap instead: no message strings
#                       (about 850 B smaller), no line on the console.
# Run from anywhere; paths are taken relative to the repository root, so the built bytes (which
# name source files in abort messages) do not depend on where the script was started.
set -e
[ $# -eq 2 ] || [ $# -eq 3 -a "$3" = "--trap-aborts" ] || { echo "usage: $0 APP.ts OUT.wasm [--trap-aborts]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app=$(realpath --relative-to="$root" "$1")
out=$(realpath -m "$2")
abort=sdk/assemblyscript/console/appAbort
[ $# -eq 3 ] && abort=
cd "$root"
exec node "$here/build.mjs" "$app" --runtime minimal --lowMemoryLimit 65520 -Oz --noAssert \
  --use "abort=$abort" -o "$out"
