// Requests, responses and events between this app, other apps and the host (ABI §2.1, §3, §7).
// - registerResource(url, handler): requests whose url matches `url` (rule in url.ts) go to handler.
// - subscribeEvent(url, handler) / publishEvent(url, fmt, payload): events are requests with
//   action EVENT (6); the runtime delivers only exact-URL subscriptions.
// - sendRequest(req, handler): posts req with the next mid (1, 2, ... per app); the handler gets
//   the response with that mid, or null after 5000 ms. One runtime timer serves all transactions.
// on_request and on_response (export them from the app) dispatch: newest registration first, first
// match wins; an unmatched request prints "on_request: exit. no service handler", as WAMR's does.

import { wasm_register_resource, wasm_post_request, wasm_response_send, wasm_sub_event } from "./env";
import { tempCString } from "./cstring";
import { log } from "./console";
import { endCallback } from "./memory";
import { Request, Response, Action } from "./request";
import { Timer, sysTickMs } from "./timer";
import { urlMatches } from "./url";
import { unlink } from "./list";

export type RequestHandler = (req: Request) => void;
export type ResponseHandler = (resp: Response | null) => void;

class Route {
  constructor(public url: string, public event: bool, public handler: RequestHandler, public _next: Route | null) {}
}

class Transaction {
  constructor(public mid: u32, public deadline: u32, public handler: ResponseHandler, public _next: Transaction | null) {}
}

/** How long sendRequest waits for a response. */
export const REQUEST_TIMEOUT_MS: u32 = 5000;

// Newest first (list.ts): dispatch searches the newest registration first.
// @ts-ignore: decorator (lazy: compiled only into apps that use it)
@lazy let routes: Route | null = null;
// @ts-ignore: decorator (lazy: compiled only into apps that use it)
@lazy let pending: Transaction | null = null;
// @ts-ignore: decorator
@lazy let nextMid: u32 = 1;
// @ts-ignore: decorator
@lazy let timeoutTimer: Timer | null = null;

/** Serves requests for `url` (a prefix, §7) with `handler`. */
export function registerResource(url: string, handler: RequestHandler): void {
  wasm_register_resource(tempCString(url));
  routes = new Route(url, false, handler, routes);
}

/** Receives events published on exactly `url`. */
export function subscribeEvent(url: string, handler: RequestHandler): void {
  wasm_sub_event(tempCString(url));
  routes = new Route(url, true, handler, routes);
}

/** Publishes an event to the subscribers of `url`. */
export function publishEvent(url: string, fmt: u16, payload: ArrayBuffer | null): void {
  post(new Request(Action.EVENT, url, fmt, payload, nextMid++));
}

/** Sends `resp` (to the app or host that is its receiver); false if the runtime rejects it. */
export function sendResponse(resp: Response): bool {
  const packed = resp.pack();
  return wasm_response_send(changetype<usize>(packed), <u32>packed.byteLength);
}

/** Posts `req` with a fresh mid (returned); `handler` gets the response, or null on timeout. */
export function sendRequest(req: Request, handler: ResponseHandler): u32 {
  req.mid = nextMid++;
  const deadline = sysTickMs() + REQUEST_TIMEOUT_MS;
  const first = pending === null;
  pending = new Transaction(req.mid, deadline, handler, pending);
  if (first) armTimeout(REQUEST_TIMEOUT_MS);
  post(req);
  return req.mid;
}

function post(req: Request): void {
  const packed = req.pack();
  wasm_post_request(changetype<usize>(packed), <u32>packed.byteLength);
}

function armTimeout(ms: u32): void {
  const t = timeoutTimer;
  if (t === null) timeoutTimer = Timer.create(ms, false, true, expire);
  else t.restart(ms);
}

/** Timer handler: fails every transaction past its deadline, then re-arms for the next one. */
function expire(t: Timer): void {
  const now = sysTickMs();
  let tr: Transaction | null = pending;
  while (tr !== null) {
    const next = tr._next;
    if (<i32>(now - tr.deadline) >= 0) {
      pending = unlink<Transaction>(pending, tr);
      const h = tr.handler;
      h(null);
    }
    tr = next;
  }
  let left = pending;
  if (left !== null) {
    let soonest = left.deadline - now;
    let o = left._next;
    while (o !== null) {
      soonest = min(soonest, o.deadline - now);
      o = o._next;
    }
    t.restart(soonest);
  }
}

/** Called by the runtime with a packed request or event for this app. */
export function on_request(buf: usize, size: u32): void {
  const req = Request.unpack(buf, size);
  if (req !== null) {
    const event = req.action == Action.EVENT;
    let r: Route | null = routes;
    while (r !== null && !(r.event == event && urlMatches(r.url, req.url))) r = r._next;
    if (r !== null) {
      const h = r.handler;
      h(req);
    } else log("on_request: exit. no service handler");
  }
  endCallback();
}

/** Called by the runtime with a packed response addressed to this app. */
export function on_response(buf: usize, size: u32): void {
  const resp = Response.unpack(buf, size);
  if (resp !== null) {
    let tr: Transaction | null = pending;
    while (tr !== null && tr.mid != resp.mid) tr = tr._next;
    if (tr !== null) {
      pending = unlink<Transaction>(pending, tr);
      const h = tr.handler;
      h(resp);
    }
  }
  endCallback();
}
