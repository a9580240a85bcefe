// WAMR's response codes (CoAP style, class << 5 | detail: 69 = 2.05 content; framework/packets.ts)
// as HTTP statuses, the way the gateway answers: 2.01 -> 201, 2.02 deleted -> 204 without a payload,
// the other 2.xx -> 200, 4.DD -> 4DD, 5.DD -> 5DD; anything HTTP has no number for -> 502.

/** "2.05" for 69. */
export function coapCode(status: number): string {
    return `${status >> 5}.${String(status & 31).padStart(2, "0")}`
}

export function httpStatus(status: number, hasPayload: boolean): number {
    const cls = status >> 5
    const detail = status & 31
    if (cls === 2) {
        if (detail === 1) return 201
        if (detail === 2) return hasPayload ? 200 : 204
        return 200
    }
    if ((cls === 4 || cls === 5) && detail <= 31) return cls * 100 + detail
    return 502 // not a response code (0.xx, 1.xx, 3.xx, 6.xx, 7.xx): the app answered nonsense
}
