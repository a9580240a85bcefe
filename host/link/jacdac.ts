// jacdac-ts for the host link, loaded once through its CommonJS build: its Node transports call
// require("net") and require the serialport module they are given, which its ES module build
// cannot do (sim/sensors.ts loads it the same way; Node's module cache makes both one instance).
import { createRequire } from "node:module"
// Its typings are not reachable through its package "exports", hence the path.
import type * as JD from "../../node_modules/jacdac-ts/dist/types/src/jacdac"

export const jd: typeof JD = createRequire(import.meta.url)("jacdac-ts")

export type JDBus = JD.JDBus
export type JDDevice = JD.JDDevice
export type JDService = JD.JDService
export type Packet = JD.Packet
export type Transport = JD.Transport
