// Runs the AssemblyScript compiler for build.sh with the SDK's allocator (rt/alloc.ts) in place of
// TLSF: the compiler's bundled library files are a table it exports, and `--runtime minimal` reads
// rt/tlsf from it. Usage (build.sh passes the flags): node build.mjs ASC_ARGS...
import * as asc from "assemblyscript/asc"
import { readFileSync } from "node:fs"

asc.libraryFiles["rt/tlsf"] = readFileSync(new URL("./rt/alloc.ts", import.meta.url), "utf8")
const { error } = await asc.main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
if (error) process.exit(1)
