// Collects what a WASI program writes to stdout and stderr (options for runWasiProgram / runWasiProgramJit).

export function capture() {
    const out: Buffer[] = []
    const err: Buffer[] = []
    return {
        opts: {
            stdout: (b: Uint8Array): void => {
                out.push(Buffer.from(b))
            },
            stderr: (b: Uint8Array): void => {
                err.push(Buffer.from(b))
            },
        },
        stdout: () => Buffer.concat(out).toString("utf8"),
        stderr: () => Buffer.concat(err).toString("utf8"),
    }
}
