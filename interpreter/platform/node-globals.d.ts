// Type-level view of DeviceScript's Buffer methods for code type-checked against Node.
// (At run time node-buffer.ts provides them.)
export {}
declare global {
    interface Buffer {
        getAt(offset: number, format: string): number
        setAt(offset: number, format: string, value: number): void
        blitAt(offset: number, src: Buffer, srcOffset: number, len: number): void
        fillAt(offset: number, length: number, value: number): void
    }
}
