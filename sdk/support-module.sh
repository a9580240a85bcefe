# Shared by sdk/libc/build.sh and sdk/wasi/build.sh (sourced, POSIX sh): building a runtime support
# module from C and checking the contract every such module keeps (framework/README.md): imports
# and exports exactly as listed, the imported memory's minimum 0 pages, no data, no start
# function, no table, no shadow stack. The caller sets here, out, NAME (for messages) and the
# tool variables, and checks its own globals afterwards ($dump and $code hold wasm-objdump's output).

fail() { echo "$NAME build: $*" >&2; exit 1; }

# support_build EXTRA_CFLAGS: src/*.c -> $out, deterministic.
support_build() {
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # -fno-builtin: no libcall recognition (a loop must not become a call to memset);
    # -fno-jump-tables: switches stay code (a lookup table would be a data segment);
    # -mbulk-memory: memcpy/memmove/memset become memory.copy/memory.fill.
    for f in "$here"/src/*.c; do
        "$CLANG" --target=wasm32 -Oz -ffreestanding -fno-builtin -fno-jump-tables -nostdlib \
            -mbulk-memory -msign-ext -mmutable-globals -flto -Wall $1 -Werror \
            -ffile-prefix-map="$here"=. -c "$f" -o "$tmp/$(basename "$f" .c).o"
    done
    # --global-base=0 -z stack-size=0: no space of the module's own, so the imported memory's
    # minimum is 0 pages. --strip-debug keeps the name section (function and global names).
    "$WASM_LD" --no-entry --import-memory --global-base=0 -z stack-size=0 --initial-memory=0 \
        --strip-debug --gc-sections -O2 --lto-O2 -o "$tmp/linked.wasm" "$tmp"/*.o
    # wasm-ld always adds a 1-entry function table and a __stack_pointer global; the code uses
    # neither (checked here), so they go: instantiating the module makes its own globals only.
    "$WASM2WAT" "$tmp/linked.wasm" -o "$tmp/linked.wat"
    grep -q 'call_indirect\|global\.[gs]et \$__stack_pointer' "$tmp/linked.wat" && fail "the code uses the table or the stack pointer"
    grep -v '^ *(table \|^ *(global \$__stack_pointer ' "$tmp/linked.wat" > "$tmp/module.wat"
    "$WAT2WASM" --debug-names "$tmp/module.wat" -o "$out"
}

# support_check "IMPORTS" "EXPORTS": the common contract of $out; sets $dump and $code.
support_check() {
    [ -f "$out" ] || fail "no $out"
    dump=$("$OBJDUMP" -x "$out")
    code=$("$OBJDUMP" -d "$out")
    imports=$(printf '%s\n' "$dump" | sed -n 's/.*<- \([A-Za-z0-9_.]*\)$/\1/p' | sort | tr '\n' ' ')
    want=$(printf '%s\n' $1 | sort | tr '\n' ' ')
    [ "$imports" = "$want" ] || fail "imports are '$imports', not '$want'"
    printf '%s\n' "$dump" | grep -q 'memory\[0\] pages: initial=0 <- env.memory' || fail "memory import minimum is not 0 pages"
    want=$(printf '%s\n' $2 | sort | tr '\n' ' ')
    have=$(printf '%s\n' "$dump" | sed -n 's/^ - func\[[0-9]*\] .*-> "\(.*\)"$/\1/p' | sort | tr '\n' ' ')
    [ "$want" = "$have" ] || fail "exports differ: want '$want' have '$have'"
    printf '%s\n' "$dump" | grep -q '^ - \(memory\|table\|global\)\[.*-> "' && fail "exports something other than functions"
    printf '%s\n' "$dump" | grep -q '^\(Data\|DataCount\)\[' && fail "has a data section"
    printf '%s\n' "$dump" | grep -q '^Start' && fail "has a start function"
    # no shadow stack: __stack_pointer is never read or written
    printf '%s\n' "$code" | grep -q 'global\.[gs]et [0-9]* <__stack_pointer>' && fail "uses the shadow stack"
    printf '%s\n' "$dump" | grep -q '^Table\[' && fail "has a table"
    return 0
}
