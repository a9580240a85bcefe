// Measuring the DeviceScript heap (used by scripts/firmware-metrics.ts). DeviceScript has no API
// for heap statistics, so: fill the free heap with CHUNK-byte buffers, printing a count after each,
// until the VM runs out of memory (an uncatchable panic that ends the run). Free heap is then
// about count x (CHUNK + 16 bytes of headers). Run once after booting the firmware (heap-probe.ts)
// and once in an empty program (heap-probe-baseline.ts): the difference is what the firmware holds.
import * as ds from "@devicescript/core"

export const CHUNK = 128
const SLOTS = 600 // more than 64 KB / CHUNK

// Allocated at load time, before anything else runs, so both probes carry the same overhead.
const keep: Buffer[] = []
keep[SLOTS - 1] = null

export async function fillHeap() {
    await ds.sleep(20)
    console.log("heap-probe: start chunk=" + CHUNK)
    let n = 0
    while (n < SLOTS) {
        keep[n] = Buffer.alloc(CHUNK)
        n++
        console.log("heap-probe: " + n)
    }
    console.log("heap-probe: did not run out of memory")
}
