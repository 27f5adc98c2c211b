/*
 * Issue #20's server-shaped load: one context, as a server holds one,
 * answering async DNA verdicts for the chains its peers present, again
 * and again, over a world of real signed DNS and a real HTTPS server (see
 * bench/run-server-load.sh and bench/make-load-peers.sh). Each verdict
 * looks its evidence up through the context (SRV, TLSA, POSH), so after
 * the first pass the caches serve it.
 *
 * A warm-up pass asks once for every chain; then VERDICTS verdicts for
 * chains drawn at random are kept IN_FLIGHT at a time (a server answers
 * its peers as they connect, not all at once) on the library's workers.
 * Every verdict must accept with its domain's prooftype. Reports
 * throughput, latency (submission to callback) and RSS.
 *
 * Usage: server_load RESOLVER ANCHOR_FILE ROOT_PEM POSH_URL PEERS_DIR CHAINS DOMAINS VERDICTS IN_FLIGHT
 */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xmppdna.h>
#include "process_clock.h"

struct peer {
    char *pem;
    size_t pem_len;
    char domain[64];
    int prooftype; /* the one that must decide */
};

struct pending {
    int peer;
    double submitted;
};

static struct peer *peers;
static double *latencies;
static int completed, wrong, by_prooftype[5];
static char first_wrong[512];

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    if (fread(data, 1, (size_t)size, f) != (size_t)size) { perror(path); exit(2); }
    data[size] = 0;
    fclose(f);
    *len = (size_t)size;
    return data;
}

static void on_verdict(void *userdata, int rc, xmppdna_verdict *verdict) {
    struct pending *pending = userdata;
    latencies[completed++] = (now_s() - pending->submitted) * 1000;
    int prooftype = rc == XMPPDNA_OK && xmppdna_verdict_accepted(verdict) == 1 ? xmppdna_verdict_prooftype(verdict) : 0;
    if (prooftype >= 0 && prooftype <= 4) by_prooftype[prooftype]++;
    if (prooftype != peers[pending->peer].prooftype) {
        if (!wrong++)
            snprintf(first_wrong, sizeof first_wrong, "%s: %s", peers[pending->peer].domain,
                     rc == XMPPDNA_OK ? xmppdna_verdict_summary(verdict) : xmppdna_strerror(rc));
    }
    xmppdna_verdict_free(verdict);
    free(pending);
}

static void submit(xmppdna_ctx *ctx, int index) {
    xmppdna_chain *chain;
    xmppdna_request *req;
    if (xmppdna_chain_new(&chain) != XMPPDNA_OK || xmppdna_chain_add_pem(chain, peers[index].pem, peers[index].pem_len) != XMPPDNA_OK ||
        xmppdna_request_new(peers[index].domain, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_INBOUND, &req) != XMPPDNA_OK) {
        fprintf(stderr, "cannot make the request for chain %d\n", index);
        exit(1);
    }
    struct pending *pending = malloc(sizeof *pending);
    pending->peer = index;
    pending->submitted = now_s();
    if (xmppdna_verify_async(ctx, chain, req, on_verdict, pending, NULL) != XMPPDNA_OK) {
        fprintf(stderr, "xmppdna_verify_async failed\n");
        exit(1);
    }
    /* The query holds its own copies. */
    xmppdna_request_free(req);
    xmppdna_chain_free(chain);
}

/* RSS at each quarter of the measured verdicts. */
static long rss_quarters[4];

/* Runs until `target` verdicts have completed, submitting next() while
 * fewer than in_flight are outstanding; samples RSS every 1000. */
static void run(xmppdna_ctx *ctx, int target, int in_flight, int (*next)(void), long *rss_peak) {
    int start = completed;
    int submitted = completed, fd = xmppdna_fd(ctx);
    while (completed < target) {
        while (submitted < target && submitted - completed < in_flight) { submit(ctx, next()); submitted++; }
        struct pollfd entry = {fd, POLLIN, 0};
        poll(&entry, 1, 100);
        int before = completed;
        xmppdna_process(ctx);
        if (rss_peak && completed / 1000 != before / 1000) {
            long rss = status_kib("VmRSS:");
            if (rss > *rss_peak) *rss_peak = rss;
        }
        for (int q = 0; rss_peak && q < 4; q++)
            if (!rss_quarters[q] && completed - start >= (target - start) * (q + 1) / 4) rss_quarters[q] = status_kib("VmRSS:");
    }
}

static int chain_count, sequential_next;
static unsigned int random_state = 20;
static int next_in_order(void) { return sequential_next++ % chain_count; }
static int next_at_random(void) {
    random_state = random_state * 1103515245u + 12345u;
    return (int)((random_state >> 8) % (unsigned int)chain_count);
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 10) {
        fprintf(stderr, "usage: %s RESOLVER ANCHOR_FILE ROOT_PEM POSH_URL PEERS_DIR CHAINS DOMAINS VERDICTS IN_FLIGHT\n", argv[0]);
        return 2;
    }
    const char *peers_dir = argv[5];
    chain_count = atoi(argv[6]);
    int domains = atoi(argv[7]), verdicts = atoi(argv[8]), in_flight = atoi(argv[9]);
    if (chain_count < 1 || domains < 1 || verdicts < 1 || in_flight < 1) { fprintf(stderr, "counts must be positive\n"); return 2; }
    peers = calloc((size_t)chain_count, sizeof *peers);
    static const int prooftype_of_kind[] = {XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI, XMPPDNA_PROOF_POSH};
    for (int i = 0; i < chain_count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/chain-%d.pem", peers_dir, i);
        peers[i].pem = slurp(path, &peers[i].pem_len);
        snprintf(peers[i].domain, sizeof peers[i].domain, "d%d.load.example.com", i % domains);
        peers[i].prooftype = prooftype_of_kind[(i % domains) % 4];
    }
    latencies = calloc((size_t)(chain_count + verdicts), sizeof *latencies);

    xmppdna_ctx *ctx;
    if (xmppdna_ctx_new(&ctx) != XMPPDNA_OK || xmppdna_ctx_set_ca(ctx, argv[3], NULL) != XMPPDNA_OK ||
        xmppdna_ctx_add_server(ctx, argv[1], 0) != XMPPDNA_OK || xmppdna_ctx_set_anchor_file(ctx, argv[2]) != XMPPDNA_OK ||
        xmppdna_ctx_set_posh(ctx, argv[4], 5000) != XMPPDNA_OK) {
        fprintf(stderr, "context setup failed\n");
        return 1;
    }
    long rss_start = status_kib("VmRSS:");
    double t0 = now_s();
    run(ctx, chain_count, in_flight, next_in_order, NULL);
    double warm_up = now_s() - t0;
    int warm_up_wrong = wrong;
    long rss_warm = status_kib("VmRSS:"), rss_peak = rss_warm;

    t0 = now_s();
    run(ctx, chain_count + verdicts, in_flight, next_at_random, &rss_peak);
    double elapsed = now_s() - t0;
    long rss_end = status_kib("VmRSS:");
    if (rss_end > rss_peak) rss_peak = rss_end;
    xmppdna_ctx_free(ctx);

    double *measured = latencies + chain_count;
    qsort(measured, (size_t)verdicts, sizeof *measured, compare);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    printf("| case | value |\n|---|---|\n");
    printf("| peers | %d chains over %d domains (DANE-EE, DANE-TA, PKI with delegated names, POSH: a quarter each) |\n",
           chain_count, domains);
    printf("| warm-up: one verdict per chain, %d in flight | %.2f s (DNS, TLSA and POSH looked up and validated) |\n",
           in_flight, warm_up);
    printf("| %d verdicts at random, %d in flight, %ld cores | %.0f verdicts/s |\n", verdicts, in_flight, cores, verdicts / elapsed);
    printf("| latency, submission to callback | p50 %.3f ms, p99 %.3f ms, max %.3f ms |\n", measured[verdicts / 2],
           measured[(int)(verdicts * 0.99)], measured[verdicts - 1]);
    printf("| decided by | DANE %d, PKI %d, POSH %d; wrong or refused %d |\n", by_prooftype[XMPPDNA_PROOF_DANE],
           by_prooftype[XMPPDNA_PROOF_PKI], by_prooftype[XMPPDNA_PROOF_POSH], wrong);
    printf("| RSS | at start %ld KiB, after the warm-up pass %ld KiB; after each quarter of the verdicts %ld, %ld, %ld, %ld KiB; "
           "highest sampled %ld KiB |\n", rss_start, rss_warm, rss_quarters[0], rss_quarters[1], rss_quarters[2], rss_quarters[3],
           rss_peak);
    if (wrong) fprintf(stderr, "first wrong verdict: %s\n", first_wrong);
    /* Flat: no growth from the first quarter on (the first also fills the
     * allocator's arenas for IN_FLIGHT verdicts at once, which the ordered
     * warm-up pass does not). */
    long growth = rss_peak - rss_quarters[0];
    printf("goal|server-shaped load (%d verdicts, %d chains, %d domains)|every verdict right; RSS flat after the first quarter "
           "(within 1 MiB)|%d wrong (%d in warm-up), %+ld KiB after the first quarter, %+ld KiB in all|%s\n", verdicts, chain_count,
           domains, wrong, warm_up_wrong, growth, rss_peak - rss_warm, wrong == 0 && growth <= 1024 ? "met" : "missed");
    return wrong != 0;
}
