// For `wasmlet run --sim`: after boot, run the apps until they are done, then say so in one line
// the host reads: "wasmlet: run done exit=N result=R ms=T" (R: the
// invoked export's first result as an unsigned i32, "-" when it has none). Done: every app stopped running
// (commands exit), or --invoke's call returned, or forMs passed (0: no limit).
import * as ds from "@devicescript/core"
import { AppState, Kind } from "../../framework/app"
import { Runtime } from "../../framework/runtime"

export async function runToEnd(rt: Runtime, invoke: string, forMs: number) {
    const first = rt.apps[0]
    const t0 = ds.millis()
    if (first !== undefined && invoke !== "") {
        const q = first.queue
        if (q.length > 0 && q[q.length - 1].kind === Kind.START) q.pop()
        if (!rt.invoke(first, invoke)) console.log("wasmlet: " + first.name + " exports no function " + invoke)
    }
    while (first !== undefined) {
        if (forMs > 0 && ds.millis() - t0 >= forMs) break
        if (invoke !== "" && first.queue.length === 0 && first.phase === 0) break
        let running = false
        for (let i = 0; i < rt.apps.length; i++) if (rt.apps[i].state === AppState.RUNNING) running = true
        if (!running) break
        await ds.sleep(10)
    }
    const code = first === undefined ? 1 : first.exitCode >= 0 ? first.exitCode : invoke !== "" && first.lastError !== null ? 1 : 0
    const result = first === undefined || first.invokeResults === 0 ? "-" : "" + (first.result >>> 0)
    console.log("wasmlet: run done exit=" + code + " result=" + result + " ms=" + (ds.millis() - t0))
}
