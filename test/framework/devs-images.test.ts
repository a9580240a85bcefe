// The committed device images of the simulator's framework suite (test/devs/framework-images.ts)
// are what scripts/gen-framework-test-images.ts makes of today's test apps and compiler.
import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { FRAMEWORK_IMAGES_FILE, renderFrameworkImages } from "../../scripts/gen-framework-test-images"

describe("simulator framework suite images", () => {
    it("test/devs/framework-images.ts is up to date (regenerate: npx tsx scripts/gen-framework-test-images.ts)", async () => {
        expect(readFileSync(FRAMEWORK_IMAGES_FILE, "utf8") === (await renderFrameworkImages())).toBe(true)
    })
})
