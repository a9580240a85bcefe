// A real WASI command module on the adapter, both engines: a C program built here with
// clang --target=wasm32-wasi -O2 and wasi-libc (printf, malloc, sprintf, argv, clocks, random
// bytes, isatty, stdin, stderr, a failing fopen, `return 3`), its memory turned into env.memory
// as the host does, linked to sdk/wasi/wasi.wasm's exports. Checks the console, the arguments
// it saw and the exit code. Skipped with a message when clang is not installed.
import { describe, it, expect, beforeAll } from "vitest"
import { ENGINES, runProgram, buildWasi, haveClang, NO_CLANG, importOwnMemoryBinary } from "./harness"

const HELLO = String.raw`
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    printf("hello from wasi: argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=[%s]\n", i, argv[i]);
    char *buf = malloc(100);
    if (!buf) return 1;
    int n = sprintf(buf, "%d %s %.3f %llx", -42, "sprintf", 2.718281828, 0x123456789abcdefULL);
    printf("%s (%d chars)\n", buf, n);
    free(buf);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("monotonic %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    printf("time %lld\n", (long long)time(NULL));
    unsigned char r[12];
    if (getentropy(r, sizeof r) != 0) return 2;
    printf("random");
    for (unsigned i = 0; i < sizeof r; i++) printf(" %02x", r[i]);
    printf("\nisatty %d %d %d\n", isatty(0), isatty(1), isatty(3));
    char line[8];
    printf("stdin %s\n", fgets(line, sizeof line, stdin) ? "data" : "eof");
    fprintf(stderr, "to stderr\n");
    FILE *f = fopen("x.txt", "r");
    printf("fopen %s errno %d\n", f ? "opened" : "failed", errno);
    return 3;
}
`

/** SplitMix64 as the adapter documents it (seed = clock ^ K), the first n bytes. */
function splitmixBytes(seedUs: bigint, n: number): string[] {
    const M = (x: bigint) => BigInt.asUintN(64, x)
    let s = M(seedUs ^ 0x5deece66d2545f49n)
    const out: string[] = []
    while (out.length < n) {
        s = M(s + 0x9e3779b97f4a7c15n)
        let z = M((s ^ (s >> 30n)) * 0xbf58476d1ce4e5b9n)
        z = M((z ^ (z >> 27n)) * 0x94d049bb133111ebn)
        z ^= z >> 31n
        for (let k = 0; k < 8 && out.length < n; k++) out.push(((z >> BigInt(8 * k)) & 0xffn).toString(16).padStart(2, "0"))
    }
    return out
}

function expectedConsole(args: string[], us: bigint): string {
    const sec = us / 1_000_000n, ns = (us % 1_000_000n) * 1000n
    const s = `-42 sprintf ${(2.718281828).toFixed(3)} ${0x123456789abcdefn.toString(16)}`
    return [
        `hello from wasi: argc=${args.length}`,
        ...args.map((a, i) => `argv[${i}]=[${a}]`),
        `${s} (${s.length} chars)`,
        `monotonic ${sec}.${ns.toString().padStart(9, "0")}`,
        `time ${sec}`,
        `random ${splitmixBytes(us, 12).join(" ")}`,
        "isatty 1 1 0",
        "stdin eof",
        "to stderr",
        "fopen failed errno 76", // ENOTCAPABLE: wasi-libc finds no preopened directory
        "",
    ].join("\n")
}

describe.skipIf(!haveClang)("a wasi-libc program on the adapter", () => {
    let hello: Uint8Array<ArrayBuffer>
    beforeAll(() => {
        hello = buildWasi(HELLO)
    })

    it("the host's rewrite leaves one memory, imported as env.memory", () => {
        const before = WebAssembly.Module.imports(new WebAssembly.Module(hello))
        expect(before.some((im) => im.kind === "memory")).toBe(false)
        const { wasm, min } = importOwnMemoryBinary(hello)
        const mod = new WebAssembly.Module(wasm)
        const mems = WebAssembly.Module.imports(mod).filter((im) => im.kind === "memory")
        expect(mems).toEqual([{ module: "env", name: "memory", kind: "memory" }])
        expect(min).toBeGreaterThan(0)
        expect(WebAssembly.Module.exports(mod).find((e) => e.name === "memory")?.kind).toBe("memory")
        // every other import is a WASI function, as before
        const others = WebAssembly.Module.imports(mod).filter((im) => im.kind !== "memory")
        expect(others).toEqual(before)
        expect(others.every((im) => im.module === "wasi_snapshot_preview1" && im.kind === "function")).toBe(true)
    })

    describe.each(ENGINES)("%s", (engine) => {
        it("prints through fd_write, sees its arguments and exits with 3", () => {
            const args = ["hello.wasm", "first arg", "ünïcode", ""]
            const us = 4_321_987_654n
            const run = runProgram(engine, hello, { args, clockUs: () => us })
            expect(run.error).toBeNull()
            expect(run.console).toBe(expectedConsole(args, us))
            expect(run.exitCode).toBe(3)
            expect(run.writes.length).toBeGreaterThan(5)
            expect(run.writes.every((n) => n > 0)).toBe(true)
        })

        it("no arguments, another clock: other random bytes", () => {
            const run = runProgram(engine, hello, { args: [], clockUs: () => 77n })
            expect(run.error).toBeNull()
            expect(run.console).toBe(expectedConsole([], 77n))
            expect(run.exitCode).toBe(3)
        })
    })
})

if (!haveClang) console.warn(NO_CLANG)
