// The framework benchmarks on Node: the same scenarios (scenarios.ts) on the interpreter, in the
// simulator profile's arena and limits, with real time (host/run/node-clock.ts: a slice is
// followed by a microtask, not a timer tick). A reference for the simulator's figures.
import "../../interpreter/platform/node-core"
import { profile as simulator } from "../../boards/simulator"
import { supportImages } from "../../host/run/app-images"
import { NodeClock } from "../../host/run/node-clock"
import { BuiltApp } from "./build"
import { BenchCounts, BenchImage, benchScenarios } from "./scenarios"

const images = (apps: BuiltApp[]) => apps.map(a => new BenchImage(a.name, Buffer.from(a.image)))

/** Runs the named scenarios with `apps` (fw_* apps and samples); returns the output lines. */
export async function benchFrameworkOnNode(scenarios: string[], apps: BuiltApp[], counts: BenchCounts): Promise<string[]> {
    const lines: string[] = []
    const emit = (s: string) => lines.push(s)
    await benchScenarios(scenarios, new NodeClock(), simulator.arenaBytes, { ...simulator.limits, maxApps: 4 }, supportImages().libc, images(apps), counts, emit)
    return lines
}
