// The device end of JD-USB, the byte stream a Jacdac board speaks on a USB serial port (what
// jacdac-ts's jdusb.ts is the host end of), written from the format for the pty board:
//
//   0xFE 0xFC  frame bytes  0xFE 0xFD     a frame; a 0xFE inside it is sent as 0xFE 0xF8
//   anything outside a frame              the board's serial console (and noise: the host pads
//                                         what it writes to 64 bytes with zeros)
//   0xFE 0xFA / 0xFE 0xFB / 0xFE 0xF9     serial output skipped / frames skipped / reserved
//
// The host first writes an HF2 "bin info" request (a board speaking HF2 answers it); a JD-USB board
// reads it as console noise and answers the JD-USB frames that follow it, so the host stays on JD-USB.

export const MAGIC = 0xfe
export const LITERAL_MAGIC = 0xf8
export const FRAME_START = 0xfc
export const FRAME_END = 0xfd

/** Frame bytes as they go on the line. */
export function encodeJdUsb(frame: Uint8Array): Uint8Array {
    const out: number[] = [MAGIC, FRAME_START]
    for (const b of frame) {
        out.push(b)
        if (b === MAGIC) out.push(LITERAL_MAGIC)
    }
    out.push(MAGIC, FRAME_END)
    return Uint8Array.from(out)
}

/** Reads the line byte by byte: whole frames out, the bytes between them ignored, broken framing counted. */
export class JdUsbDecoder {
    /** Frames cut short by a second start, or quoted bytes that make no sense: their bytes are dropped. */
    framingErrors = 0
    /** Bytes outside frames (the HF2 probe, the host's zero padding). */
    outsideBytes = 0
    private inFrame = false
    private quoted = false
    private buf: number[] = []

    constructor(private onFrame: (frame: Uint8Array) => void) {}

    push(data: Uint8Array): void {
        for (const c of data) {
            if (this.quoted) {
                this.quoted = false
                this.quotedByte(c)
            } else if (c === MAGIC) this.quoted = true
            else if (this.inFrame) this.byte(c)
            else this.outsideBytes++
        }
    }

    /** After a host session ends: whatever half a frame was on the line is gone. */
    reset(): void {
        this.inFrame = false
        this.quoted = false
        this.buf = []
    }

    private byte(c: number): void {
        if (this.buf.length >= 256) {
            this.framingErrors++
            this.inFrame = false
            this.buf = []
        } else this.buf.push(c)
    }

    private quotedByte(c: number): void {
        switch (c) {
            case LITERAL_MAGIC:
                if (this.inFrame) this.byte(MAGIC)
                else this.outsideBytes++
                return
            case FRAME_START:
                if (this.inFrame) this.framingErrors++
                this.inFrame = true
                this.buf = []
                return
            case FRAME_END:
                if (!this.inFrame) {
                    this.framingErrors++
                    return
                }
                this.inFrame = false
                this.onFrame(Uint8Array.from(this.buf))
                this.buf = []
                return
            case 0xf9:
            case 0xfa:
            case 0xfb:
                return
            default:
                // not a quote this end knows: broken framing
                if (this.inFrame) {
                    this.framingErrors++
                    this.inFrame = false
                    this.buf = []
                } else this.outsideBytes += 2
        }
    }
}
