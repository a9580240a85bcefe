// The ways a talk with a board fails, as classes a command can tell apart: no board to talk to
// (NoBoardError), a board that does not answer (LinkTimeoutError), a board that answers "no"
// (ManagerError, with the device's status and message, or the host's refusal of what cannot fit
// the board). All are LinkErrors.
import { Status } from "../../manager/protocol"

export class LinkError extends Error {
    constructor(message: string) {
        super(message)
        this.name = new.target.name
    }
}

/** No board or simulator to talk to (nothing connected, or no Wasmlet Manager on it). */
export class NoBoardError extends LinkError {}

/** The board did not answer a command, after every retry. */
export class LinkTimeoutError extends LinkError {
    constructor(message: string, readonly tries: number) {
        super(message)
    }
}

const STATUS_NAMES: Record<number, string> = {
    [Status.OK]: "ok",
    [Status.BAD_COMMAND]: "bad command",
    [Status.NOT_FOUND]: "not found",
    [Status.RESEND]: "resend",
    [Status.REFUSED]: "refused",
    [Status.BUSY]: "busy",
}

export function statusName(status: number): string {
    return STATUS_NAMES[status] ?? `status ${status}`
}

/**
 * The board answered a command with a status other than ok, or the host refused on its behalf
 * what the board's limits say cannot fit (status REFUSED, before anything is written).
 */
export class ManagerError extends LinkError {
    constructor(
        /** What was asked ("install timer", "uninstall timer", ...). */
        readonly command: string,
        /** result.status (manager/protocol.ts Status). */
        readonly status: number,
        /** result.message: the device's own words, may be empty. */
        readonly deviceMessage: string
    ) {
        super(`${command}: ${deviceMessage || statusName(status)}`)
    }
}
