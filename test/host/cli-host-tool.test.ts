// `wasmlet host-tool`: WAMR host_tool's argument rules (getopt_long, -qNAME attached, an option before
// its operation, one operation), its output byte for byte (`\nresponse status N\n`, cJSON's text,
// `received an event`, `operation timeout`) and its exit codes (65, 66, 69, the app's status, 160,
// 2 on timeout, 255 on bad arguments or no board), against a fake board.
import { afterEach, beforeAll, describe, expect, it } from "vitest"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { createSocket } from "node:dgram"
import { jsonToAttr } from "../../host/cli/_attr-json"
import { atoi, getopt, main, parseHostToolArgs } from "../../host/cli/host-tool"
import { readAttrContainer } from "../../host/run/attr-reader"
import { ROOT, TIMER, fakeIo, scratch, tick, until } from "./cli-fake-board"

let dir: string
let invalid: string
beforeAll(async () => void ({ dir, invalid } = await scratch("wasmlet-host-tool-")))

let fake: ReturnType<typeof fakeIo>
afterEach(() => fake?.restore())

describe("arguments, as host_tool's getopt_long reads them", () => {
    it("short, attached, long, long=value and unique prefixes", () => {
        expect(getopt(["-i", "a", "-fx.wasm", "--timeout=300", "--alive", "9", "--inst=b", "-q", "-qname"])).toEqual([
            { key: "i", value: "a" },
            { key: "f", value: "x.wasm" },
            { key: "t", value: "300" },
            { key: "a", value: "9" },
            { key: "i", value: "b" },
            { key: "q", value: undefined },
            { key: "q", value: "name" },
        ])
        expect(() => getopt(["-x"])).toThrow(/invalid option -- 'x'/)
        expect(() => getopt(["--re"])).toThrow(/ambiguous/) // request, register
        expect(() => getopt(["-t"])).toThrow(/requires an argument/)
        expect(atoi("12ms")).toBe(12)
        expect(atoi("x")).toBe(0)
    })

    it("operations and their options", () => {
        expect(parseHostToolArgs(["-i", "timer", "-f", "t.wasm", "--heap=8192"])).toMatchObject({ op: { type: "install", name: "timer", file: "t.wasm" }, timeoutMs: 5000, aliveMs: 0, ignored: ["--heap=8192"] })
        expect(parseHostToolArgs(["-qtimer"]).op).toEqual({ type: "query", name: "timer" })
        expect(parseHostToolArgs(["-q", "timer"]).op).toEqual({ type: "query", name: undefined }) // the name must be attached
        expect(parseHostToolArgs(["-r", "/app/x/y", "-A", "post", "-p", "f.json", "-t", "100", "-a", "50"])).toMatchObject({
            op: { type: "request", url: "/app/x/y", action: "POST", payloadFile: "f.json" },
            timeoutMs: 100,
            aliveMs: 50,
        })
        expect(parseHostToolArgs(["-s", "/alert", "-D", "/dev/ttyACM0"])).toMatchObject({ op: { type: "register", url: "/alert" }, uart: "/dev/ttyACM0" })
        expect(parseHostToolArgs(["-d", "alert", "-S", "10.0.0.2", "-P", "9000"])).toMatchObject({ op: { type: "unregister" }, ignored: ["-S 10.0.0.2", "-P 9000"] })
        expect(parseHostToolArgs(["-u", "timer", "--sim"])).toMatchObject({ sim: true })
    })

    it.each([
        [[]],
        [["-i", "timer"]], // no -f
        [["-f", "x.wasm", "-i", "timer"]], // -f before -i
        [["-A", "GET", "-r", "/x"]], // -A before -r
        [["-r", "/x", "-A", "FETCH"]],
        [["-r", "/x"]],
        [["-u", "a", "-u", "b"]], // two operations
        [["-u", "a", "-S", "h", "-D", "/dev/x"]],
        [["-u", "a", "--heap=1"]], // --heap belongs to -i
        [["-h"]],
        [["--bogus"]],
    ])("%j: usage on stdout, exit 255, nothing connected", async argv => {
        fake = fakeIo()
        expect(await main(argv)).toBe(255)
        expect(fake.got.stdout).toMatch(/^\nUsage:\n\twasmlet host-tool -i\|-u\|-q\|-r\|-s\|-d/)
        expect(fake.got.connects).toEqual([])
    })
})

describe("output and exit codes", () => {
    it("-i: 65 and the bare status line; the image is the host-compiled one", async () => {
        fake = fakeIo()
        expect(await main(["-i", "timer", "-f", TIMER])).toBe(65)
        expect(fake.got.stdout).toBe("\nresponse status 65\n")
        expect(fake.client.ops()).toEqual(["install"])
    })

    it("-i with an invalid module: 160 and WAMR's error object, nothing sent", async () => {
        fake = fakeIo()
        expect(await main(["-i", "bad", "-f", invalid])).toBe(160)
        expect(fake.got.stdout).toMatch(/^\nresponse status 160\n\{\n\t"error message":\t"Install WASM app failed: .*type mismatch.*"\n\}$/)
        expect(fake.client.ops()).toEqual([])
    })

    it("-q: the Applets Info container as cJSON prints it; -qNAME; an unknown name is 160", async () => {
        fake = fakeIo()
        await main(["-i", "timer", "-f", TIMER])
        await main(["-i", "pub", "-f", join(ROOT, "apps/samples/event_publisher/event_publisher.wasm")])
        fake.got.stdout = ""
        expect(await main(["-q"])).toBe(69)
        expect(fake.got.stdout).toBe('\nresponse status 69\n{\n\t"num":\t2,\n\t"applet1":\t"timer",\n\t"heap1":\t4096,\n\t"applet2":\t"pub",\n\t"heap2":\t4096\n}')
        fake.got.stdout = ""
        expect(await main(["-qpub"])).toBe(69)
        expect(fake.got.stdout).toBe('\nresponse status 69\n{\n\t"name":\t"pub",\n\t"heap":\t4096\n}')
        fake.got.stdout = ""
        expect(await main(["-qnope"])).toBe(160)
        expect(fake.got.stdout).toBe('\nresponse status 160\n{\n\t"error message":\t"Query Applet failed: the app is not found."\n}')
    })

    it("-u: 66; an unknown app is 160 'no app found.'", async () => {
        fake = fakeIo()
        await main(["-i", "timer", "-f", TIMER])
        fake.got.stdout = ""
        expect(await main(["-u", "timer"])).toBe(66)
        expect(fake.got.stdout).toBe("\nresponse status 66\n")
        fake.got.stdout = ""
        expect(await main(["-u", "timer"])).toBe(160)
        expect(fake.got.stdout).toBe('\nresponse status 160\n{\n\t"error message":\t"Uninstall WASM app failed: no app found."\n}')
    })

    it("-r: the payload file as an attr_container, the app's status as the exit code, its payload as JSON", async () => {
        fake = fakeIo()
        const f = join(dir, "req.json")
        writeFileSync(f, '{"threshold": 30.5, "on": true}')
        fake.client.response = () => ({ status: 69, fmt: 99, mid: 1, payload: jsonToAttr({ key1: "value1", num: 1 / 3 }) })
        expect(await main(["-r", "/app/request_handler/url1", "-A", "GET", "-p", f])).toBe(69)
        expect(fake.got.stdout).toBe('\nresponse status 69\n{\n\t"key1":\t"value1",\n\t"num":\t0.33333333333333331\n}')
        const [action, url, opts] = fake.client.calls[0].args as [string, string, any]
        expect([action, url, opts.fmt]).toEqual(["GET", "/app/request_handler/url1", 99])
        expect(readAttrContainer(opts.payload).attrs).toEqual({ threshold: 30.5, on: true })
        fake.got.stdout = ""
        fake.client.response = () => ({ status: 132, fmt: 0, mid: 2, payload: new Uint8Array(0) })
        expect(await main(["-r", "/nothing", "-A", "DELETE"])).toBe(132)
        expect(fake.got.stdout).toBe("\nresponse status 132\n")
    })

    it("no reply within -t: 'operation timeout', exit 2", async () => {
        fake = fakeIo()
        fake.client.response = () => new Promise(() => {}) as any // the app never answers
        const t0 = Date.now()
        expect(await main(["-r", "/app/x/y", "-A", "GET", "-t", "200"])).toBe(2)
        expect(Date.now() - t0).toBeGreaterThanOrEqual(190)
        expect(fake.got.stdout).toBe("operation timeout\n")
        fake.got.stdout = ""
        fake.client.silent = true // the link gives up (LinkTimeoutError)
        expect(await main(["-u", "x"])).toBe(2)
        expect(fake.got.stdout).toBe("operation timeout\n")
    })

    it("-s: 69, then the events that come within -a, each with its url and JSON; -d: 69", async () => {
        fake = fakeIo()
        const done = main(["-s", "/alert/overheat", "-a", "300"])
        await until(() => fake.got.stdout.includes("69"))
        expect(fake.client.calls[0].args).toEqual(["alert/overheat"])
        fake.client.emitEvent({ url: "alert/overheat", action: 6, fmt: 99, mid: 9, sender: 1, payload: jsonToAttr({ warning: "temperature is over high" }) })
        expect(await done).toBe(69)
        expect(fake.got.stdout).toBe('\nresponse status 69\n\nreceived an event alert/overheat\n{\n\t"warning":\t"temperature is over high"\n}')
        fake.got.stdout = ""
        expect(await main(["-d", "alert/overheat"])).toBe(69)
        expect(fake.got.stdout).toBe("\nresponse status 69\n")
        expect(fake.client.ops().slice(-2)).toEqual(["subscribe", "unsubscribe"])
    })

    it("no board: 255 with the reason on stderr", async () => {
        fake = fakeIo({ noBoard: true })
        expect(await main(["-q"])).toBe(255)
        expect(fake.got.stdout).toBe("")
        expect(fake.got.stderr).toMatch(/no board connected/)
    })

    it("-o FILE and -U PORT get a copy of the output", async () => {
        fake = fakeIo()
        const f = join(dir, "out.txt")
        const sock = createSocket("udp4")
        const got: string[] = []
        sock.on("message", m => got.push(m.toString()))
        await new Promise<void>(r => sock.bind(0, "127.0.0.1", () => r()))
        const port = sock.address().port
        expect(await main(["-qnope", "-o", f, "-U", String(port)])).toBe(160)
        await until(() => got.join("") === fake.got.stdout)
        sock.close()
        expect(readFileSync(f, "utf8")).toBe(fake.got.stdout)
    })
})

