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

fail() { echo "wasi build: $*" >&2; exit 1; }

# every function of wasi_snapshot_preview1
EXPORTS="args_get args_sizes_get environ_get environ_sizes_get clock_res_get clock_time_get
fd_advise fd_allocate fd_close fd_datasync fd_fdstat_get fd_fdstat_set_flags fd_fdstat_set_rights
fd_filestat_get fd_filestat_set_size fd_filestat_set_times fd_pread fd_prestat_get
fd_prestat_dir_name fd_pwrite fd_read fd_readdir fd_renumber fd_seek fd_sync fd_tell fd_write
path_create_directory path_filestat_get path_filestat_set_times path_link path_open path_readlink
path_remove_directory path_rename path_symlink path_unlink_file poll_oneoff proc_exit proc_raise
sched_yield random_get sock_accept sock_recv sock_send sock_shutdown"
IMPORTS="env.clock env.memory wasmlet.args_copy wasmlet.args_count wasmlet.console_write wasmlet.proc_exit"

if [ "${1:-}" != "--check" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # -fno-builtin: no libcall recognition (a loop must not become a call to memset);
    # -fno-jump-tables: switches stay code (a lookup table would be a data segment).
    for f in "$here"/src/*.c; do
        "$CLANG" --target=wasm32 -Oz -ffreestanding -fno-builtin -fno-jump-tables -nostdlib \
            -mbulk-memory -msign-ext -mmutable-globals -flto -Wall -Wextra -Werror \
            -ffile-prefix-map="$here"=. -c "$f" -o "$tmp/$(basename "$f" .c).o"
    done
    # --global-base=0 -z stack-size=0: no space of the module's own, so the imported memory's
    # minimum is 0 pages. --strip-debug keeps the name section (function and global names).
    "$WASM_LD" --no-entry --import-memory --global-base=0 -z stack-size=0 --initial-memory=0 \
        --strip-debug --gc-sections -O2 --lto-O2 -o "$tmp/linked.wasm" "$tmp"/*.o
    # wasm-ld always adds a 1-entry function table and a __stack_pointer global; the code uses
    # neither (checked here), so they go: instantiating the adapter makes one global only.
    "$WASM2WAT" "$tmp/linked.wasm" -o "$tmp/linked.wat"
    grep -q 'call_indirect\|global\.[gs]et \$__stack_pointer' "$tmp/linked.wat" && fail "the code uses the table or the stack pointer"
    grep -v '^ *(table \|^ *(global \$__stack_pointer ' "$tmp/linked.wat" > "$tmp/wasi.wat"
    "$WAT2WASM" --debug-names "$tmp/wasi.wat" -o "$out"
fi

[ -f "$out" ] || fail "no $out"
dump=$("$OBJDUMP" -x "$out")
code=$("$OBJDUMP" -d "$out")

# imports: exactly the natives and env.memory
imports=$(printf '%s\n' "$dump" | sed -n 's/.*<- \([A-Za-z0-9_.]*\)$/\1/p' | sort | tr '\n' ' ')
[ "$imports" = "$IMPORTS " ] || fail "imports are '$imports'"
printf '%s\n' "$dump" | grep -q 'memory\[0\] pages: initial=0 <- env.memory' || fail "memory import minimum is not 0 pages"
# exports: exactly the list, functions only
want=$(printf '%s\n' $EXPORTS | sort | tr '\n' ' ')
have=$(printf '%s\n' "$dump" | sed -n 's/^ - func\[[0-9]*\] .*-> "\(.*\)"$/\1/p' | sort | tr '\n' ' ')
[ "$want" = "$have" ] || fail "exports differ: want '$want' have '$have'"
printf '%s\n' "$dump" | grep -q '^ - \(memory\|table\|global\)\[.*-> "' && fail "exports something other than functions"
# no data, no start function
printf '%s\n' "$dump" | grep -q '^\(Data\|DataCount\)\[' && fail "has a data section"
printf '%s\n' "$dump" | grep -q '^Start' && fail "has a start function"
# no shadow stack: __stack_pointer is never read or written
printf '%s\n' "$code" | grep -q 'global\.[gs]et [0-9]* <__stack_pointer>' && fail "uses the shadow stack"
# no table; one global, the PRNG state, the only one written
printf '%s\n' "$dump" | grep -q '^Table\[' && fail "has a table"
globals=$(printf '%s\n' "$dump" | sed -n 's/^ - global\[[0-9]*\] \(.*\) - init.*/\1/p')
[ "$globals" = "i64 mutable=1 <wasi_rng_state>" ] || fail "globals are '$globals'"
bad=$(printf '%s\n' "$code" | grep 'global\.set' | grep -v '<wasi_rng_state>' || true)
[ -z "$bad" ] || fail "writes a global other than wasi_rng_state: $bad"
echo "wasi.wasm: $(wc -c < "$out") bytes, contract ok"
