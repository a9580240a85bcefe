import "../../interpreter/platform/node-core"
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { expect, test } from "vitest"
import { generateVectorsFile } from "./gen-vectors"

const FILE = fileURLToPath(new URL("../devs/numeric-vectors.ts", import.meta.url))

test("test/devs/numeric-vectors.ts is up to date with the reference", () => {
    const text = generateVectorsFile()
    if (process.env.UPDATE_VECTORS) writeFileSync(FILE, text)
    expect(readFileSync(FILE, "utf8")).toBe(text)
    expect(text).toMatch(/F64_COUNT = [1-9]/)
})
