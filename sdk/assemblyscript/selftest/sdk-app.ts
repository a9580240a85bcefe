// The SDK's self-test app, built and run by test/sdk-as/sdk.test.ts (no .wasm committed): it drives
// every part of the SDK through requests, so the test can check each against the ABI from outside.

import {
  AttrContainer, AttrType, Connection, Format, Request, Response, Sensor, Status, Timer,
  cstring, log, publishEvent, registerResource, sendRequest, sendResponse, subscribeEvent, utf8At,
} from "../index";
export {
  malloc, free, __heap_base, on_timer_callback, on_request, on_response, on_sensor_event, on_connection_data,
} from "../exports";

function reply(req: Request, c: AttrContainer): void {
  sendResponse(Response.to(req, Status.CONTENT_2_05, Format.ATTR_CONTAINER, c.serialize()));
}

// Copies every attribute through the typed getters and setters.
function onCopy(req: Request): void {
  const src = AttrContainer.fromBuffer(req.payload);
  if (src === null) { sendResponse(Response.to(req, Status.BAD_REQUEST_4_00)); return; }
  const out = new AttrContainer(src.tag);
  for (let i = 0; i < src.count; i++) {
    const k = src.keyAt(i);
    switch (src.typeOf(k)) {
      case AttrType.INT8: out.setByte(k, <i8>src.getInt(k)); break;
      case AttrType.INT16: out.setShort(k, <i16>src.getInt(k)); break;
      case AttrType.INT32: out.setInt(k, src.getInt(k)); break;
      case AttrType.INT64: out.setInt64(k, src.getInt64(k)); break;
      case AttrType.UINT8: out.setUint8(k, <u8>src.getInt(k)); break;
      case AttrType.UINT16: out.setUint16(k, <u16>src.getInt(k)); break;
      case AttrType.UINT32: out.setUint32(k, <u32>src.getInt64(k)); break;
      case AttrType.UINT64: out.setUint64(k, <u64>src.getInt64(k)); break;
      case AttrType.FLOAT: out.setFloat(k, <f32>src.getDouble(k)); break;
      case AttrType.DOUBLE: out.setDouble(k, src.getDouble(k)); break;
      case AttrType.BOOLEAN: out.setBool(k, src.getBool(k)); break;
      case AttrType.STRING: out.setString(k, src.getString(k)!); break;
      case AttrType.BYTEARRAY: out.setBytes(k, src.getBytes(k)!); break;
    }
  }
  reply(req, out);
}

// Sums every attribute as an int and as a double; a set on an existing key replaces it.
function onSum(req: Request): void {
  const src = AttrContainer.fromBuffer(req.payload)!;
  let n: i64 = 0;
  let d: f64 = 0;
  for (let i = 0; i < src.count; i++) { n += src.getInt64(src.keyAt(i)); d += src.getDouble(src.keyAt(i)); }
  reply(req, new AttrContainer("sum").setInt("n", 0).setInt64("n", n).setDouble("d", d).setBool("missing", src.has("nope")));
}

function onAnswer(resp: Response | null): void {
  if (resp === null) log("timeout");
  else log("response " + resp.status.toString() + " mid " + resp.mid.toString() + " bytes " + (resp.payload === null ? 0 : resp.payload!.byteLength).toString());
}

function onAsk(req: Request): void {
  const mid = sendRequest(new Request(req.action, "/other" + req.url.substring(4), Format.APP_RAW_BINARY, req.payload), onAnswer);
  log("asked mid " + mid.toString());
}

function onPublish(req: Request): void {
  publishEvent("alert/fire", req.fmt, req.payload);
}

function onEvent(ev: Request): void {
  log("event " + ev.url + " from " + ev.sender.toString() + " bytes " + (ev.payload === null ? 0 : ev.payload!.byteLength).toString());
}

// Decodes the payload as UTF-8 and answers it encoded again; logs the string's UTF-16 length.
function onUtf8(req: Request): void {
  const p = req.payload;
  const text = p === null ? "" : utf8At(changetype<usize>(p), p.byteLength);
  log("units " + text.length.toString());
  const back = cstring(text);
  sendResponse(Response.to(req, Status.CONTENT_2_05, Format.APP_RAW_BINARY, back.slice(0, back.byteLength - 1)));
}

function routeA(req: Request): void { log("a " + req.url); }
function routeAB(req: Request): void { log("a/b " + req.url); }

function onCrash(req: Request): void {
  const a = new Array<i32>(1);
  log(a[req.payload === null ? 5 : 0].toString());
}

function oneShot(t: Timer): void {
  log("one-shot " + t.id.toString());
  t.destroy();
}

function onTimers(req: Request): void {
  let made = 0;
  for (;;) {
    const t = Timer.create(50, false, true, oneShot);
    if (t === null) break;
    made++;
  }
  log("timers " + made.toString());
}

function onReading(s: Sensor, reading: AttrContainer): void {
  log("reading " + s.name + " " + reading.tag + " " + reading.getString("name")! + " " + reading.getInt("value").toString());
  if (reading.getInt("value") >= 3) s.close();
}

function onData(c: Connection, data: ArrayBuffer | null): void {
  if (data === null) { log("closed " + c.handle.toString()); return; }
  log("data " + data.byteLength.toString());
  c.send(data);
}

export function on_init(): void {
  registerResource("/copy", onCopy);
  registerResource("/sum", onSum);
  registerResource("/ask", onAsk);
  registerResource("/pub", onPublish);
  registerResource("/a/", routeA);
  registerResource("/a/b", routeAB);
  registerResource("/crash", onCrash);
  registerResource("/timers", onTimers);
  registerResource("/utf8", onUtf8);
  subscribeEvent("alert/overheat", onEvent);
  const s = Sensor.open("sensor_test1", 0, onReading);
  if (s !== null) s.config(1000);
  const c = Connection.open("TCP", new AttrContainer().setString("address", "127.0.0.1").setUint16("port", 8000), onData);
  if (c !== null) log("connection " + c.handle.toString());
}

export function on_destroy(): void {}
