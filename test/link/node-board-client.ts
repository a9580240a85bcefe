// A booted NodeBoard (node-board.ts: the real AppManager and Runtime on Node) with a real
// ManagerClient (host/link/client.ts) on its channel: what the tests of the host's tools that need a
// working board but no simulator stand on (the CLI commands, the gateway). The client's resend and
// busy waits are shortened for a board that answers within a tick.
import { ManagerClient, LinkTiming } from "../../host/link/client"
import { NodeBoard, NodeBoardOptions } from "./node-board"

export interface BoardWithClient {
    board: NodeBoard
    client: ManagerClient
    /** Closes the client and stops the board's scheduler. */
    close(): void
}

export const NODE_BOARD_TIMING: Partial<LinkTiming> = { resendMs: 40, busyMs: 10 }

export async function bootBoardWithClient(board: NodeBoardOptions = {}, timing: Partial<LinkTiming> = {}): Promise<BoardWithClient> {
    const b = await new NodeBoard(board).boot()
    const client = new ManagerClient(b.channel, { ...NODE_BOARD_TIMING, ...timing })
    return {
        board: b,
        client,
        close: () => {
            client.close()
            b.halt()
        },
    }
}
