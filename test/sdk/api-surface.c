/*
 * api-surface.c - uses every function the C SDK's headers declare, included through WAMR's
 * paths (wa-inc/, bi-inc/), so that building it (sdk-library.test.ts) proves each one is
 * defined by the app library or listed as a runtime import: a missing one is a link error.
 */
#include "wasm_app.h"
#include "wa-inc/request.h"
#include "wa-inc/timer_wasm_app.h"
#include "wa-inc/sensor.h"
#include "wa-inc/connection.h"
#include "bi-inc/attr_container.h"
#include "bi-inc/shared_utils.h"
#include <ctype.h>
#include <strings.h>
#include <time.h>

typedef void (*any_f)(void);
#define USE(f) (any_f) (f)

/* taking every function's address keeps each one in the module */
static any_f g_all[] = {
    USE(attr_container_create), USE(attr_container_destroy),
    USE(attr_container_set_short), USE(attr_container_set_int16), USE(attr_container_set_int),
    USE(attr_container_set_int32), USE(attr_container_set_uint32), USE(attr_container_set_int64),
    USE(attr_container_set_uint64), USE(attr_container_set_byte), USE(attr_container_set_int8),
    USE(attr_container_set_uint8), USE(attr_container_set_uint16), USE(attr_container_set_float),
    USE(attr_container_set_double), USE(attr_container_set_bool), USE(attr_container_set_string),
    USE(attr_container_set_bytearray), USE(attr_container_get_tag), USE(attr_container_get_attr_num),
    USE(attr_container_contain_key), USE(attr_container_get_as_short), USE(attr_container_get_as_int16),
    USE(attr_container_get_as_int), USE(attr_container_get_as_int32), USE(attr_container_get_as_uint32),
    USE(attr_container_get_as_int64), USE(attr_container_get_as_uint64), USE(attr_container_get_as_byte),
    USE(attr_container_get_as_int8), USE(attr_container_get_as_uint8), USE(attr_container_get_as_uint16),
    USE(attr_container_get_as_float), USE(attr_container_get_as_double), USE(attr_container_get_as_bool),
    USE(attr_container_get_as_string), USE(attr_container_get_as_bytearray),
    USE(attr_container_get_serialize_length), USE(attr_container_serialize),
    USE(attr_container_is_constant), USE(attr_container_dump),
    USE(api_register_resource_handler), USE(api_send_request), USE(api_response_send),
    USE(api_publish_event), USE(api_subscribe_event), USE(init_request), USE(make_response_for_request),
    USE(set_response), USE(pack_request), USE(unpack_request), USE(pack_response), USE(unpack_response),
    USE(free_req_resp_packet), USE(clone_request), USE(request_cleaner), USE(clone_response),
    USE(response_cleaner), USE(check_url_start), USE(match_url), USE(find_key_value), USE(wa_strdup),
    USE(api_timer_create), USE(api_timer_cancel), USE(api_timer_destroy), USE(api_timer_restart),
    USE(wasm_get_sys_tick_ms),
    USE(sensor_open), USE(sensor_config), USE(sensor_config_with_attr_container), USE(sensor_close),
    USE(api_open_connection), USE(api_close_connection), USE(api_send_on_connection),
    USE(api_config_connection),
    USE(htonl), USE(ntohl), USE(htons), USE(ntohs),
    USE(printf), USE(sprintf), USE(snprintf), USE(vprintf), USE(vsprintf), USE(vsnprintf), USE(puts),
    USE(putchar), USE(malloc), USE(calloc), USE(realloc), USE(free), USE(atoi), USE(strtol),
    USE(strtoul), USE(exit), USE(memcmp), USE(memcpy), USE(memmove), USE(memset), USE(memchr),
    USE(strlen), USE(strcmp), USE(strncmp), USE(strcpy), USE(strncpy), USE(strchr), USE(strstr),
    USE(strspn), USE(strcspn), USE(strdup), USE(strncasecmp), USE(isupper), USE(isalpha), USE(isspace),
    USE(isgraph), USE(isprint), USE(isdigit), USE(isxdigit), USE(isalnum), USE(tolower), USE(toupper),
    USE(clock), USE(clock_gettime),
};

__attribute__((export_name("api_count"))) int api_count(void)
{
    return (int)(sizeof(g_all) / sizeof(g_all[0]));
}

/* the table index of function i: nonzero for each, which the test checks */
__attribute__((export_name("api_at"))) int api_at(int i)
{
    return (int)(intptr_t)g_all[i];
}

void on_init(void)
{
    printf("%d\n", api_count());
}
