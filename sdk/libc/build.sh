#!/bin/sh
# Builds sdk/libc/libc.wasm from src/*.c with Debian's clang 14 and wasm-ld, then checks the
# module contract (imports, exports, no data, no start function, no shadow stack) with
# wasm-objdump and fails loudly when anything is off. Deterministic: the same bytes every run.
#   sdk/libc/build.sh            build and check
#   sdk/libc/build.sh --check    only check the committed libc.wasm
#   LIBC_OUT=/tmp/x.wasm sdk/libc/build.sh   build (and check) elsewhere
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${LIBC_OUT:-"$here/libc.wasm"}
CLANG=${CLANG:-clang}
WASM_LD=${WASM_LD:-wasm-ld}
OBJDUMP=${WASM_OBJDUMP:-wasm-objdump}
WASM2WAT=${WASM2WAT:-wasm2wat}
WAT2WASM=${WAT2WASM:-wat2wasm}

fail() { echo "libc build: $*" >&2; exit 1; }

EXPORTS="printf vprintf sprintf vsprintf snprintf vsnprintf puts putchar
memcmp memcpy memmove memset memchr
strlen strcmp strncmp strcpy strncpy strchr strstr strspn strcspn strdup _strdup strncasecmp
atoi strtol strtoul malloc calloc realloc free
isupper isalpha isspace isgraph isprint isdigit isxdigit isalnum tolower toupper
__wasmlet_libc_init"

if [ "${1:-}" != "--check" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # -fno-builtin: no libcall recognition (a loop must not become a call to memset);
    # -fno-jump-tables: switches stay code (a lookup table would be a data segment);
    # -mbulk-memory: memcpy/memmove/memset become memory.copy/memory.fill.
    for f in "$here"/src/*.c; do
        "$CLANG" --target=wasm32 -Oz -ffreestanding -fno-builtin -fno-jump-tables -nostdlib \
            -mbulk-memory -msign-ext -mmutable-globals -flto -Wall -Werror \
            -ffile-prefix-map="$here"=. -c "$f" -o "$tmp/$(basename "$f" .c).o"
    done
    # --global-base=0 -z stack-size=0: no space of the module's own, so the imported memory's
    # minimum is 0 pages. --strip-debug keeps the name section (function and global names).
    "$WASM_LD" --no-entry --import-memory --global-base=0 -z stack-size=0 --initial-memory=0 \
        --strip-debug --gc-sections -O2 --lto-O2 -o "$tmp/linked.wasm" "$tmp"/*.o
    # wasm-ld always adds a 1-entry function table and a __stack_pointer global; the code uses
    # neither (checked here), so they go, and instantiating the libc makes one global only.
    "$WASM2WAT" "$tmp/linked.wasm" -o "$tmp/linked.wat"
    grep -q 'call_indirect\|global\.[gs]et \$__stack_pointer' "$tmp/linked.wat" && fail "the code uses the table or the stack pointer"
    grep -v '^ *(table \|^ *(global \$__stack_pointer ' "$tmp/linked.wat" > "$tmp/libc.wat"
    "$WAT2WASM" --debug-names "$tmp/libc.wat" -o "$out"
fi

[ -f "$out" ] || fail "no $out"
dump=$("$OBJDUMP" -x "$out")
code=$("$OBJDUMP" -d "$out")

# imports: env.memory and wasmlet.console_write, nothing else
imports=$(printf '%s\n' "$dump" | sed -n 's/.*<- \([A-Za-z0-9_.]*\)$/\1/p' | sort | tr '\n' ' ')
[ "$imports" = "env.memory wasmlet.console_write " ] || fail "imports are '$imports'"
printf '%s\n' "$dump" | grep -q 'memory\[0\] pages: initial=0 <- env.memory' || fail "memory import minimum is not 0 pages"
# exports: exactly the list
want=$(printf '%s\n' $EXPORTS | sort | tr '\n' ' ')
have=$(printf '%s\n' "$dump" | sed -n 's/^ - func\[[0-9]*\] .*-> "\(.*\)"$/\1/p' | sort | tr '\n' ' ')
[ "$want" = "$have" ] || fail "exports differ: want '$want' have '$have'"
printf '%s\n' "$dump" | grep -q '^ - \(memory\|table\|global\)\[.*-> "' && fail "exports something other than functions"
# no data, no start function
printf '%s\n' "$dump" | grep -q '^\(Data\|DataCount\)\[' && fail "has a data section"
printf '%s\n' "$dump" | grep -q '^Start' && fail "has a start function"
# no shadow stack: __stack_pointer is never read or written
printf '%s\n' "$code" | grep -q 'global\.[gs]et [0-9]* <__stack_pointer>' && fail "uses the shadow stack"
# one global, the libc's state pointer, and no table
printf '%s\n' "$dump" | grep -q '^Table\[' && fail "has a table"
[ "$(printf '%s\n' "$dump" | grep -c '^ - global\[.* init ')" = 1 ] || fail "has more than one global"
# the only global written is the libc's state pointer
bad=$(printf '%s\n' "$code" | grep 'global\.set' | grep -v '<__wasmlet_libc_state>' || true)
[ -z "$bad" ] || fail "writes a global other than __wasmlet_libc_state: $bad"
echo "libc.wasm: $(wc -c < "$out") bytes, contract ok"
