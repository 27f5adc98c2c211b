/*
 * Thousands of async queries on the loopback DNS world through the installed
 * library, about half cancelled, some still pending at xmppdna_ctx_free.
 * Run under valgrind by Tests/C/run.sh: 0 errors, 0 leaks.
 *   async_stress SERVER ANCHOR_FILE COUNT
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xmppdna.h>

static const char *domains[] = {"example.com", "insecure.example", "bogus.example", "alias.example.com"};
static const int statuses[] = {XMPPDNA_DNSSEC_SECURE, XMPPDNA_DNSSEC_INSECURE, XMPPDNA_DNSSEC_BOGUS,
                               XMPPDNA_DNSSEC_SECURE};

struct outcome { int delivered, wrong, cancelled_but_called; };
struct query { struct outcome *outcome; const char *domain; int expected; int cancelled; };

static void on_names(void *userdata, int rc, xmppdna_names *names) {
    struct query *q = userdata;
    q->outcome->delivered++;
    if (q->cancelled) q->outcome->cancelled_but_called++;
    int status = -1;
    const char *reason = NULL;
    if (rc != XMPPDNA_OK || xmppdna_names_status(names, &status, NULL, NULL, NULL, &reason) != XMPPDNA_OK ||
        status != q->expected) {
        /* The first few, with what came instead, so a failure says why. */
        if (q->outcome->wrong++ < 5)
            fprintf(stderr, "wrong answer for %s: rc %d (%s), status %d (expected %d): %s\n", q->domain, rc,
                    xmppdna_strerror(rc), status, q->expected, reason ? reason : "-");
    }
    xmppdna_names_free(names);
}

static void on_never(void *userdata, int rc, xmppdna_names *names) {
    (void)rc;
    ((struct outcome *)userdata)->cancelled_but_called++;
    xmppdna_names_free(names);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s SERVER ANCHOR COUNT\n", argv[0]); return 2; }
    int count = atoi(argv[3]);
    xmppdna_ctx *ctx = NULL;
    struct outcome outcome = {0, 0, 0};
    struct query *queries = calloc((size_t)count, sizeof *queries);
    int *ids = calloc((size_t)count, sizeof *ids);
    if (xmppdna_ctx_new(&ctx) != XMPPDNA_OK || xmppdna_ctx_add_server(ctx, argv[1], 0) != XMPPDNA_OK ||
        xmppdna_ctx_set_anchor_file(ctx, argv[2]) != XMPPDNA_OK) {
        fprintf(stderr, "cannot configure the context\n");
        return 2;
    }
    for (int i = 0; i < count; i++) {
        queries[i] = (struct query){&outcome, domains[i % 4], statuses[i % 4], 0};
        if (xmppdna_names_lookup_async(ctx, domains[i % 4], XMPPDNA_SERVICE_XMPP_SERVER, on_names, &queries[i],
                                       &ids[i]) != XMPPDNA_OK) {
            fprintf(stderr, "submit %d failed\n", i);
            return 1;
        }
    }
    int cancelled = 0;
    for (int i = 0; i < count; i++) {
        if ((i / 4) % 2 == 0) continue; /* half of the queries, half of each domain */
        if (xmppdna_cancel(ctx, ids[i]) == XMPPDNA_OK) { queries[i].cancelled = 1; cancelled++; }
    }
    int fd = xmppdna_fd(ctx);
    for (int spins = 0; outcome.delivered < count - cancelled && spins < 6000; spins++) {
        struct pollfd entry = {fd, POLLIN, 0};
        poll(&entry, 1, 10);
        xmppdna_process(ctx);
    }
    /* Left pending on purpose: ctx_free must drop them without a callback. */
    for (int i = 0; i < 50; i++)
        xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_never, &outcome, NULL);
    xmppdna_ctx_free(ctx);
    printf("async stress: %d submitted, %d cancelled, %d delivered, %d wrong, %d cancelled but called\n",
           count, cancelled, outcome.delivered, outcome.wrong, outcome.cancelled_but_called);
    int ok = outcome.delivered == count - cancelled && outcome.wrong == 0 && outcome.cancelled_but_called == 0 &&
             cancelled >= count / 2 - 4;
    free(queries);
    free(ids);
    return ok ? 0 : 1;
}
