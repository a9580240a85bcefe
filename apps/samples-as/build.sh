#!/bin/sh
# Builds the AssemblyScript sample apps into OUTDIR (default: beside this script, where the built
# .wasm files are committed): apps/samples-as/build.sh [OUTDIR]
# --trap-aborts (no abort message strings) keeps the timer within the simulator board's app quota.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
mkdir -p "$out"
for app in timer request_handler; do
  "$here/../../sdk/assemblyscript/build.sh" "$here/$app.ts" "$out/$app.wasm" --trap-aborts
done
