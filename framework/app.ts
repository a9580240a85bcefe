// One installed app: its module and instance (and its libc instance for WAMR-style apps), its
// arena account, its execution, its message queue, its timers and what went wrong last.
//
// Callbacks into an app are serialised: the app has one Execution and runs one message at a time,
// in phases (allocate the message's buffer in the app heap, call the callback, free the buffer),
// each a resumable call that the scheduler runs in slices.
import { ArenaAccount, Execution, Instance, LoadedModule, Memory } from "../interpreter/index"

export const enum AppState {
    LOADING = 0,
    RUNNING = 1,
    /** Stopped by the watchdog, a failed on_init, or the manager; stays installed. */
    STOPPED = 2,
    /** A WASI command that returned from _start or called proc_exit. */
    EXITED = 3,
    /** Uninstalled: its resources are gone. */
    REMOVED = 4,
}
export const STATE_NAMES = ["loading", "running", "stopped", "exited", "removed"]

/** Message kinds; each is one callback (CALLBACK_NAMES[kind]). */
export const enum Kind {
    INIT = 0,
    DESTROY = 1,
    REQUEST = 2,
    RESPONSE = 3,
    TIMER = 4,
    SENSOR = 5,
    CONNECTION = 6,
    START = 7,
    /** An export named by the host (`wasmlet run --invoke`): msg.arg is its function index. */
    INVOKE = 8,
    /** __wasmlet_libc_init(heap_base, heap_end) in the app's libc, before on_init. */
    LIBC_INIT = 9,
}
/** Exports called for each Kind (the last two are named for messages only). */
export const CALLBACK_NAMES = ["on_init", "on_destroy", "on_request", "on_response", "on_timer_callback", "on_sensor_event", "on_connection_data", "_start", "invoke", "libc init"]
/** How many of CALLBACK_NAMES are app exports the runtime looks up. */
export const APP_CALLBACKS = 8

export const enum Phase {
    IDLE = 0,
    ALLOC = 1,
    CALL = 2,
    FREE = 3,
}

export class Msg {
    constructor(
        public kind: number,
        /** Timer id, sensor id, connection handle, or function index for INVOKE. */
        public arg: number,
        /** Bytes copied into the app heap for the callback (null: none). */
        public data: Buffer,
    ) {}
}

export class App {
    state = AppState.LOADING
    mod: LoadedModule = null
    inst: Instance = null
    /** The runtime's libc instance of a WAMR-style app (null for WASI and plain modules). */
    libc: Instance = null
    /** The WASI adapter's instance of a WASI command (sdk/wasi). */
    wasi: Instance = null
    memory: Memory = null
    ex: Execution = null
    /** Callback function index per Kind (-1: the app does not export it). */
    fns: number[] = []
    /** The allocator the runtime uses for message buffers: [instance, malloc, free] or null. */
    allocInst: Instance = null
    mallocFn = -1
    freeFn = -1

    queue: Msg[] = []
    /** The message being handled, its phase, its buffer in the app heap, when it started. */
    msg: Msg = null
    phase = Phase.IDLE
    ptr = 0
    since = 0
    /** Slices the current message has run. */
    slices = 0

    /** Timers: interval (ms), due time (-1 idle), periodic; a null interval is a free slot. */
    tInterval: number[] = []
    tDue: number[] = []
    tPeriodic: boolean[] = []

    /** Console bytes of the current line. */
    line = ""
    lastError: string = null
    traps = 0
    dropped = 0
    exitCode = -1
    /** The START export is a C main(argc, argv) whose result is the exit code. */
    mainReturns = false
    /** Result of the last INVOKE (its first value, as an i32) and how many results it has. */
    result = 0
    invokeResults = 0
    /** When it was installed (runtime clock, ms): the app manager reports its uptime. */
    startedAt = 0
    args: string[] = []

    constructor(
        readonly name: string,
        readonly id: number,
        readonly account: ArenaAccount,
    ) {}
}
