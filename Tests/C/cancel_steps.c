/*
 * Issue #23 under valgrind: queries cancelled in the middle of each step
 * (before their task runs, waiting on a DNS server that holds its answers,
 * verifying a chain, waiting on a web server that never answers POSH), with
 * the context freed afterwards. No callback may run for a cancelled query;
 * valgrind checks that nothing is touched after it is freed and nothing
 * leaks. CancelAtEveryStepTests asserts the steps themselves (the slots
 * held at each delay) under ThreadSanitizer; this is the memory side.
 *   cancel_steps SLOW_DNS_SERVER ANCHOR_FILE CA_FILE CHAIN_PEM POSH_URL_BASE
 */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <xmppdna.h>
#include "read_file.h"

static int calls;

static void on_names(void *userdata, int rc, xmppdna_names *names) {
    (void)userdata; (void)rc;
    calls++;
    xmppdna_names_free(names);
}

static void on_verdict(void *userdata, int rc, xmppdna_verdict *verdict) {
    (void)userdata; (void)rc;
    calls++;
    xmppdna_verdict_free(verdict);
}

static void sleep_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

#define CHECK(expr) do { int rc_ = (expr); if (rc_ != XMPPDNA_OK) { \
    fprintf(stderr, "%s:%d: %s = %d (%s)\n", __FILE__, __LINE__, #expr, rc_, xmppdna_strerror(rc_)); exit(1); } } while (0)

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s SLOW_DNS ANCHOR CA CHAIN_PEM POSH_URL_BASE\n", argv[0]); return 2; }
    size_t pem_len;
    char *pem = read_file(argv[4], &pem_len);
    if (!pem) { perror(argv[4]); return 2; }
    const int delays[] = {0, 2, 10, 50, 200, 800};
    int failures = 0;
    for (size_t d = 0; d < sizeof delays / sizeof delays[0]; d++) {
        xmppdna_ctx *ctx;
        CHECK(xmppdna_ctx_new(&ctx));
        CHECK(xmppdna_ctx_add_server(ctx, argv[1], 0));
        CHECK(xmppdna_ctx_set_anchor_file(ctx, argv[2]));
        CHECK(xmppdna_ctx_set_ca(ctx, argv[3], NULL));
        CHECK(xmppdna_ctx_set_posh(ctx, argv[5], 5000));
        xmppdna_chain *chain;
        CHECK(xmppdna_chain_new(&chain));
        CHECK(xmppdna_chain_add_pem(chain, pem, pem_len));

        int ids[3], n = 0;
        char name[64];
        snprintf(name, sizeof name, "d%d.slow.example", delays[d]);
        CHECK(xmppdna_names_lookup_async(ctx, name, XMPPDNA_SERVICE_XMPP_SERVER, on_names, NULL, &ids[n++]));
        snprintf(name, sizeof name, "v%d.slow.example", delays[d]);
        const char *domains[] = {name, "insecure.example"};
        for (int i = 0; i < 2; i++) {
            xmppdna_request *request;
            CHECK(xmppdna_request_new(domains[i], XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_INBOUND, &request));
            CHECK(xmppdna_verify_async(ctx, chain, request, on_verdict, NULL, &ids[n++]));
            xmppdna_request_free(request);  /* copied at submit */
        }
        xmppdna_chain_free(chain);          /* likewise */

        sleep_ms(delays[d]);
        for (int i = 0; i < n; i++) {
            int rc = xmppdna_cancel(ctx, ids[i]);
            if (rc != XMPPDNA_OK) { fprintf(stderr, "cancel after %d ms: %s\n", delays[d], xmppdna_strerror(rc)); failures++; }
        }
        /* Long enough for any answer on its way to arrive. */
        struct pollfd p = {xmppdna_fd(ctx), POLLIN, 0};
        for (int i = 0; i < 30; i++) {
            poll(&p, 1, 10);
            xmppdna_process(ctx);
        }
        if (calls != 0) { fprintf(stderr, "%d callbacks ran after a cancel at %d ms\n", calls, delays[d]); failures++; }
        xmppdna_ctx_free(ctx);
    }
    free(pem);
    printf("cancel steps: 3 queries cancelled after each of 0, 2, 10, 50, 200 and 800 ms; %d failures\n", failures);
    return failures != 0;
}
