// Connections (ABI §2.3): TCP, UDP or UART, opened by name with an attr_container of arguments
// (TCP: "address", "port"; UDP: "bind port"; UART: "device", "baudrate"). Received bytes arrive
// through on_connection_data (export it from the app); a null buffer means the peer closed and the
// handle is gone.

import { wasm_open_connection, wasm_close_connection, wasm_send_on_connection, wasm_config_connection } from "./env";
import { tempCString, bytesAt } from "./cstring";
import { endCallback } from "./memory";
import { AttrContainer } from "./attr";
import { unlink } from "./list";

export type ConnectionHandler = (conn: Connection, data: ArrayBuffer | null) => void;

// @ts-ignore: decorator (lazy: compiled only into apps that use it)
@lazy let connections: Opened | null = null;

// The handler lives beside the Connection, not in it: AssemblyScript cannot compile a class
// holding a function type that names the class.
class Opened {
  constructor(public conn: Connection, public handler: ConnectionHandler, public _next: Opened | null) {}
}

function find(handle: i32): Opened | null {
  let o: Opened | null = connections;
  while (o !== null && o.conn.handle != handle) o = o._next;
  return o;
}

export class Connection {
  private constructor(public readonly handle: i32) {}

  /** Opens a connection of kind `name` ("TCP", "UDP", "UART"); null on failure. */
  static open(name: string, args: AttrContainer, handler: ConnectionHandler): Connection | null {
    const a = args.serialize();
    const h = wasm_open_connection(tempCString(name), changetype<usize>(a), <u32>a.byteLength);
    if (h == -1) return null;
    const c = new Connection(h);
    connections = new Opened(c, handler, connections);
    return c;
  }

  /** Bytes sent, or -1. */
  send(data: ArrayBuffer): i32 {
    return wasm_send_on_connection(this.handle, changetype<usize>(data), <u32>data.byteLength);
  }

  /** UDP: sets the destination ("address", "port"). */
  config(cfg: AttrContainer): bool {
    const b = cfg.serialize();
    return wasm_config_connection(this.handle, changetype<usize>(b), <u32>b.byteLength);
  }

  close(): void {
    const o = find(this.handle);
    if (o !== null) connections = unlink<Opened>(connections, o);
    wasm_close_connection(this.handle);
  }
}

/** Called by the runtime with bytes received on `handle`, or (handle, 0, 0) when it closed. */
export function on_connection_data(handle: i32, buf: usize, len: u32): void {
  const o = find(handle);
  if (o !== null) {
    const closed = buf == 0 && len == 0;
    if (closed) connections = unlink<Opened>(connections, o);
    const h = o.handler;
    h(o.conn, closed ? null : bytesAt(buf, len));
  }
  endCallback();
}
