// Native baseline for ../shared/bench/device/sensor.c: ring-buffer moving average, hysteresis and
// an f32 moving average (rounded to f32 through a scratch Buffer).
import * as ds from "@devicescript/core"

const WIN = 16

export async function run(): Promise<number[]> {
    let lcg = 12345, idx = 0, events = 0, above = 0, run = 0, sum = 0
    const ring: number[] = []
    for (let i = 0; i < WIN; i++) ring[i] = 0
    const F = Buffer.alloc(4)
    F.setAt(0, "f32", 0.05)
    const k05 = F.getAt(0, "f32")
    let ema = 0
    for (let i = 0; i < 20000; i++) {
        lcg = (Math.imul(lcg, 1664525) + 1013904223) | 0
        let tri = i % 4000
        if (tri >= 2000) tri = 4000 - tri
        const noise = ((lcg >>> 16) & 0x1ff) - 256
        const spike = ((lcg >>> 8) & 0x3ff) === 0 ? 1500 : 0
        let s = 1500 + tri + noise + spike
        if (s < 0) s = 0
        if (s > 4095) s = 4095
        run += s - ring[idx]
        ring[idx] = s
        idx = (idx + 1) & (WIN - 1)
        const avg = run >> 4 // run >= 0: same as C's run / 16
        if (above === 0 && avg > 2600) {
            above = 1
            events++
        } else if (above !== 0 && avg < 2400) above = 0
        F.setAt(0, "f32", s - ema)
        F.setAt(0, "f32", k05 * F.getAt(0, "f32"))
        F.setAt(0, "f32", ema + F.getAt(0, "f32"))
        ema = F.getAt(0, "f32")
        sum = (sum + avg) | 0
        if ((i & 511) === 511) await ds.sleep(0)
    }
    F.setAt(0, "f32", ema * 1000)
    const v = F.getAt(0, "f32")
    const t = v < 0 ? -Math.floor(-v) : Math.floor(v)
    const lo = (sum << 16) ^ (t | 0)
    const hi = (events << 16) ^ (sum >>> 16) ^ (t < 0 ? -1 : 0)
    return [lo, hi]
}
