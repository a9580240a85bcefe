#!/bin/sh
# Builds sdk/wasi/wasi.wasm, the WASI preview1 adapter, from src/*.c with Debian's clang 14 and
# wasm-ld, then checks its contract (imports, the exact wasi_snapshot_preview1 export list, no
# data, no start function, no shadow stack, globals written: only its PRNG state) with
# wasm-objdump and fails loudly when anything is off. Deterministic: the same bytes every run.
#   sdk/wasi/build.sh            build and check
#   sdk/wasi/build.sh --check    only check the committed wasi.wasm
#   WASI_OUT=FILE sdk/wasi/build.sh   build into FILE instead (the tests compare it)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${WASI_OUT:-"$here/wasi.wasm"}
CLANG=${CLANG:-clang}
WASM_LD=${WASM_LD:-wasm-ld}
OBJDUMP=${WASM_OBJDUMP:-wasm-objdump}
WASM2WAT=${WASM2WAT:-wasm2wat}
WAT2WASM=${WAT2WASM:-wat2wasm}

NAME=wasi
. "$here/../support-module.sh"

# every function of wasi_snapshot_preview1
EXPORTS="args_get args_sizes_get environ_get environ_sizes_get clock_res_get clock_time_get
fd_advise fd_allocate fd_close fd_datasync fd_fdstat_get fd_fdstat_set_flags fd_fdstat_set_rights
fd_filestat_get fd_filestat_set_size fd_filestat_set_times fd_pread fd_prestat_get
fd_prestat_dir_name fd_pwrite fd_read fd_readdir fd_renumber fd_seek fd_sync fd_tell fd_write
path_create_directory path_filestat_get path_filestat_set_times path_link path_open path_readlink
path_remove_directory path_rename path_symlink path_unlink_file poll_oneoff proc_exit proc_raise
sched_yield random_get sock_accept sock_recv sock_send sock_shutdown"
IMPORTS="env.clock env.memory wasmlet.args_copy wasmlet.args_count wasmlet.console_write wasmlet.proc_exit"

[ "${1:-}" = "--check" ] || support_build "-Wextra"

support_check "$IMPORTS" "$EXPORTS"
# one global, the PRNG state, the only one written
globals=$(printf '%s\n' "$dump" | sed -n 's/^ - global\[[0-9]*\] \(.*\) - init.*/\1/p')
[ "$globals" = "i64 mutable=1 <wasi_rng_state>" ] || fail "globals are '$globals'"
bad=$(printf '%s\n' "$code" | grep 'global\.set' | grep -v '<wasi_rng_state>' || true)
[ -z "$bad" ] || fail "writes a global other than wasi_rng_state: $bad"
echo "wasi.wasm: $(wc -c < "$out") bytes, contract ok"
