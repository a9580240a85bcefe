// wasmlet dashboard: plain JavaScript for the page at / of `wasmlet serve`. It lists the gateway's
// devices and their apps (refreshed), installs and uninstalls apps, sends requests to an app's
// resources, and shows events and console lines live (Server-Sent Events). Every call goes to the
// gateway's REST routes (host/gateway/README.md); a token, when the server wants one, is sent as
// `Authorization: Bearer` (and as ?token= for event streams, which cannot carry headers).
"use strict"

const REFRESH_MS = Number(new URLSearchParams(location.search).get("refresh")) || 2000
const MAX_LINES = 200

const $ = id => document.getElementById(id)
const state = {
    token: new URLSearchParams(location.search).get("token") || "",
    device: null, // the selected device's id
    boards: new Map(), // device id -> the board's figures from GET /devices
    labels: new Map(), // device id -> how the page names it
    short: new Map(), // device id -> its short id, for messages
    logs: null, // its console stream
    events: null, // the event subscription's stream
    timer: 0, // the next apps refresh
    relist: 0, // the next device listing while there is none
}

// ---- talking to the gateway ----

class GatewayError extends Error {}

function withToken(path) {
    if (!state.token) return path
    return path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(state.token)
}

/** What went wrong, in plain words, from a failed response. */
async function explain(res) {
    let detail = ""
    const text = await res.text().catch(() => "")
    try {
        const j = JSON.parse(text)
        detail = typeof j === "string" ? j : j.error || j.message || j.detail || ""
        if (typeof detail !== "string") detail = JSON.stringify(detail)
    } catch {
        detail = text.trim()
    }
    if (res.status === 401 || res.status === 403)
        return state.token
            ? "The gateway refused access with this token" + (detail ? `: ${detail}` : ".")
            : "The gateway needs an access token: enter it at the top" + (detail ? ` (it said: ${detail})` : ".")
    if (res.status === 504) return "The board did not answer in time" + (detail ? `: ${detail}` : ".")
    if (res.status === 413) return "That is too large for the gateway" + (detail ? `: ${detail}` : ".")
    return (detail || res.statusText || "the gateway answered an error") + ` (HTTP ${res.status})`
}

async function call(method, path, body, contentType) {
    const headers = {}
    if (state.token) headers.Authorization = "Bearer " + state.token
    if (body !== undefined && contentType) headers["Content-Type"] = contentType
    let res
    try {
        res = await fetch(path, { method, headers, body })
    } catch {
        throw new GatewayError("The gateway does not answer: is `wasmlet serve` still running?")
    }
    return res
}

async function getJSON(path) {
    const res = await call("GET", path)
    if (!res.ok) throw new GatewayError(await explain(res))
    return res.json()
}

const short = dev => state.short.get(dev) || dev
const devPath = (dev, rest) => `/devices/${encodeURIComponent(dev)}${rest}`

// ---- messages ----

function say(text) {
    $("status").textContent = text
}

function fail(context, e) {
    const el = $("error")
    el.textContent = `${context}: ${e instanceof Error ? e.message : String(e)}`
    el.hidden = false
}

function clearError() {
    $("error").hidden = true
    $("error").textContent = ""
}

// ---- formatting ----

function bytes(n) {
    if (typeof n !== "number" || !isFinite(n)) return "—"
    return n >= 1024 ? `${(n / 1024).toFixed(n % 1024 ? 1 : 0)} KB` : `${n} B`
}

function duration(ms) {
    if (typeof ms !== "number" || !isFinite(ms) || ms <= 0) return "—"
    const s = Math.floor(ms / 1000)
    if (s < 60) return `${s} s`
    const m = Math.floor(s / 60)
    if (m < 60) return `${m} min ${s % 60} s`
    const h = Math.floor(m / 60)
    return `${h} h ${m % 60} min`
}

function cell(tr, text, cls) {
    const td = document.createElement("td")
    td.textContent = text
    if (cls) td.className = cls
    tr.appendChild(td)
    return td
}

function appendLine(list, text, title) {
    const li = document.createElement("li")
    const t = document.createElement("time")
    const now = new Date()
    t.dateTime = now.toISOString()
    t.textContent = now.toLocaleTimeString()
    li.append(t, document.createTextNode(text))
    if (title) li.title = title
    const follow = list.scrollTop + list.clientHeight >= list.scrollHeight - 4
    list.appendChild(li)
    while (list.children.length > MAX_LINES) list.firstElementChild.remove()
    if (follow) list.scrollTop = list.scrollHeight
}

// ---- devices ----

/** The id, and a label, of one entry of GET /devices (an object, or a bare id). */
function deviceId(d) {
    return typeof d === "string" ? d : String(d.id ?? d.device ?? d.name)
}

function deviceLabel(d) {
    if (typeof d === "string") return d
    const name = d.shortId || deviceId(d)
    const board = d.board && d.board.board
    const extra = [d.label, board].filter(Boolean).join(", ")
    return (extra ? `${name} (${extra})` : name) + (d.online === false ? " (offline)" : d.board === null ? " (not answering)" : "")
}

async function loadDevices() {
    const data = await getJSON("/devices")
    const devices = Array.isArray(data) ? data : data.devices || []
    state.boards = new Map(devices.map(d => [deviceId(d), typeof d === "object" ? d.board : null]))
    state.labels = new Map(devices.map(d => [deviceId(d), deviceLabel(d)]))
    state.short = new Map(devices.map(d => [deviceId(d), (typeof d === "object" && d.shortId) || deviceId(d)]))
    const ul = $("devices")
    ul.textContent = ""
    $("no-devices").hidden = devices.length > 0
    for (const d of devices) {
        const id = deviceId(d)
        const li = document.createElement("li")
        const b = document.createElement("button")
        b.type = "button"
        b.className = "secondary"
        b.textContent = deviceLabel(d)
        b.dataset.device = id
        b.setAttribute("aria-pressed", String(id === state.device))
        b.addEventListener("click", () => selectDevice(id))
        li.appendChild(b)
        ul.appendChild(li)
    }
    if (!state.device && devices.length > 0) selectDevice(deviceId(devices[0]))
    if (state.device && !devices.some(d => deviceId(d) === state.device)) {
        say(`Device ${short(state.device)} is gone.`)
        closeStreams()
        state.device = null
        $("device-panel").hidden = true
    }
}

function selectDevice(id) {
    if (state.device === id) return
    closeStreams()
    state.device = id
    for (const b of document.querySelectorAll("#devices button")) b.setAttribute("aria-pressed", String(b.dataset.device === id))
    $("device-name").textContent = state.labels.get(id) || id
    $("device-panel").hidden = false
    $("events").textContent = ""
    $("console").textContent = ""
    openLogs()
    refreshApps()
}

// ---- apps ----

async function refreshApps() {
    clearTimeout(state.timer)
    const dev = state.device
    if (!dev) return
    try {
        // GET /devices/DEV: the apps and the board's figures in one list of the board
        const data = await getJSON(devPath(dev, ""))
        if (dev !== state.device) return
        showApps(Array.isArray(data) ? data : data.apps || [], Array.isArray(data) ? state.boards.get(dev) : data.board)
    } catch (e) {
        if (dev === state.device) fail(`Could not list the apps of ${short(dev)}`, e)
    } finally {
        if (dev === state.device) state.timer = setTimeout(refreshApps, REFRESH_MS)
    }
}

/** A row of the apps table: made once per app and updated in place, so focus and reading stay put. */
function appRow(name) {
    const tr = document.createElement("tr")
    tr.dataset.app = name
    const th = document.createElement("th")
    th.scope = "row"
    tr.appendChild(th)
    for (const cls of ["state", "num", "num", "num", "", ""]) cell(tr, "", cls)
    return tr
}

function setText(el, text) {
    if (el.textContent !== text) el.textContent = text
}

function showApps(apps, board) {
    const tbody = $("apps").tBodies[0]
    const rows = new Map([...tbody.querySelectorAll("tr[data-app]")].map(tr => [tr.dataset.app, tr]))
    for (const tr of tbody.querySelectorAll("tr:not([data-app])")) tr.remove()
    let at = tbody.firstElementChild
    for (const a of apps) {
        let tr = rows.get(a.name)
        rows.delete(a.name)
        if (!tr) tr = appRow(a.name)
        if (tr !== at) tbody.insertBefore(tr, at)
        at = tr.nextElementSibling
        const [th, st, mem, up, restarts, error, actions] = tr.children
        const stateName = a.state || "unknown"
        setText(th, a.name + (a.baked ? " (in flash)" : ""))
        setText(st, stateName)
        st.className = "state state-" + stateName.replace(/[^a-z]/gi, "")
        setText(mem, bytes(a.arenaBytes))
        setText(up, duration(a.uptimeMs))
        setText(restarts, String(a.restarts ?? 0))
        setText(error, a.error || "")
        const removable = a.installed !== false
        const button = actions.querySelector("button")
        if (removable && !button) {
            const b = document.createElement("button")
            b.type = "button"
            b.className = "secondary"
            b.textContent = "Uninstall"
            b.setAttribute("aria-label", `Uninstall ${a.name}`)
            b.addEventListener("click", () => uninstall(a.name))
            actions.appendChild(b)
        } else if (!removable && button) button.remove()
    }
    for (const tr of rows.values()) tr.remove()
    if (apps.length === 0) {
        const tr = document.createElement("tr")
        const td = cell(tr, "No apps on this board.")
        td.colSpan = 7
        tbody.appendChild(tr)
    }
    // the request form's app choice follows the list (rebuilt only when the names change)
    const sel = $("req-app")
    const names = apps.map(a => a.name)
    if ([...sel.options].map(o => o.value).join("\n") !== names.join("\n")) {
        const keep = sel.value
        sel.textContent = ""
        for (const n of names) sel.add(new Option(n, n, false, n === keep))
    }
    setText(
        $("board-info"),
        board
            ? `${board.board || "board"}: ${board.apps ?? apps.length} of ${board.maxApps ?? "?"} apps, arena ${bytes(board.arenaFree)} free of ${bytes(board.arenaBytes)}` +
                  (board.storeCapacity ? `, store ${bytes(board.storeUsed)} used of ${bytes(board.storeCapacity)}` : "")
            : "",
    )
}

async function install(ev) {
    ev.preventDefault()
    const name = $("install-name").value.trim()
    const file = $("install-file").files[0]
    if (!name || !file) return fail("Install", new Error("choose a name and a .wasm file"))
    const dev = state.device
    clearError()
    const button = ev.submitter || $("install-form").querySelector("button")
    button.disabled = true
    say(`Installing ${name} (${bytes(file.size)}) on ${short(dev)}…`)
    try {
        const res = await call("POST", devPath(dev, `/apps/${encodeURIComponent(name)}`), await file.arrayBuffer(), "application/wasm")
        if (!res.ok) throw new GatewayError(await explain(res))
        const r = await res.json().catch(() => ({}))
        say(`Installed ${name} on ${short(dev)}` + (r.ms ? ` in ${(r.ms / 1000).toFixed(1)} s.` : "."))
        $("install-form").reset()
    } catch (e) {
        say("")
        fail(`Could not install ${name}`, e)
    } finally {
        button.disabled = false
        refreshApps()
    }
}

async function uninstall(name) {
    const dev = state.device
    if (!confirm(`Uninstall ${name} from ${short(dev)}? Its stored version is removed from the board.`)) return
    clearError()
    say(`Uninstalling ${name} from ${short(dev)}…`)
    try {
        const res = await call("DELETE", devPath(dev, `/apps/${encodeURIComponent(name)}`))
        if (!res.ok) throw new GatewayError(await explain(res))
        say(`Uninstalled ${name} from ${short(dev)}.`)
    } catch (e) {
        say("")
        fail(`Could not uninstall ${name}`, e)
    } finally {
        refreshApps()
    }
}

// ---- requests ----

async function sendRequest(ev) {
    ev.preventDefault()
    const method = $("req-method").value
    const app = $("req-app").value
    const path = $("req-path").value.trim().replace(/^\/+/, "")
    const text = $("req-body").value.trim()
    const status = $("req-status")
    const out = $("req-response")
    status.className = ""
    out.textContent = ""
    if (!app) {
        status.textContent = "Choose an app first."
        status.className = "bad"
        return
    }
    let body
    if (text && method !== "GET" && method !== "DELETE") {
        try {
            JSON.parse(text)
        } catch (e) {
            status.textContent = `The body is not valid JSON: ${e.message}`
            status.className = "bad"
            return
        }
        body = text
    } else if (text) {
        // GET and DELETE carry no body in fetch: the JSON goes along only for the methods that can
        status.textContent = `${method} sends no body; use POST or PUT for a JSON body.`
        status.className = "bad"
        return
    }
    const url = devPath(state.device, `/app/${encodeURIComponent(app)}/${path.split("/").map(encodeURIComponent).join("/")}`)
    status.textContent = `${method} ${app}/${path}…`
    const t0 = performance.now()
    try {
        const res = await call(method, url, body, "application/json")
        const ms = Math.round(performance.now() - t0)
        const type = res.headers.get("Content-Type") || ""
        const raw = await res.text()
        status.textContent = `${res.status} ${res.statusText || ""} in ${ms} ms`.replace("  ", " ")
        if (!res.ok) status.className = "bad"
        if (type.includes("json")) {
            try {
                const j = JSON.parse(raw)
                out.textContent = JSON.stringify(j, null, 2)
                if (!res.ok && j && j.error) status.textContent += `: ${j.error}`
            } catch {
                out.textContent = raw
            }
        } else out.textContent = raw || (res.ok ? "(no payload)" : "")
    } catch (e) {
        status.textContent = e.message
        status.className = "bad"
    }
}

// ---- live streams ----

/** The text of one SSE message: JSON shown compactly (an event's url and payload), else as sent. */
function describe(data, kind) {
    let j
    try {
        j = JSON.parse(data)
    } catch {
        return data
    }
    if (j && typeof j === "object") {
        if (kind === "log") {
            const line = j.line ?? j.text ?? j.message
            if (line !== undefined)
                return (j.app || j.name ? `[${j.app || j.name}] ` : "") + (j.kind === "note" ? "(runtime) " : "") + String(line).replace(/\n$/, "")
        } else if (j.url !== undefined) {
            const p = j.payload ?? j.data ?? j.body
            return `${j.url}` + (p !== undefined ? ` ${typeof p === "string" ? p : JSON.stringify(p)}` : "")
        }
    }
    return JSON.stringify(j)
}

function listen(source, kind, list, names) {
    const on = ev => appendLine(list, describe(ev.data, kind), ev.data)
    for (const n of names) source.addEventListener(n, on)
    // the gateway drops messages for a client that reads too slowly, and says how many so far
    source.addEventListener("dropped", ev => {
        let n = "some"
        try {
            n = JSON.parse(ev.data).dropped
        } catch {}
        appendLine(list, `(${n} ${kind === "log" ? "lines" : "events"} dropped so far: this page read too slowly)`)
    })
    source.addEventListener("error", () => {
        if (source.readyState === EventSource.CLOSED) fail(kind === "log" ? "The console stream stopped" : "The event stream stopped", new Error("the gateway closed it (reload the page to retry)"))
    })
}

function openLogs() {
    const s = new EventSource(withToken(devPath(state.device, "/logs")))
    listen(s, "log", $("console"), ["message", "log", "console"])
    state.logs = s
}

function subscribe(ev) {
    ev.preventDefault()
    const url = $("events-url").value.trim().replace(/^\/+/, "")
    if (!url || !state.device) return
    if (state.events) state.events.close()
    const s = new EventSource(withToken(devPath(state.device, `/events?url=${encodeURIComponent(url)}`)))
    listen(s, "event", $("events"), ["message", "event"])
    s.addEventListener("open", () => say(`Subscribed to ${url} on ${short(state.device)}.`))
    state.events = s
    $("events-stop").disabled = false
}

function unsubscribe() {
    if (state.events) state.events.close()
    state.events = null
    $("events-stop").disabled = true
    say("Event subscription stopped.")
}

function closeStreams() {
    clearTimeout(state.timer)
    if (state.logs) state.logs.close()
    if (state.events) state.events.close()
    state.logs = state.events = null
    $("events-stop").disabled = true
}

// ---- start ----

function start() {
    $("token").value = state.token
    $("token-form").addEventListener("submit", ev => {
        ev.preventDefault()
        state.token = $("token").value.trim()
        // kept in the page's address, so a reload keeps it (the gateway checks it on the page too)
        const q = new URLSearchParams(location.search)
        if (state.token) q.set("token", state.token)
        else q.delete("token")
        history.replaceState(null, "", location.pathname + (q.size ? "?" + q : ""))
        const dev = state.device
        closeStreams()
        state.device = null
        clearError()
        boot().then(ok => ok && dev && state.boards.has(dev) && selectDevice(dev))
    })
    $("install-file").addEventListener("change", () => {
        const f = $("install-file").files[0]
        if (f && !$("install-name").value) $("install-name").value = f.name.replace(/\.wasm$/i, "").replace(/[^A-Za-z0-9_.-]/g, "_")
    })
    $("install-form").addEventListener("submit", install)
    $("request-form").addEventListener("submit", sendRequest)
    $("events-form").addEventListener("submit", subscribe)
    $("events-stop").addEventListener("click", unsubscribe)
    boot()
}

async function boot(quiet = false) {
    if (!quiet) say("Looking for devices…")
    clearTimeout(state.relist)
    try {
        await loadDevices()
        say("")
        // a board plugged in later shows up: the list is asked again while none is selected
        if (!state.device) state.relist = setTimeout(() => boot(true), 5000)
        return true
    } catch (e) {
        say("")
        fail("Could not list the devices", e)
        // nothing stale stays on show when the devices cannot be listed
        if (!state.device) $("device-panel").hidden = true
        return false
    }
}

// the script is inserted by the page's loader, so it may run before the page is parsed
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
else start()
