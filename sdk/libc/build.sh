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

NAME=libc
. "$here/../support-module.sh"

EXPORTS="printf vprintf sprintf vsprintf snprintf vsnprintf puts putchar
memcmp memcpy memmove memset memchr
strlen strcmp strncmp strcpy strncpy strchr strstr strspn strcspn strdup _strdup strncasecmp
atoi strtol strtoul malloc calloc realloc free
isupper isalpha isspace isgraph isprint isdigit isxdigit isalnum tolower toupper
__wasmlet_libc_init"

[ "${1:-}" = "--check" ] || support_build ""

support_check "env.memory wasmlet.console_write" "$EXPORTS"
# one global, the libc's state pointer
[ "$(printf '%s\n' "$dump" | grep -c '^ - global\[.* init ')" = 1 ] || fail "has more than one global"
# the only global written is the libc's state pointer
bad=$(printf '%s\n' "$code" | grep 'global\.set' | grep -v '<__wasmlet_libc_state>' || true)
[ -z "$bad" ] || fail "writes a global other than __wasmlet_libc_state: $bad"
echo "libc.wasm: $(wc -c < "$out") bytes, contract ok"
