// wasmlet disasm [--func N] prog.wasm
//
// Compiles a module as for a device and prints its image's code: one line per register
// instruction (offset, opcode, operands; rN is frame slot N, @N a code offset). For reading what
// the compiler made of a function, and why it is slow or large.

import "../../interpreter/platform/node-core"
import { readFileSync } from "node:fs"
import { compileToImage } from "../../compiler/index"
import { loadImage } from "../../interpreter/index"
import { disassemble, disassembleFunction } from "../disasm/disasm"

export const summary = "print the device code the compiler makes of a module (prog.wasm) [--func N]"

const USAGE = "usage: wasmlet disasm [--func N] prog.wasm   (N: index among the defined functions)"

export async function main(args: string[]): Promise<number> {
    let func = -1
    let file: string | undefined
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--func") func = parseInt(args[++i], 10)
        else if (args[i] === "-h" || args[i] === "--help") {
            console.log(USAGE)
            return 0
        } else file = args[i]
    }
    if (file === undefined || Number.isNaN(func)) {
        console.error(USAGE)
        return 2
    }
    const m = loadImage(Buffer.from(compileToImage(new Uint8Array(readFileSync(file)))))
    if (func >= m.funcCount) {
        console.error(`wasmlet disasm: the module defines ${m.funcCount} functions`)
        return 2
    }
    for (const line of func >= 0 ? disassembleFunction(m, func) : disassemble(m)) console.log(line)
    return 0
}
