// The module's index spaces (imports first, then definitions), built once per module so that
// compiling each function does not rescan the imports for every call or global access.

import { FuncType, ValType, WasmModule } from "../wasm-types"

export class ModuleIndex {
    readonly funcTypes: FuncType[] = []
    readonly globalTypes: ValType[] = []
    readonly tableElemTypes: ValType[] = []
    readonly importedFuncCount: number

    constructor(readonly module: WasmModule) {
        for (const im of module.imports) {
            const d = im.desc
            if (d.kind === "func") this.funcTypes.push(module.types[d.typeIndex])
            else if (d.kind === "global") this.globalTypes.push(d.global.type)
            else if (d.kind === "table") this.tableElemTypes.push(d.table.elem)
        }
        this.importedFuncCount = this.funcTypes.length
        for (const t of module.funcs) this.funcTypes.push(module.types[t])
        for (const g of module.globals) this.globalTypes.push(g.type.type)
        for (const t of module.tables) this.tableElemTypes.push(t.elem)
    }
}
