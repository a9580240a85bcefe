// What an instance costs (image, memory, tables, globals, arena): for host tools and tests.
// Kept out of the device build on purpose: nothing the firmware imports refers to it, so
// DeviceScript drops the function (a method or a class in index.ts would cost its bytecode
// on the device whether called or not).
import { Instance } from "./instance"
import { CHUNK } from "./memory"
import { Sec } from "./image-format"

/** An instance's footprint (execution stacks are counted by their Execution). */
export interface Usage {
    /** The device image: code, tables and data segments. */
    imageBytes: number
    /** Declared size of linear memory, in 64 KiB pages. */
    memoryPages: number
    /** Arena bytes really used by linear memory (touched chunks). */
    memoryTouchedBytes: number
    tableElems: number
    globalBytes: number
    /**
     * Arena bytes the instance's account holds: memory chunks, run lists, tables, globals and the
     * stacks of executions drawn from it (the whole default account when it has none of its own).
     */
    arenaBytes: number
}

export function instanceUsage(inst: Instance): Usage {
    const mem = inst.memory
    let tableElems = 0
    for (let t = 0; t < inst.tables.length; t++) tableElems += inst.tables[t].size
    return {
        imageBytes: inst.module.length,
        memoryPages: mem !== null ? mem.pages : 0,
        memoryTouchedBytes: mem !== null ? mem.chunkCount * CHUNK : 0,
        tableElems,
        globalBytes: inst.module.count(Sec.GLOBALS) * 8,
        arenaBytes: inst.account().used,
    }
}
