// Native baseline for ../shared/bench/device/nbody_f64.c: five bodies as plain number arrays.
import * as ds from "@devicescript/core"

const NB = 5

export async function run(): Promise<number[]> {
    const PI = 3.141592653589793, SM = 4 * PI * PI, DPY = 365.24
    const x = [0, 4.8414314424647209, 8.34336671824457987, 12.894369562139131, 15.3796971148509165]
    const y = [0, -1.16032004402742839, 4.12479856412430479, -15.1111514016986312, -25.9193146099879641]
    const z = [0, -0.103622044471123109, -0.403523417114321381, -0.223307578892655734, 0.179258772950371181]
    const vx = [0, 1.66007664274403694e-3 * DPY, -2.76742510726862411e-3 * DPY, 2.96460137564761618e-3 * DPY, 2.68067772490389322e-3 * DPY]
    const vy = [0, 7.69901118419740425e-3 * DPY, 4.99852801234917238e-3 * DPY, 2.3784717395948095e-3 * DPY, 1.62824170038242295e-3 * DPY]
    const vz = [0, -6.90460016972063023e-5 * DPY, 2.30417297573763929e-5 * DPY, -2.96589568540237556e-5 * DPY, -9.5159225451971587e-5 * DPY]
    const m = [SM, 9.54791938424326609e-4 * SM, 2.85885980666130812e-4 * SM, 4.36624404335156298e-5 * SM, 5.15138902046611451e-5 * SM]
    const dt = 0.01
    for (let s = 0; s < 1500; s++) {
        for (let i = 0; i < NB; i++)
            for (let j = i + 1; j < NB; j++) {
                const dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j]
                const d2 = dx * dx + dy * dy + dz * dz
                const mag = dt / (d2 * Math.sqrt(d2))
                const mj = m[j], mi = m[i]
                vx[i] -= dx * mj * mag
                vy[i] -= dy * mj * mag
                vz[i] -= dz * mj * mag
                vx[j] += dx * mi * mag
                vy[j] += dy * mi * mag
                vz[j] += dz * mi * mag
            }
        for (let i = 0; i < NB; i++) {
            x[i] += dt * vx[i]
            y[i] += dt * vy[i]
            z[i] += dt * vz[i]
        }
        if ((s & 7) === 7) await ds.sleep(0)
    }
    let e = 0
    for (let i = 0; i < NB; i++) e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]) + x[i]
    const F = Buffer.alloc(8)
    F.setAt(0, "f64", e)
    return [F.getAt(0, "i32"), F.getAt(4, "i32")]
}
