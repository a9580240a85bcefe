/*
 * fw_ping - the request benchmark's sender (bench/framework): bench_ping sends a PUT to
 * /app/fw_pong/echo with a 4-byte sequence number and, from each response, the next one, until
 * ROUNDS responses came back; then it prints "ping done N bad B" (B: responses that were not
 * 2.05 with the number sent, or timeouts).
 */
#include "wasm_app.h"

#ifndef ROUNDS
#define ROUNDS 100
#endif

static int g_seq;
static int g_done;
static int g_bad;

static void send_next(void);

static void on_reply(response_t *response, void *user_data)
{
    (void)user_data;
    if (response == NULL || response->status != CONTENT_2_05 || response->payload_len != 4
        || memcmp(response->payload, &g_seq, 4) != 0)
        g_bad++;
    g_done++;
    g_seq++;
    if (g_done < ROUNDS)
        send_next();
    else
        printf("ping done %d bad %d\n", g_done, g_bad);
}

static void send_next(void)
{
    request_t request;

    init_request(&request, "/app/fw_pong/echo", COAP_PUT, 0, &g_seq, 4);
    api_send_request(&request, on_reply, NULL);
}

__attribute__((export_name("bench_ping"))) void bench_ping(void)
{
    g_done = 0;
    g_bad = 0;
    send_next();
}
