// Small WAMR-style test apps in WAT, shared by the Node tests (test/framework/) and the image
// generator of the simulator suite (scripts/gen-framework-test-images.ts): each exercises one part
// of the framework and reports through its console or through words in its memory.
//
// Memory layout of every app (one page, env.memory, no libc: each exports a trivial malloc/free
// so the runtime can hand it message buffers):
//   0..255      control and result words the test reads and writes
//   256..767    strings and packets the test writes
//   768..1023   console scratch ($say_num)
//   1024..1535  the app's own data segments and packets it builds
//   1536..2047  the one message buffer (malloc always returns 1536: callbacks are serialised)
// so that an app touches two 1 KiB chunks of memory and four fit in the simulator's arena.

/** Imports and helpers every app has: console_write, a bump-free allocator, "<text> <n>\n" lines. */
const COMMON_IMPORTS = `
  (import "env" "memory" (memory 1))
  (import "wasmlet" "console_write" (func $cw (param i32 i32)))`
const COMMON = `
  (func (export "malloc") (param i32) (result i32) (i32.const 1536))
  (func (export "free") (param i32))
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (block $e (loop $l
      (br_if $e (i32.eqz (local.get $n)))
      (i32.store8 (local.get $dst) (i32.load8_u (local.get $src)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
      (local.set $src (i32.add (local.get $src) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l))))
  ;; prints the text at $pre ($plen bytes), a space, $n in decimal and a newline
  (func $say_num (param $pre i32) (param $plen i32) (param $n i32)
    (local $q i32) (local $d i32)
    (call $copy (i32.const 768) (local.get $pre) (local.get $plen))
    (i32.store8 (i32.add (i32.const 768) (local.get $plen)) (i32.const 32))
    (local.set $q (i32.const 1023))
    (loop $l
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (i32.store8 (local.get $q) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $l (local.get $n)))
    (local.set $d (i32.sub (i32.const 1023) (local.get $q)))
    (call $copy (i32.add (i32.const 769) (local.get $plen)) (local.get $q) (local.get $d))
    (i32.store8 (i32.add (i32.const 769) (i32.add (local.get $plen) (local.get $d))) (i32.const 10))
    (call $cw (i32.const 768) (i32.add (local.get $plen) (i32.add (local.get $d) (i32.const 2)))))
  ;; the mid of the packed request or response at $p (big-endian, low 16 bits are enough here)
  (func $mid (param $p i32) (result i32)
    (i32.or (i32.shl (i32.load8_u offset=6 (local.get $p)) (i32.const 8)) (i32.load8_u offset=7 (local.get $p))))
`

/** A module: the common imports, the body's own imports (lines starting "(import"), then the rest. */
function wat(body: string): string {
    const lines = body.split("\n")
    const imports = lines.filter(l => /^\s*\(import /.test(l))
    const rest = lines.filter(l => !/^\s*\(import /.test(l))
    return `(module${COMMON_IMPORTS}\n${imports.join("\n")}${COMMON}${rest.join("\n")}`
}

/** A native as the probe calls it: module, field, params and results ("i", "I" = i64). */
export interface NativeSig {
    module: string
    name: string
    params: string
    results: string
}

/**
 * Every native the framework offers (framework/natives.ts TABLE). The natives test checks that
 * this list and the table agree, so a new native cannot go untested.
 */
export const NATIVES: NativeSig[] = [
    ["wasmlet.console_write", "ii", ""],
    ["env.wasm_post_request", "ii", ""],
    ["env.wasm_response_send", "ii", "i"],
    ["env.wasm_register_resource", "i", ""],
    ["env.wasm_sub_event", "i", ""],
    ["env.wasm_create_timer", "iii", "i"],
    ["env.wasm_timer_restart", "ii", ""],
    ["env.wasm_timer_cancel", "i", ""],
    ["env.wasm_timer_destroy", "i", ""],
    ["env.wasm_get_sys_tick_ms", "", "i"],
    ["env.wasm_sensor_open", "ii", "i"],
    ["env.wasm_sensor_config", "iiii", "i"],
    ["env.wasm_sensor_config_with_attr_container", "iii", "i"],
    ["env.wasm_sensor_close", "i", "i"],
    ["env.wasm_open_connection", "iii", "i"],
    ["env.wasm_close_connection", "i", ""],
    ["env.wasm_send_on_connection", "iii", "i"],
    ["env.wasm_config_connection", "iii", "i"],
    ["env.exit", "i", ""],
    ["env.abort", "i", ""],
    ["env.clock", "", "I"],
    ["env.clock_gettime", "ii", "i"],
    ["wasmlet.args_count", "", "i"],
    ["wasmlet.args_copy", "ii", "i"],
    ["wasmlet.proc_exit", "i", ""],
].map(([full, params, results]) => {
    const dot = full.indexOf(".")
    return { module: full.slice(0, dot), name: full.slice(dot + 1), params, results }
})

/** Probe control words: which native, its arguments, its result, and counters. */
export const PROBE = {
    /** 1 + index into NATIVES of the native the next callback calls (0: none). */
    SELECT: 0,
    /** Arguments a0..a3 (i32 each). */
    ARGS: 4,
    /** The native's result: low word, and high word of an i64. */
    RESULT: 20,
    RESULT_HI: 24,
    /** Natives that returned (incremented after the call). */
    CALLS: 28,
    /** Callbacks entered: on_init, on_request, on_timer_callback (incremented before the call). */
    ENTERED: 32,
    /** Where the test puts strings and packets. */
    DATA: 256,
} as const

/**
 * The probe: on_init, on_request and on_timer_callback each call the native SELECT names with
 * the arguments at ARGS, store its result and count the call; SELECT 0 calls nothing.
 */
export function probeApp(): string {
    const imports = NATIVES.map((n, i) => {
        const p = n.params.length ? ` (param ${n.params.split("").map(c => (c === "I" ? "i64" : "i32")).join(" ")})` : ""
        const r = n.results === "i" ? " (result i32)" : n.results === "I" ? " (result i64)" : ""
        return `  (import "${n.module}" "${n.name}" (func $n${i}${p}${r}))`
    })
    const cases = NATIVES.map((n, i) => {
        const args = n.params.split("").filter(c => c !== "").map((_, k) => `(i32.load offset=${PROBE.ARGS + 4 * k} (i32.const 0))`).join(" ")
        const call = `(call $n${i} ${args})`
        const store =
            n.results === "i"
                ? `(i32.store offset=${PROBE.RESULT} (i32.const 0) ${call})`
                : n.results === "I"
                  ? `(local.set $w ${call}) (i32.store offset=${PROBE.RESULT} (i32.const 0) (i32.wrap_i64 (local.get $w))) (i32.store offset=${PROBE.RESULT_HI} (i32.const 0) (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 32))))`
                  : call
        return `    (if (i32.eq (local.get $s) (i32.const ${i + 1})) (then ${store}))`
    })
    // imports must come before COMMON's functions: the module is assembled by hand
    return `(module
${imports.join("\n")}
  (import "env" "memory" (memory 1))
${COMMON}
  (func $cw (param i32 i32) (call $n0 (local.get 0) (local.get 1)))
  (func $dispatch
    (local $s i32) (local $w i64)
    (i32.store offset=${PROBE.ENTERED} (i32.const 0) (i32.add (i32.load offset=${PROBE.ENTERED} (i32.const 0)) (i32.const 1)))
    (local.set $s (i32.load offset=${PROBE.SELECT} (i32.const 0)))
    (if (i32.eqz (local.get $s)) (then (return)))
${cases.join("\n")}
    (i32.store offset=${PROBE.CALLS} (i32.const 0) (i32.add (i32.load offset=${PROBE.CALLS} (i32.const 0)) (i32.const 1))))
  (func (export "on_init") (call $dispatch))
  (func (export "on_request") (param i32 i32) (call $dispatch))
  (func (export "on_timer_callback") (param i32) (call $dispatch)))`
}

/**
 * Says each callback on its console, in the order they run: "init", "request MID", "response MID",
 * "timer ID", "destroy". on_init arms timer 1 (one-shot, 10 ms).
 */
export const ORDER_APP = wat(`
  (import "env" "wasm_create_timer" (func $create (param i32 i32 i32) (result i32)))
  (data (i32.const 1024) "init\\ndestroy\\nrequest response timer ")
  (func (export "on_init") (call $cw (i32.const 1024) (i32.const 5)) (drop (call $create (i32.const 10) (i32.const 0) (i32.const 1))))
  (func (export "on_destroy") (call $cw (i32.const 1029) (i32.const 8)))
  (func (export "on_request") (param $p i32) (param $n i32) (call $say_num (i32.const 1037) (i32.const 7) (call $mid (local.get $p))))
  (func (export "on_response") (param $p i32) (param $n i32) (call $say_num (i32.const 1045) (i32.const 8) (call $mid (local.get $p))))
  (func (export "on_timer_callback") (param $id i32) (call $say_num (i32.const 1054) (i32.const 5) (local.get $id))))`)

/** Publishes event "alert/x" every 100 ms (periodic timer), mids 1, 2, 3…; says "published MID". */
export const PUBLISHER_APP = wat(`
  (import "env" "wasm_create_timer" (func $create (param i32 i32 i32) (result i32)))
  (import "env" "wasm_post_request" (func $post (param i32 i32)))
  ;; version 1, action 6, fmt 0, mid 0, sender 0, url_len 8, payload_len 1; "alert/x\\0"; payload "!"
  (data (i32.const 1024) "\\01\\06\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\08\\00\\00\\00\\01alert/x\\00!")
  (data (i32.const 1076) "published")
  (global $mid (mut i32) (i32.const 0))
  (func (export "on_init") (drop (call $create (i32.const 100) (i32.const 1) (i32.const 1))))
  (func (export "on_timer_callback") (param i32)
    (global.set $mid (i32.add (global.get $mid) (i32.const 1)))
    (i32.store8 (i32.const 1030) (i32.shr_u (global.get $mid) (i32.const 8)))
    (i32.store8 (i32.const 1031) (global.get $mid))
    (call $post (i32.const 1024) (i32.const 27))
    (call $say_num (i32.const 1076) (i32.const 9) (global.get $mid))))`)

/** Subscriber words: events received, the last sender, then the mid of each event (u16 each). */
export const SUB = { COUNT: 0, SENDER: 4, NOT_EVENT: 8, MIDS: 16 } as const

/** Subscribes to "alert/x" and records each event (SUB); says "event MID". */
export const SUBSCRIBER_APP = wat(`
  (import "env" "wasm_sub_event" (func $sub (param i32)))
  (data (i32.const 1024) "alert/x\\00event")
  (func (export "on_init") (call $sub (i32.const 1024)))
  (func (export "on_request") (param $p i32) (param $n i32)
    (local $c i32)
    (if (i32.ne (i32.load8_u offset=1 (local.get $p)) (i32.const 6))
      (then (i32.store offset=${SUB.NOT_EVENT} (i32.const 0) (i32.add (i32.load offset=${SUB.NOT_EVENT} (i32.const 0)) (i32.const 1)))))
    (local.set $c (i32.load offset=${SUB.COUNT} (i32.const 0)))
    (i32.store16 offset=${SUB.MIDS} (i32.shl (local.get $c) (i32.const 1)) (call $mid (local.get $p)))
    (i32.store offset=${SUB.COUNT} (i32.const 0) (i32.add (local.get $c) (i32.const 1)))
    (i32.store offset=${SUB.SENDER} (i32.const 0) (i32.load offset=8 (local.get $p)))
    (call $say_num (i32.const 1032) (i32.const 5) (call $mid (local.get $p)))))`)

/** Echo words: the status byte it answers with; where on_init reads the url it registers (if any). */
export const ECHO = { STATUS: 0, HANDLED: 4, REGISTER: 256 } as const

/**
 * Registers the url at ECHO.REGISTER in on_init when the test wrote one; answers every request
 * with status ECHO.STATUS and the whole request it got as payload (mid and receiver copied).
 */
export const ECHO_APP = wat(`
  (import "env" "wasm_register_resource" (func $reg (param i32)))
  (import "env" "wasm_response_send" (func $send (param i32 i32) (result i32)))
  (func (export "on_init") (if (i32.load8_u (i32.const ${ECHO.REGISTER})) (then (call $reg (i32.const ${ECHO.REGISTER})))))
  (func (export "on_request") (param $p i32) (param $n i32)
    (i32.store offset=${ECHO.HANDLED} (i32.const 0) (i32.add (i32.load offset=${ECHO.HANDLED} (i32.const 0)) (i32.const 1)))
    (i32.store8 (i32.const 1024) (i32.const 1))
    (i32.store8 (i32.const 1025) (i32.load8_u (i32.const ${ECHO.STATUS})))
    (i32.store16 (i32.const 1026) (i32.const 0))
    (i32.store (i32.const 1028) (i32.load offset=4 (local.get $p)))
    (i32.store (i32.const 1032) (i32.load offset=8 (local.get $p)))
    (i32.store8 (i32.const 1036) (i32.shr_u (local.get $n) (i32.const 24)))
    (i32.store8 (i32.const 1037) (i32.shr_u (local.get $n) (i32.const 16)))
    (i32.store8 (i32.const 1038) (i32.shr_u (local.get $n) (i32.const 8)))
    (i32.store8 (i32.const 1039) (local.get $n))
    (call $copy (i32.const 1040) (local.get $p) (local.get $n))
    (drop (call $send (i32.const 1024) (i32.add (local.get $n) (i32.const 16))))))`)

/**
 * Sends two GET requests in on_init, "/app/echo/hello" (mid 1) and "/nobody/here" (mid 2), and
 * says "response MID" and "status S" for each response.
 */
export const REQUESTER_APP = wat(`
  (import "env" "wasm_post_request" (func $post (param i32 i32)))
  ;; url_len 16: "/app/echo/hello\\0"; url_len 13: "/nobody/here\\0"
  (data (i32.const 1024) "\\01\\01\\00\\00\\00\\00\\00\\01\\00\\00\\00\\00\\00\\10\\00\\00\\00\\00/app/echo/hello\\00")
  (data (i32.const 1076) "\\01\\01\\00\\00\\00\\00\\00\\02\\00\\00\\00\\00\\00\\0d\\00\\00\\00\\00/nobody/here\\00")
  (data (i32.const 1176) "response status")
  (func (export "on_init") (call $post (i32.const 1024) (i32.const 34)) (call $post (i32.const 1076) (i32.const 31)))
  (func (export "on_response") (param $p i32) (param $n i32)
    (call $say_num (i32.const 1176) (i32.const 8) (call $mid (local.get $p)))
    (call $say_num (i32.const 1185) (i32.const 6) (i32.load8_u offset=1 (local.get $p)))))`)

/** Arms a periodic timer of TICKER.PERIOD ms; counts and says "tick N" at each expiry. */
export const TICKER = { PERIOD: 50, COUNT: 0 } as const
export const TICKER_APP = wat(`
  (import "env" "wasm_create_timer" (func $create (param i32 i32 i32) (result i32)))
  (data (i32.const 1024) "tick")
  (func (export "on_init") (drop (call $create (i32.const ${TICKER.PERIOD}) (i32.const 1) (i32.const 1))))
  (func (export "on_timer_callback") (param i32)
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (call $say_num (i32.const 1024) (i32.const 4) (i32.load (i32.const 0)))))`)

/** on_init never returns. */
export const LOOP_INIT_APP = wat(`
  (func (export "on_init") (loop $l (br $l))))`)

/** on_init arms a 100 ms one-shot timer; says "looping" and never returns from its callback. */
export const LOOP_TIMER_APP = wat(`
  (import "env" "wasm_create_timer" (func $create (param i32 i32 i32) (result i32)))
  (data (i32.const 1024) "looping\\n")
  (func (export "on_init") (drop (call $create (i32.const 100) (i32.const 0) (i32.const 1))))
  (func (export "on_timer_callback") (param i32) (call $cw (i32.const 1024) (i32.const 8)) (loop $l (br $l))))`)

/**
 * Traps in every other request: an odd mid stores past its memory ("out of bounds memory
 * access"), an even one says "request MID". Its on_init says "init".
 */
export const TRAPPER_APP = wat(`
  (data (i32.const 1024) "init\\nrequest")
  (func (export "on_init") (call $cw (i32.const 1024) (i32.const 5)))
  (func (export "on_request") (param $p i32) (param $n i32)
    (if (i32.and (call $mid (local.get $p)) (i32.const 1)) (then (i32.store (i32.const 65534) (i32.const 1))))
    (call $say_num (i32.const 1029) (i32.const 7) (call $mid (local.get $p)))))`)

/** Sensor words: readings, the last sensor id and buffer length, the id sensor_open returned. */
export const SENSE = { COUNT: 0, LAST_ID: 4, LAST_LEN: 8, OPENED: 12, CLOSE_AFTER: 16, CLOSED: 20 } as const

/**
 * Opens sensor_test1 (instance 0) and sets its interval to 100 ms; counts readings (SENSE) and
 * closes the sensor after SENSE.CLOSE_AFTER readings (written by the test; 0: never).
 */
export const SENSOR_APP = wat(`
  (import "env" "wasm_sensor_open" (func $open (param i32 i32) (result i32)))
  (import "env" "wasm_sensor_config" (func $config (param i32 i32 i32 i32) (result i32)))
  (import "env" "wasm_sensor_close" (func $close (param i32) (result i32)))
  (data (i32.const 1024) "sensor_test1\\00reading")
  (func (export "on_init")
    (i32.store offset=${SENSE.OPENED} (i32.const 0) (call $open (i32.const 1024) (i32.const 0)))
    (drop (call $config (i32.load offset=${SENSE.OPENED} (i32.const 0)) (i32.const 100) (i32.const 0) (i32.const 0))))
  (func (export "on_sensor_event") (param $id i32) (param $p i32) (param $n i32)
    (i32.store offset=${SENSE.COUNT} (i32.const 0) (i32.add (i32.load offset=${SENSE.COUNT} (i32.const 0)) (i32.const 1)))
    (i32.store offset=${SENSE.LAST_ID} (i32.const 0) (local.get $id))
    (i32.store offset=${SENSE.LAST_LEN} (i32.const 0) (local.get $n))
    (call $say_num (i32.const 1037) (i32.const 7) (i32.load offset=${SENSE.COUNT} (i32.const 0)))
    (if (i32.eq (i32.load offset=${SENSE.COUNT} (i32.const 0)) (i32.load offset=${SENSE.CLOSE_AFTER} (i32.const 0)))
      (then (i32.store offset=${SENSE.CLOSED} (i32.const 0) (call $close (local.get $id)))))))`)

/** The apps the simulator suite runs (name -> WAT); scripts/gen-framework-test-images.ts compiles them. */
export const DEVS_APPS: Record<string, string> = {
    ticker: TICKER_APP,
    publisher: PUBLISHER_APP,
    subscriber: SUBSCRIBER_APP,
    echo: ECHO_APP,
    requester: REQUESTER_APP,
    trapper: TRAPPER_APP,
    looper: LOOP_INIT_APP,
    sensor: SENSOR_APP,
}

/**
 * A WASI command (own memory, wasi_snapshot_preview1 only): prints each argument on a line, then
 * "errnos A B C D E F" for fd_write(9), fd_seek(1), fd_close(9), fd_fdstat_get(5), fd_fdstat_get(1)
 * and stdout's filetype, then calls proc_exit(the number of arguments + 10), or traps at once when
 * its first argument is "trap" and returns from _start when it is "return".
 */
export const WASI_APP = `(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $asg (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $ag (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fw (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fs (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fc (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fst (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 900) "errnos")
  ;; writes [p, p+n) to fd 1
  (func $out (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fw (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $char (param $c i32) (i32.store8 (i32.const 12) (local.get $c)) (call $out (i32.const 12) (i32.const 1)))
  (func $num (param $n i32)
    (call $char (i32.const 32))
    (if (i32.ge_u (local.get $n) (i32.const 10)) (then (call $char (i32.add (i32.const 48) (i32.div_u (local.get $n) (i32.const 10))))))
    (call $char (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10)))))
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $e (loop $l (br_if $e (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n))))) (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $l)))
    (local.get $n))
  (func (export "_start") (local $argc i32) (local $i i32) (local $a i32)
    (drop (call $asg (i32.const 16) (i32.const 20)))
    (local.set $argc (i32.load (i32.const 16)))
    (drop (call $ag (i32.const 32) (i32.const 256)))
    (if (i32.gt_u (local.get $argc) (i32.const 1)) (then
      (local.set $a (i32.load (i32.const 36)))
      (if (i32.eq (i32.load (local.get $a)) (i32.const 0x70617274)) (then unreachable)) ;; "trap"
      (if (i32.eq (i32.load (local.get $a)) (i32.const 0x75746572)) (then (return))))) ;; "retu"
    (block $e (loop $l
      (br_if $e (i32.ge_u (local.get $i) (local.get $argc)))
      (local.set $a (i32.load (i32.add (i32.const 32) (i32.shl (local.get $i) (i32.const 2)))))
      (call $out (local.get $a) (call $strlen (local.get $a)))
      (call $char (i32.const 10))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (call $out (i32.const 900) (i32.const 6))
    (call $num (call $fw (i32.const 9) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $num (call $fs (i32.const 1) (i64.const 0) (i32.const 0) (i32.const 64)))
    (call $num (call $fc (i32.const 9)))
    (call $num (call $fst (i32.const 5) (i32.const 64)))
    (call $num (call $fst (i32.const 1) (i32.const 64)))
    (call $num (i32.load8_u (i32.const 64)))
    (call $char (i32.const 10))
    (call $exit (i32.add (local.get $argc) (i32.const 10)))))`

/** A command built like the SDK's (env natives, no WASI): main's result is its exit code. */
export const MAIN_APP = wat(`
  (data (i32.const 1024) "main\\n")
  (func (export "main") (result i32) (call $cw (i32.const 1024) (i32.const 5)) (i32.const 42)))`)

/** on_request counts calls at word 0; its malloc always fails (returns 0). */
export const NO_HEAP_APP = `(module
  (import "env" "memory" (memory 1))
  (func (export "malloc") (param i32) (result i32) (i32.const 0))
  (func (export "free") (param i32))
  (func (export "on_init"))
  (func (export "on_request") (param i32 i32) (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))))`

/** The same without any allocator: message buffers have nowhere to go. */
export const NO_MALLOC_APP = `(module
  (import "env" "memory" (memory 1))
  (func (export "on_init"))
  (func (export "on_timer_callback") (param i32) (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (i32.const 1))))
  (func (export "on_request") (param i32 i32) (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))))`
