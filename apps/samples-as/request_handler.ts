// Request handler sample in AssemblyScript, after WAMR's samples/simple request_handler app:
// "/url1" answers 2.05 CONTENT with an attr_container {key1: "value1", key2: "value2"} tagged
// "wasm app response payload" (and prints the request's own attributes when it carries any);
// "/url2" answers 2.02 DELETED with no payload.

import { registerResource, sendResponse, Request, Response, Status, Format, AttrContainer, log } from "../../sdk/assemblyscript";
export { malloc, free, __heap_base, on_request } from "../../sdk/assemblyscript/exports";

function dumpAttrs(c: AttrContainer): void {
  log("Attribute container dump:");
  log("Tag: " + c.tag);
  log("Attribute list:");
  for (let i = 0; i < c.count; i++) {
    const key = c.keyAt(i);
    const s = c.getString(key);
    log("  key: " + key + ", value: " + (s !== null ? s : c.getInt(key).toString()));
  }
}

function onUrl1(req: Request): void {
  log("[resp] ### user resource 1 handler called");
  if (req.fmt == Format.ATTR_CONTAINER) {
    const c = AttrContainer.fromBuffer(req.payload);
    if (c !== null) dumpAttrs(c);
  }
  const payload = new AttrContainer("wasm app response payload")
    .setString("key1", "value1")
    .setString("key2", "value2");
  const resp = Response.to(req, Status.CONTENT_2_05, Format.ATTR_CONTAINER, payload.serialize());
  log("reciver: " + resp.receiver.toString() + ", mid:" + resp.mid.toString());
  sendResponse(resp);
}

function onUrl2(req: Request): void {
  sendResponse(Response.to(req, Status.DELETED_2_02));
  log("### user resource 2 handler called");
}

export function on_init(): void {
  registerResource("/url1", onUrl1);
  registerResource("/url2", onUrl2);
}

export function on_destroy(): void {}
