/*
 * transaction.c - requests this app sent and waits on: api_send_request records the mid,
 * on_response (the runtime's entry point) hands the response to the recorded handler, and
 * requests without a reply after 5000 ms get the handler called with NULL.
 *
 * Transactions are kept in sending order, which is also expiry order. One runtime timer,
 * created on the first request and kept for the app's life, is armed for the oldest one.
 */
#include "natives.h"

#define TRANSACTION_TIMEOUT_MS 5000

typedef struct transaction {
    struct transaction *next;
    uint32 mid;
    uint32 sent_at; /* wasm_get_sys_tick_ms() when sent */
    response_handler_f handler;
    void *user_data;
} transaction_t;

static transaction_t *g_transactions = NULL; /* oldest first */
static user_timer_t g_timeout_timer = NULL;

/* Arms the timer for the oldest transaction, or disarms it when none is left. */
static void rearm_timeout(void)
{
    uint32 elapsed;

    if (g_timeout_timer == NULL)
        return;
    if (g_transactions == NULL) {
        wasmlet_timer_stop(g_timeout_timer);
        return;
    }
    elapsed = wasm_get_sys_tick_ms() - g_transactions->sent_at; /* wraps correctly */
    api_timer_restart(g_timeout_timer, elapsed >= TRANSACTION_TIMEOUT_MS
                                           ? 0 : (int)(TRANSACTION_TIMEOUT_MS - elapsed));
}

static void on_timeout(user_timer_t timer)
{
    uint32 now = wasm_get_sys_tick_ms();
    transaction_t *t;

    (void)timer;
    /* unlink each expired one before calling out: its handler may send new requests */
    while ((t = g_transactions) != NULL && now - t->sent_at >= TRANSACTION_TIMEOUT_MS) {
        g_transactions = t->next;
        t->handler(NULL, t->user_data);
        free(t);
    }
    rearm_timeout();
}

void api_send_request(request_t *request, response_handler_f response_handler, void *user_data)
{
    transaction_t *t, **tail;
    char *packet;
    int size;

    if ((t = (transaction_t *)malloc(sizeof(transaction_t))) == NULL) {
        printf("send request: allocate memory for request transaction failed!\n");
        return;
    }
    if ((packet = pack_request(request, &size)) == NULL) {
        printf("send request: pack request failed!\n");
        free(t);
        return;
    }
    if (g_timeout_timer == NULL)
        g_timeout_timer = api_timer_create(TRANSACTION_TIMEOUT_MS, false, false, on_timeout);

    t->next = NULL;
    t->mid = request->mid;
    t->sent_at = wasm_get_sys_tick_ms();
    t->handler = response_handler;
    t->user_data = user_data;
    for (tail = &g_transactions; *tail; tail = &(*tail)->next)
        ;
    *tail = t;
    if (t == g_transactions)
        rearm_timeout();

    wasm_post_request(packet, size);
    free_req_resp_packet(packet);
}

void on_response(char *buffer, int size)
{
    response_t response;
    transaction_t *t, **link;

    if (unpack_response(buffer, size, &response) == NULL) {
        printf("unpack response failed\n");
        return;
    }
    for (link = &g_transactions; (t = *link) != NULL; link = &t->next)
        if (t->mid == response.mid)
            break;
    if (t == NULL) {
        printf("cannot find the transaction\n");
        return;
    }
    *link = t->next;
    if (link == &g_transactions)
        rearm_timeout();
    t->handler(&response, t->user_data);
    free(t);
}
