// Native baseline for ../shared/bench/device/matmul_f32.c: f32 values in Buffers, every result
// rounded to f32 through a scratch Buffer (DeviceScript has no Math.fround).
import * as ds from "@devicescript/core"

const N = 16

export async function run(): Promise<number[]> {
    const a = Buffer.alloc(N * N * 4), b = Buffer.alloc(N * N * 4), c = Buffer.alloc(N * N * 4)
    const F = Buffer.alloc(4)
    F.setAt(0, "f32", 0.001)
    const k001 = F.getAt(0, "f32")
    F.setAt(0, "f32", 0.01)
    const k01 = F.getAt(0, "f32")
    for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) {
            a.setAt((i * N + j) * 4, "f32", (i * N + j) * k001)
            b.setAt((i * N + j) * 4, "f32", (j - i) * k01)
        }
    let sum = 0
    for (let r = 0; r < 20; r++) {
        for (let i = 0; i < N; i++) {
            await ds.sleep(0)
            for (let j = 0; j < N; j++) {
                let t = 0
                for (let k = 0; k < N; k++) {
                    F.setAt(0, "f32", a.getAt((i * N + k) * 4, "f32") * b.getAt((k * N + j) * 4, "f32"))
                    F.setAt(0, "f32", t + F.getAt(0, "f32"))
                    t = F.getAt(0, "f32")
                }
                c.setAt((i * N + j) * 4, "f32", t)
            }
        }
        const ai = ((r % N) * N + ((r * 7) % N)) * 4
        a.setAt(ai, "f32", a.getAt(ai, "f32") + c.getAt((((r * 3) % N) * N + (r % N)) * 4, "f32"))
        F.setAt(0, "f32", sum + c.getAt((N * N - 1) * 4, "f32"))
        sum = F.getAt(0, "f32")
    }
    F.setAt(0, "f32", sum)
    return [F.getAt(0, "i32"), 0]
}
