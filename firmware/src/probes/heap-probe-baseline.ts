// The free heap of an empty program, for comparison with heap-probe.ts.
import { fillHeap } from "./heap-probe-lib"

await fillHeap()
