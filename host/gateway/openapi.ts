// The gateway's OpenAPI 3 document (GET /openapi.json): every route of server.ts's ROUTES with its
// parameters, bodies and answers, as README.md describes them. Kept by hand, next to the table it
// must match (test/gateway/openapi.test.ts checks both ways).

const err = { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }
const dev = { name: "dev", in: "path", required: true, description: "device id (16 hex digits) or short id", schema: { type: "string" } }
const name = { name: "name", in: "path", required: true, description: "app name", schema: { type: "string" } }
const path = {
    name: "path",
    in: "path",
    required: true,
    description: "the resource under /app/NAME/ (may hold further / segments; empty for /app/NAME itself)",
    schema: { type: "string" },
}
const types = { name: "types", in: "query", required: false, description: "present: every attr value as {type, value}", schema: { type: "string" } }
const sse = (what: string) => ({ description: what, content: { "text/event-stream": { schema: { type: "string" } } } })

function appRequest(method: string) {
    return {
        summary: `${method} request to an app's resource (/app/NAME/PATH)`,
        operationId: `appRequest${method[0]}${method.slice(1).toLowerCase()}`,
        parameters: [dev, name, path, types, { name: "timeout", in: "query", required: false, schema: { type: "integer" }, description: "ms to wait for the answer" }],
        ...(method === "GET" || method === "DELETE"
            ? {}
            : {
                  requestBody: {
                      required: false,
                      content: {
                          "application/json": { schema: { $ref: "#/components/schemas/Attrs" } },
                          "application/octet-stream": { schema: { type: "string", format: "binary" } },
                      },
                  },
              }),
        responses: {
            "200": { description: "2.03/2.04/2.05 (or 2.02 with a payload)", content: { "application/json": { schema: { $ref: "#/components/schemas/Attrs" } }, "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
            "201": { description: "2.01 created" },
            "204": { description: "2.02 deleted, no payload" },
            "400": err,
            "404": err,
            "405": err,
            "413": err,
            "500": err,
            "503": err,
            "504": err,
        },
    }
}

export function openApiDocument() {
    return {
        openapi: "3.0.3",
        info: { title: "wasmlet gateway", version: "1.0.0", description: "WAMR-style apps on wasmlet boards as REST resources (host/gateway/README.md)" },
        components: {
            securitySchemes: { bearer: { type: "http", scheme: "bearer" }, queryToken: { type: "apiKey", in: "query", name: "token" } },
            schemas: {
                Error: { type: "object", required: ["error"], properties: { error: { type: "string" }, status: { type: "integer" } } },
                Attrs: {
                    type: "object",
                    description: 'an attr_container: integers -> int32/int64, other numbers -> double, bool, string, {"base64"} -> bytes, {"type","value"} any attr type',
                    additionalProperties: true,
                },
                Board: { type: "object", additionalProperties: true, description: "the board's figures (list --json --board)" },
                Device: {
                    type: "object",
                    properties: { id: { type: "string" }, shortId: { type: "string" }, label: { type: "string" }, online: { type: "boolean", description: "on its link now (GET /devices)" }, board: { $ref: "#/components/schemas/Board" } },
                },
                App: {
                    type: "object",
                    properties: {
                        name: { type: "string" },
                        state: { type: "string" },
                        imageBytes: { type: "integer" },
                        arenaBytes: { type: "integer" },
                        storedBytes: { type: "integer" },
                        uptimeMs: { type: "integer" },
                        restarts: { type: "integer" },
                        baked: { type: "boolean" },
                        installed: { type: "boolean" },
                        inFlash: { type: "boolean" },
                        error: { type: "string" },
                    },
                },
            },
        },
        security: [{}, { bearer: [] }, { queryToken: [] }],
        paths: {
            "/devices": {
                get: { summary: "the boards served", operationId: "listDevices", responses: { "200": { description: "boards", content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Device" } } } } }, "401": err } },
            },
            "/devices/{dev}": {
                get: { summary: "one board, its figures and apps", operationId: "getDevice", parameters: [dev], responses: { "200": { description: "the board", content: { "application/json": { schema: { $ref: "#/components/schemas/Device" } } } }, "404": err, "504": err } },
            },
            "/devices/{dev}/apps": {
                get: { summary: "the apps on a board (list --json)", operationId: "listApps", parameters: [dev], responses: { "200": { description: "apps", content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/App" } } } } }, "404": err, "504": err } },
            },
            "/devices/{dev}/apps/{name}": {
                post: {
                    summary: "install a .wasm as app NAME (compiled on the host)",
                    operationId: "installApp",
                    parameters: [dev, name],
                    requestBody: { required: true, content: { "application/wasm": { schema: { type: "string", format: "binary" } }, "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
                    responses: { "201": { description: "installed", content: { "application/json": { schema: { type: "object" } } } }, "400": err, "403": err, "404": err, "409": err, "413": err, "504": err, "507": err },
                },
                delete: { summary: "uninstall app NAME", operationId: "uninstallApp", parameters: [dev, name], responses: { "204": { description: "uninstalled" }, "403": err, "404": err, "504": err } },
            },
            "/devices/{dev}/app/{name}/{path}": {
                get: appRequest("GET"),
                post: appRequest("POST"),
                put: appRequest("PUT"),
                delete: appRequest("DELETE"),
            },
            "/devices/{dev}/events": {
                get: {
                    summary: "events published on a url, as Server-Sent Events (event: event, data: {url, fmt, sender, payload, contentType}; event: dropped)",
                    operationId: "streamEvents",
                    parameters: [dev, { name: "url", in: "query", required: true, schema: { type: "string" } }, types],
                    responses: { "200": sse("the event stream"), "400": err, "404": err },
                },
            },
            "/devices/{dev}/logs": {
                get: {
                    summary: "console lines and runtime notes as Server-Sent Events (event: log, data: {kind, app, text}; event: dropped)",
                    operationId: "streamLogs",
                    parameters: [dev, { name: "app", in: "query", required: false, schema: { type: "string" } }],
                    responses: { "200": sse("the log stream"), "404": err },
                },
            },
            "/openapi.json": { get: { summary: "this document", operationId: "openApi", responses: { "200": { description: "OpenAPI 3", content: { "application/json": { schema: { type: "object" } } } } } } },
            "/": { get: { summary: "the web dashboard (or a page saying there is none)", operationId: "dashboard", responses: { "200": { description: "HTML", content: { "text/html": { schema: { type: "string" } } } } } } },
            "/dashboard/{file}": {
                get: {
                    summary: "a dashboard file",
                    operationId: "dashboardFile",
                    parameters: [{ name: "file", in: "path", required: true, schema: { type: "string" } }],
                    responses: { "200": { description: "the file" }, "404": err },
                },
            },
        },
    }
}
