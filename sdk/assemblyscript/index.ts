// wasmlet's AssemblyScript SDK: what an app imports to use the runtime (README.md beside this file).
// The callbacks the runtime calls are re-exported from ./exports by the app's entry file.

export { log } from "./console";
export { cstring, tempCString, utf8At, bytesAt } from "./cstring";
export { Timer, TimerHandler, sysTickMs } from "./timer";
export { Request, Response, Action, Format, Status } from "./request";
export {
  registerResource, subscribeEvent, publishEvent, sendRequest, sendResponse,
  RequestHandler, ResponseHandler, REQUEST_TIMEOUT_MS,
} from "./service";
export { AttrContainer, AttrType } from "./attr";
export { Sensor, SensorHandler } from "./sensor";
export { Connection, ConnectionHandler } from "./connection";
export { urlMatches } from "./url";
export { endCallback } from "./memory";
