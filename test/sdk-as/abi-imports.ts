// Every import the runtime provides (../shared/wamr-app-abi.md §2), with its signature as
// "params->results" in Wasm value types, to check what an app imports against the contract.
// libc functions whose signatures the ABI gives only loosely are listed by name (signature null).

const I = "i32"

function sig(params: number, result: boolean): string {
    return `${Array(params).fill(I).join(",")}->${result ? I : ""}`
}

export const ABI_IMPORTS: Record<string, string | null> = {
    // §2.1 base
    wasm_register_resource: sig(1, false),
    wasm_post_request: sig(2, false),
    wasm_response_send: sig(2, true),
    wasm_sub_event: sig(1, false),
    wasm_create_timer: sig(3, true),
    wasm_timer_restart: sig(2, false),
    wasm_timer_cancel: sig(1, false),
    wasm_timer_destroy: sig(1, false),
    wasm_get_sys_tick_ms: sig(0, true),
    // §2.2 sensor
    wasm_sensor_open: sig(2, true),
    wasm_sensor_config: sig(4, true),
    wasm_sensor_config_with_attr_container: sig(3, true),
    wasm_sensor_close: sig(1, true),
    // §2.3 connection
    wasm_open_connection: sig(3, true),
    wasm_close_connection: sig(1, false),
    wasm_send_on_connection: sig(3, true),
    wasm_config_connection: sig(3, true),
    // §2.4 libc-builtin (the ones an AssemblyScript app may use carry their signature)
    puts: sig(1, true),
    putchar: sig(1, true),
    abort: sig(1, false),
    exit: sig(1, false),
    ...Object.fromEntries(
        ("printf vprintf sprintf vsprintf snprintf vsnprintf memcmp memcpy memmove memset memchr strlen strcmp " +
            "strcpy strchr strstr strspn strcspn strdup _strdup atoi strncmp strncpy strncasecmp strtol strtoul " +
            "malloc calloc realloc free isupper isalpha isspace isgraph isprint isdigit isxdigit isalnum tolower " +
            "toupper clock_gettime clock")
            .split(" ")
            .map((n): [string, null] => [n, null]),
    ),
}
