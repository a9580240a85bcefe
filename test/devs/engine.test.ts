// The engine inside the DeviceScript VM: loads device images compiled on the host and checks
// each call against what Node's WebAssembly computed (see test/engine/devs-cases.test.ts).
// This is where DeviceScript's number quirks (no -0, no NaN payloads, flushed subnormals,
// falsy 0.5) would show up.
import { describe, test, expect } from "@devicescript/test"
import { loadImage, loadImageInto, instantiate, callExport, Arena, LoadedModule } from "../../interpreter/index"
import { ENGINE_CASES, EngineCase } from "./engine-cases"

// Every case twice: the image where it is (flash), and copied into an arena account at a page
// offset, so that the relocation of its offsets runs on DeviceScript too.
const arena = new Arena(8 * 1024)
const account = arena.account("cases", 8 * 1024)
account.alloc(1, "pad")

async function load(c: EngineCase, inArena: boolean): Promise<LoadedModule> {
    return inArena ? await loadImageInto(account, c.image) : loadImage(c.image)
}

describe("engine in DeviceScript", () => {
    const cases: EngineCase[] = []
    const inArena: boolean[] = []
    ENGINE_CASES.forEach(c => {
        cases.push(c)
        inArena.push(false)
        cases.push(c)
        inArena.push(true)
    })
    cases.forEach((c, i) => {
        test(c.name + (inArena[i] ? " (image in the arena)" : ""), async () => {
            const mod = await load(c, inArena[i])
            const inst = instantiate(mod, null)
            for (let k = 0; k < c.calls.length; k++) {
                const call = c.calls[k]
                let got = 0
                let trapped = ""
                try {
                    got = await callExport(inst, call.fn, call.args)
                } catch (e) {
                    trapped = (e as Error).message
                }
                const what = c.name + "." + call.fn + "(" + call.args.join(",") + ")"
                // trap texts match by prefix, as in the spec harness ("uninitialized element 2")
                if (call.trap !== "" && trapped.indexOf(call.trap) === 0) trapped = call.trap
                expect(what + " trap=" + trapped).toBe(what + " trap=" + call.trap)
                expect(what + "=" + got).toBe(what + "=" + call.expect)
            }
            inst.dispose()
            mod.release()
        })
    })
    test("a corrupted image is rejected", () => {
        const img = ENGINE_CASES[0].image
        const bad = Buffer.alloc(img.length)
        bad.blitAt(0, img, 0, img.length)
        bad[img.length - 3] = bad[img.length - 3] ^ 0x10
        let msg = ""
        try {
            loadImage(bad)
        } catch (e) {
            msg = (e as Error).message
        }
        expect(msg).toBe("bad image: checksum mismatch (corrupt image)")
        let msg2 = ""
        try {
            loadImage(img.slice(0, 40))
        } catch (e) {
            msg2 = (e as Error).message
        }
        expect(msg2.indexOf("bad image") === 0).toBe(true)
    })
})
