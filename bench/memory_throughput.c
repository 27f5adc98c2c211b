/*
 * Two rows of issue #7 that have no peer:
 *
 *   memory:     1,000,000 verdicts in one process (the name match: a
 *               request carrying a parsed leaf's identifiers, verified with
 *               XMPPDNA_REQUEST_NAMES_ONLY | XMPPDNA_REQUEST_NO_LOOKUPS and
 *               no chain; each verdict made, read and freed), with the
 *               resident set after warm-up, at the peak, and at the end: it
 *               must stay flat. Leaks are valgrind's job (Tests/C/run.sh).
 *   throughput: DNA verdicts (DANE-EE from a supplied TLSA record, so CPU
 *               bound: chain checks and matching), verdicts per second:
 *               one at a time through xmppdna_verify on the calling thread
 *               (one core), then all at once through the async API, which
 *               spreads them over the library's threads (every core). The
 *               ratio is the scaling with the cores. (Until 0.3.0 the two
 *               rows were the async API with xmppdna_ctx_set_threads 1 and
 *               2, which had stopped having any effect.)
 *
 * Usage: memory_throughput PKI_DIR   (bench/run-memory-throughput.sh)
 */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xmppdna.h>
#include "process_clock.h"


static char *slurp(const char *dir, const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    char *data = malloc(1 << 16);
    *len = fread(data, 1, 1 << 16, f);
    fclose(f);
    return data;
}

static int delivered;

static void on_verdict(void *userdata, int rc, xmppdna_verdict *verdict) {
    (void)userdata;
    if (rc == XMPPDNA_OK && xmppdna_verdict_accepted(verdict) == 1) delivered++;
    else { fprintf(stderr, "async verdict not accepted: %s\n", rc == XMPPDNA_OK ? xmppdna_verdict_summary(verdict) : xmppdna_strerror(rc)); exit(1); }
    xmppdna_verdict_free(verdict);
}

/* Verdicts per second, synchronous (one at a time) or async (all at once). */
static double throughput(const char *pki, int async, int count) {
    size_t len;
    char *pem = slurp(pki, "host1-chain.pem", &len);
    char path[4096];
    snprintf(path, sizeof path, "%s/root.pem", pki);
    xmppdna_ctx *ctx;
    xmppdna_chain *chain;
    xmppdna_request *req;
    xmppdna_ctx_new(&ctx);
    xmppdna_ctx_set_ca(ctx, path, NULL);
    xmppdna_ctx_set_time(ctx, 1893456000);
    xmppdna_chain_new(&chain);
    xmppdna_chain_add_pem(chain, pem, len);
    xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req);
    /* host1's certificate, exactly: a DANE-EE 3 0 0 record from its DER. */
    size_t der_len;
    char *der_path = slurp(pki, "host1.der", &der_len);
    char *rdata = malloc(6 + der_len * 2 + 1);
    strcpy(rdata, "3 0 0 ");
    for (size_t i = 0; i < der_len; i++) sprintf(rdata + 6 + 2 * i, "%02x", (unsigned char)der_path[i]);
    xmppdna_request_add_tlsa(req, NULL, 0, rdata, XMPPDNA_DNSSEC_SECURE);
    int prooftypes[] = {XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI};
    xmppdna_request_set_prooftypes(req, prooftypes, 2);
    /* The context has no DNS server, so nothing is looked up. (Not
     * XMPPDNA_REQUEST_NO_LOOKUPS: with it the 0.3.0 library of 9dde52c runs
     * the whole verdict inside xmppdna_verify_async on the caller's thread.) */
    delivered = 0;
    double start = now_s();
    if (async) {
        for (int i = 0; i < count; i++)
            if (xmppdna_verify_async(ctx, chain, req, on_verdict, NULL, NULL) != XMPPDNA_OK) {
                fprintf(stderr, "xmppdna_verify_async failed\n");
                exit(1);
            }
        int fd = xmppdna_fd(ctx);
        while (delivered < count) {
            struct pollfd entry = {fd, POLLIN, 0};
            poll(&entry, 1, 100);
            xmppdna_process(ctx);
        }
    } else {
        for (int i = 0; i < count; i++) {
            xmppdna_verdict *v = NULL;
            int rc = xmppdna_verify(ctx, chain, req, &v);
            on_verdict(NULL, rc, v);
        }
    }
    double rate = count / (now_s() - start);
    xmppdna_request_free(req);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    free(pem);
    free(der_path);
    free(rdata);
    return rate;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s PKI_DIR\n", argv[0]); return 2; }
    const char *pki = argv[1];
    size_t len;
    char *pem = slurp(pki, "full-chain.pem", &len);
    xmppdna_ctx *ctx;
    xmppdna_chain *chain;
    xmppdna_request *req;
    xmppdna_verdict *parsed;
    xmppdna_ctx_new(&ctx);
    xmppdna_chain_new(&chain);
    xmppdna_chain_add_pem(chain, pem, len);
    xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req);
    const int pki_only[] = {XMPPDNA_PROOF_PKI};
    xmppdna_request_set_prooftypes(req, pki_only, 1);
    xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NAMES_ONLY | XMPPDNA_REQUEST_NO_LOOKUPS);
    /* The leaf's DNS-IDs, SRV-IDs and XmppAddrs, handed over as a server
     * that parsed the certificate would (read once from a verdict). */
    if (xmppdna_verify(ctx, chain, req, &parsed) != XMPPDNA_OK) { fprintf(stderr, "xmppdna_verify failed\n"); return 1; }
    for (size_t i = 0; i < xmppdna_verdict_presented_count(parsed); i++) {
        int type;
        const char *value;
        if (xmppdna_verdict_presented_get(parsed, i, &type, &value, NULL, NULL) == XMPPDNA_OK &&
            (type == XMPPDNA_ID_DNS || type == XMPPDNA_ID_SRV || type == XMPPDNA_ID_XMPP))
            xmppdna_request_add_presented(req, type, value, strlen(value));
    }
    xmppdna_verdict_free(parsed);
    long accepted = 0, after_warmup = 0, peak_during = 0;
    double start = now_s();
    for (long i = 0; i < 1000000; i++) {
        xmppdna_verdict *v = NULL;
        xmppdna_verify(ctx, NULL, req, &v);
        accepted += xmppdna_verdict_accepted(v);
        /* Read something that makes the handle lend its strings, as a server logging it would. */
        if (i % 10 == 0) accepted += xmppdna_verdict_match_count(v) > 0 ? 0 : 1;
        xmppdna_verdict_free(v);
        if (i == 10000) after_warmup = status_kib("VmRSS:");
        if (i % 100000 == 0) { long rss = status_kib("VmRSS:"); if (rss > peak_during) peak_during = rss; }
    }
    double seconds = now_s() - start;
    long after = status_kib("VmRSS:");
    printf("| case | time or rate | memory or scaling |\n|---|---:|---|\n");
    printf("| 1,000,000 verdicts (xmppdna_verify, names only, %ld accepted) | %.2f s | RSS after warm-up %ld KiB, highest sampled %ld KiB, after %ld KiB |\n",
           accepted, seconds, after_warmup, peak_during, after);
    xmppdna_request_free(req);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    free(pem);

    double one = throughput(pki, 0, 2000), all = throughput(pki, 1, 2000);
    printf("| DNA verdicts (DANE-EE, supplied TLSA), xmppdna_verify one at a time | %.0f verdicts/s | |\n", one);
    printf("| DNA verdicts (DANE-EE, supplied TLSA), async, all at once | %.0f verdicts/s | scaling %.2fx on %ld cores |\n",
           all, all / one, sysconf(_SC_NPROCESSORS_ONLN));
    /* goal|CASE|GOAL|MEASURED|met or missed: bench/run-all.sh gathers these.
     * Flat: no sample above the warm-up RSS by more than 1 MiB. */
    long growth = (peak_during > after ? peak_during : after) - after_warmup;
    printf("goal|1,000,000 verdicts|flat RSS after warm-up (within 1 MiB)|%+ld KiB|%s\n", growth, growth <= 1024 ? "met" : "missed");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    printf("goal|async throughput|scales with cores (>= 0.75x per core)|%.2fx on %ld cores|%s\n", all / one, cores,
           all / one >= 0.75 * (double)cores ? "met" : "missed");
    return 0;
}
