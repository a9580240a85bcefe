// The JIT is Node-only: nothing the DeviceScript firmware is built from may import it.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../..", import.meta.url))

function sources(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap(e =>
        e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
    )
}

it("interpreter/ and firmware/ do not import host/jit", () => {
    const importers = [...sources("interpreter"), ...sources("firmware")].filter(f => /from\s+["'][^"']*host\/jit/.test(readFileSync(join(ROOT, f), "utf8")))
    expect(importers).toEqual([])
    expect(sources("interpreter").length).toBeGreaterThan(10)
})
