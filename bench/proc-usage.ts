// CPU and memory of other processes, read from Linux's /proc, for the benchmarks that measure
// programs they start (bench/bridge-sim.ts: the bridge, the simulated boards, the broker). A
// process group is the unit (scripts/lib/devs.ts starts each child in a group of its own, so a
// program and whatever it spawns are counted together). CPU is utime+stime, % of one core.
import { readdirSync, readFileSync } from "node:fs"
import { cpus } from "node:os"

const TICK_HZ = 100 // CLK_TCK on Linux
export const CORES = cpus().length

interface ProcStat {
    pgrp: number
    ppid: number
    comm: string
    /** utime + stime, in clock ticks. */
    ticks: number
}

function procStat(pid: string): ProcStat | undefined {
    try {
        const s = readFileSync(`/proc/${pid}/stat`, "utf8")
        const close = s.lastIndexOf(")") // the command name may hold spaces and parentheses
        const f = s.slice(close + 2).split(" ")
        return { comm: s.slice(s.indexOf("(") + 1, close), ppid: Number(f[1]), pgrp: Number(f[2]), ticks: Number(f[11]) + Number(f[12]) }
    } catch {
        return undefined // gone meanwhile
    }
}

const pids = () => readdirSync("/proc").filter(n => /^\d+$/.test(n))

/** CPU ticks used so far by every process of each group. */
function groupTicks(groups: number[]): Map<number, number> {
    const out = new Map(groups.map(g => [g, 0]))
    for (const pid of pids()) {
        const s = procStat(pid)
        if (s && out.has(s.pgrp)) out.set(s.pgrp, out.get(s.pgrp)! + s.ticks)
    }
    return out
}

/** VmRSS and VmHWM (peak), MB, summed over the processes of a group. */
export function groupMemory(group: number): { rssMB: number; hwmMB: number } {
    let rss = 0
    let hwm = 0
    for (const pid of pids()) {
        if (procStat(pid)?.pgrp !== group) continue
        try {
            const st = readFileSync(`/proc/${pid}/status`, "utf8")
            rss += Number(/VmRSS:\s+(\d+)/.exec(st)?.[1] ?? 0)
            hwm += Number(/VmHWM:\s+(\d+)/.exec(st)?.[1] ?? 0)
        } catch {}
    }
    return { rssMB: rss / 1024, hwmMB: hwm / 1024 }
}

/** The machine's busy and total jiffies, all cores. */
function machineTicks(): { busy: number; total: number } {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number)
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
    return { busy: total - f[3] - f[4], total } // less idle and iowait
}

/** The pid of a child of this process named `comm` (a program it started without a group of its own). */
export function childPid(comm: string): number | undefined {
    for (const pid of pids()) {
        const s = procStat(pid)
        if (s?.comm === comm && s.ppid === process.pid) return Number(pid)
    }
    return undefined
}

/** A CPU meter started now: `stop()` gives each group's % of one core since, and the machine's. */
export function cpuMeter(groups: number[], pidsToo: number[] = []): { stop(): { groups: Map<number, number>; pids: Map<number, number>; machinePct: number; seconds: number } } {
    const t0 = Date.now()
    const g0 = groupTicks(groups)
    const p0 = new Map(pidsToo.map(p => [p, procStat(String(p))?.ticks ?? 0]))
    const m0 = machineTicks()
    return {
        stop() {
            const seconds = (Date.now() - t0) / 1000
            const g1 = groupTicks(groups)
            const m1 = machineTicks()
            const pct = (ticks: number) => (ticks / TICK_HZ / seconds) * 100
            return {
                seconds,
                groups: new Map(groups.map(g => [g, pct(g1.get(g)! - g0.get(g)!)])),
                pids: new Map(pidsToo.map(p => [p, pct(Math.max(0, (procStat(String(p))?.ticks ?? 0) - p0.get(p)!))])),
                machinePct: ((m1.busy - m0.busy) / (m1.total - m0.total)) * CORES * 100,
            }
        },
    }
}
