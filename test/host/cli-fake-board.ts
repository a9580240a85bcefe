// A board for the CLI tests that needs no simulator: a stand-in for host/link's ManagerClient that
// keeps apps in a Map and answers as the device would (ManagerError with the device's status for an
// unknown app, LinkTimeoutError when told to stay silent), and records what the commands asked.
// It plugs in through _common.ts's `io`, which also captures stdout and stderr.
import { Status } from "../../manager/protocol"
import type { AppEvent, AppResponse, ListResult, RequestOptions } from "../../host/link/client"
import { LinkTimeoutError, ManagerError, NoBoardError } from "../../host/link/errors"
import type { AppInfo, BoardInfo, LogLine } from "../../host/link/packets"
import type { InstallOptions, InstallReport } from "../../host/link/upload"
import { io, TargetOptions } from "../../host/cli/_common"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { watToWasm } from "../engine/helpers"

export const ROOT = join(import.meta.dirname, "../..")
export const TIMER = join(ROOT, "apps/samples/timer/timer.wasm")

/** A fresh temp folder holding bad.wasm, a module that does not validate (an i32 function returns an i64). */
export async function scratch(prefix: string): Promise<{ dir: string; invalid: string }> {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    const invalid = join(dir, "bad.wasm")
    writeFileSync(invalid, await watToWasm(`(module (func (export "f") (result i32) (i64.const 0)))`))
    return { dir, invalid }
}

export interface Call {
    op: string
    args: unknown[]
}

export class FakeClient {
    apps = new Map<string, AppInfo>()
    calls: Call[] = []
    /** The next request's answer (default 2.05 with no payload). */
    response: (method: string | number, url: string, opts: RequestOptions) => AppResponse = () => ({ status: 69, fmt: 0, mid: 1, payload: new Uint8Array(0) })
    held: LogLine[] = []
    silent = false
    private logListeners = new Set<(l: LogLine) => void>()
    private subs = new Map<string, (e: AppEvent) => void>()
    board: BoardInfo = { board: "simulator", maxApps: 3, apps: 0, storeSlots: 4, storeChunks: 36, chunkBytes: 224, storeCapacity: 8064, storeUsed: 0, arenaBytes: 24576, arenaFree: 24576, appArenaBytes: 12288 }

    private call(op: string, ...args: unknown[]): void {
        this.calls.push({ op, args })
        if (this.silent) throw new LinkTimeoutError(`${op}: no answer from fake after 8 tries (300 ms each)`, 8)
    }

    private app(op: string, name: string): AppInfo {
        const a = this.apps.get(name)
        if (!a) throw new ManagerError(`${op} ${name}`, Status.NOT_FOUND, `no app named ${name}`)
        return a
    }

    async install(name: string, image: Uint8Array, opts: InstallOptions = {}): Promise<InstallReport> {
        this.call("install", name, image)
        const stored = Math.ceil(image.length * 0.9)
        const chunks = Math.ceil(stored / 224)
        for (let i = 0; i <= chunks; i++) opts.onProgress?.({ done: i, chunks, bytes: Math.min(stored, i * 224), storedBytes: stored, phase: "upload" })
        opts.onProgress?.({ done: chunks, chunks, bytes: stored, storedBytes: stored, phase: "commit" })
        this.apps.set(name, {
            name,
            state: "running",
            restarts: 0,
            imageBytes: image.length,
            arenaBytes: 4096,
            uptimeMs: 0,
            storedBytes: stored,
            baked: false,
            installed: true,
            inFlash: false,
            slot: 0,
            error: "",
        })
        return { imageBytes: image.length, storedBytes: stored, chunks, resent: 0, resumedAt: 0, ms: 12, arenaBytes: 4096 }
    }
    async uninstall(name: string): Promise<void> {
        this.call("uninstall", name)
        this.app("uninstall", name)
        this.apps.delete(name)
    }
    async start(name: string): Promise<void> {
        this.call("start", name)
        this.app("start", name).state = "running"
    }
    async stop(name: string): Promise<void> {
        this.call("stop", name)
        this.app("stop", name).state = "stopped"
    }
    async list(): Promise<ListResult> {
        this.call("list")
        return { apps: [...this.apps.values()], board: { ...this.board, apps: this.apps.size } }
    }
    async request(method: string | number, url: string, opts: RequestOptions = {}): Promise<AppResponse> {
        this.call("request", method, url, opts)
        return this.response(method, url, opts)
    }
    async subscribe(url: string, listener: (e: AppEvent) => void): Promise<() => Promise<void>> {
        this.call("subscribe", url)
        this.subs.set(url, listener)
        return async () => {
            this.calls.push({ op: "unsubscribe", args: [url] })
            this.subs.delete(url)
        }
    }
    async logs(name = ""): Promise<LogLine[]> {
        this.call("logs", name)
        return this.held.filter(l => name === "" || l.app === name)
    }
    onLog(fn: (l: LogLine) => void): () => void {
        this.logListeners.add(fn)
        return () => this.logListeners.delete(fn)
    }

    /** What the board sends by itself. */
    emitLog(l: LogLine): void {
        for (const fn of this.logListeners) fn(l)
    }
    emitEvent(e: AppEvent): boolean {
        const fn = this.subs.get(e.url)
        fn?.(e)
        return fn !== undefined
    }
    ops(): string[] {
        return this.calls.map(c => c.op)
    }
}

/** Replaces io for a test: output captured, the link a FakeClient (or no board at all). */
export function fakeIo(opts: { noBoard?: boolean } = {}) {
    const client = new FakeClient()
    const got = { stdout: "", stderr: "", connects: [] as TargetOptions[], closes: 0 }
    const saved = { ...io }
    io.stdout = s => void (got.stdout += s)
    io.stderr = s => void (got.stderr += s)
    io.connect = async t => {
        got.connects.push(t)
        if (opts.noBoard) throw new NoBoardError("no board connected and no simulator running (start one: wasmlet sim)")
        return { client: client as any, label: "fake", close: async () => void got.closes++ }
    }
    return {
        client,
        got,
        restore: () => Object.assign(io, saved),
        /** stdout lines that are JSON, parsed. */
        json: () => got.stdout.split("\n").filter(l => l.startsWith("{") || l.startsWith("[")).map(l => JSON.parse(l)),
    }
}

export const tick = (ms = 0) => new Promise(r => setTimeout(r, ms))

/** Waits until cond() holds (throws after 10 s). */
export async function until(cond: () => boolean): Promise<void> {
    const t0 = Date.now()
    while (!cond()) {
        if (Date.now() - t0 > 10_000) throw new Error("timed out waiting")
        await tick(10)
    }
}
