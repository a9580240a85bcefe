import { defineConfig } from "vitest/config"
import { fileURLToPath } from "node:url"

export default defineConfig({
    resolve: {
        alias: {
            // The engine imports DeviceScript's core; on Node it gets the shim (see interpreter/platform).
            "@devicescript/core": fileURLToPath(new URL("./interpreter/platform/node-core.ts", import.meta.url)),
        },
    },
    test: {
        include: ["test/**/*.test.ts"],
        exclude: ["test/devs/**", "node_modules/**"],
        testTimeout: 60_000,
    },
})
