// A global's cell: shared by the instance that defines it and every instance importing it.
// `value` holds the JIT representation (i32: int32 number, i64: signed BigInt, floats: see
// float-bits.ts, references: null / function / host value).

export class JitGlobal {
    constructor(public value: unknown, readonly type: number, readonly mutable: boolean) {}
}
