// Every import the runtime provides (../shared/wamr-app-abi.md §2), to check what an
// AssemblyScript app imports against the contract: the C SDK's signature table
// (test/sdk/abi-signatures.ts) plus the rest of the libc-builtin names, whose signatures the ABI
// gives only loosely (signature null: the name alone is checked).
import { ENV_SIGNATURES } from "../sdk/abi-signatures"

const LOOSE_LIBC =
    "vprintf vsprintf vsnprintf memchr strchr strstr strspn strcspn _strdup atoi strncpy strncasecmp strtol strtoul " +
    "isupper isalpha isspace isgraph isprint isdigit isxdigit isalnum tolower toupper clock_gettime clock"

export const ABI_IMPORTS: Record<string, string | null> = {
    ...Object.fromEntries(LOOSE_LIBC.split(" ").map((n): [string, null] => [n, null])),
    ...ENV_SIGNATURES,
    abort: "i32->",
    exit: "i32->",
}
