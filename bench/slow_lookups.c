/*
 * Issue #23's benchmark: many concurrent lookups, some of them slow, on one
 * context driven by an event loop (fd + poll + process), beside libunbound's
 * async API (ub_fd + poll + ub_process) doing the same set.
 *
 *   slow_lookups SIDE SERVER ANCHOR_DS_FILE HEALTHY SLOW WINDOW_S CAP_S [TAG]
 *
 *   SIDE      xmppdna   xmppdna_names_lookup_async(NAME, xmpp-server): its
 *                       name list asks SRV _xmpp-server._tcp.NAME,
 *                       SRV _xmpps-server._tcp.NAME, then (no SRV) A and
 *                       AAAA of NAME, validating each from the anchor
 *             unbound   ub_resolve_async for SRV _xmpp-server._tcp.NAME
 *                       only: one question per name, what a server that
 *                       resolves its peers with libunbound asks first
 *             unbound4  ub_resolve_async for the same four questions as
 *                       xmppdna's list; a name is done when its fourth is
 *             unbound:N, unbound4:N  the same with libunbound's
 *                       outgoing-range (UDP sockets in flight; 16 by
 *                       default in the library) set to N
 *   SERVER    "127.0.0.1@PORT": both sides forward there (RD, DNSSEC from
 *             the anchor, validated in the process)
 *   HEALTHY   names hN.example (N = 0..HEALTHY-1): every one is a distinct
 *             name that does not exist under the signed zone "example", so
 *             each is a real lookup ending in a secure denial
 *   SLOW      names sN.slow.example, interleaved (one in ten of a 9:1 set):
 *             the server in front of the world answers them late
 *   WINDOW_S  the slow lookups get at least this many seconds from the
 *             first submit, and as long as a healthy one still runs
 *   CAP_S     but never more: at the end whatever still runs is cancelled
 *             (timed, with freeing the context) and counted as not finished
 *
 * Everything is submitted at once, healthy and slow interleaved, and each
 * lookup's time runs from just before its submit call to its callback. The
 * process is one side only, so its peak RSS (VmHWM) and its peak number of
 * threads (/proc/self/task, sampled in the loop) and of open descriptors
 * are that side's, and so is its CPU time (getrusage: every thread).
 * Prints one table row (bench/run-slow-lookups.sh); how it ended (submit
 * time, cancels, teardown, a first failure reason) goes to stderr.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <poll.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unbound.h>
#include <xmppdna.h>
#include "process_clock.h"


static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d));) if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - (strcmp(dir, "/proc/self/fd") == 0); /* opendir's own fd */
}

enum { OK_SECURE, OK_INSECURE, INDETERMINATE, BOGUS, FAILED, OUTCOMES };
static const char *outcome_names[OUTCOMES] = {"secure", "insecure", "indeterminate", "bogus", "error"};

typedef struct {
    int slow;          /* 1 for a name under the slow zone */
    int pending;       /* questions still out (unbound4 asks four) */
    int outcome;       /* worst outcome of its questions so far, -1 none */
    int ids[4];        /* query ids, for cancel */
    int nids;
    double submitted, finished; /* finished < 0: still running */
    char name[64];
} lookup;

static lookup *lookups;
static int total, finished_count, peak_threads, peak_fds;
static long limit_refusals;
static double last_sample;
static char first_reason[2][200];

static void sample(void) {
    double t = now_s();
    if (t - last_sample < 0.02) return;
    last_sample = t;
    int th = count_entries("/proc/self/task"), fds = count_entries("/proc/self/fd");
    if (th > peak_threads) peak_threads = th;
    if (fds > peak_fds) peak_fds = fds;
}

static int healthy_finished;

static void finish_one(lookup *l, int outcome) {
    if (l->pending <= 0) return; /* its submit failed part-way */
    if (l->outcome < outcome) l->outcome = outcome;
    if (--l->pending > 0) return;
    l->finished = now_s();
    finished_count++;
    healthy_finished += !l->slow;
}

static void on_names(void *userdata, int rc, xmppdna_names *names) {
    lookup *l = userdata;
    int outcome = FAILED;
    if (rc == XMPPDNA_OK) {
        int status = -1;
        const char *reason = NULL;
        xmppdna_names_status(names, &status, NULL, NULL, NULL, &reason);
        outcome = status == XMPPDNA_DNSSEC_SECURE ? OK_SECURE : status == XMPPDNA_DNSSEC_INSECURE ? OK_INSECURE
                : status == XMPPDNA_DNSSEC_BOGUS ? BOGUS : INDETERMINATE;
        if (reason && strstr(reason, "limit")) limit_refusals++;
        if (reason && !first_reason[l->slow][0]) snprintf(first_reason[l->slow], sizeof first_reason[0], "%s", reason);
    } else if (!first_reason[l->slow][0]) {
        snprintf(first_reason[l->slow], sizeof first_reason[0], "rc %s", xmppdna_strerror(rc));
    }
    xmppdna_names_free(names);
    finish_one(l, outcome);
}

static void on_unbound(void *userdata, int err, struct ub_result *result) {
    lookup *l = userdata;
    int outcome = FAILED;
    if (err == 0 && result) {
        outcome = result->bogus ? BOGUS : result->rcode == 2 ? INDETERMINATE : result->secure ? OK_SECURE : OK_INSECURE;
        if (outcome >= INDETERMINATE && !first_reason[l->slow][0])
            snprintf(first_reason[l->slow], sizeof first_reason[0], "rcode %d%s%s", result->rcode,
                     result->why_bogus ? ": " : "", result->why_bogus ? result->why_bogus : "");
    } else if (!first_reason[l->slow][0]) {
        snprintf(first_reason[l->slow], sizeof first_reason[0], "%s", ub_strerror(err));
    }
    ub_resolve_free(result);
    finish_one(l, outcome);
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Milliseconds at quantile q over the class (unfinished ones are +inf). */
static void quantiles(int slow, double deadline, char *p50, char *p99, size_t size, int *done, int outcomes[OUTCOMES]) {
    double *v = malloc(sizeof *v * (size_t)total);
    int n = 0;
    *done = 0;
    memset(outcomes, 0, sizeof(int) * OUTCOMES);
    for (int i = 0; i < total; i++) {
        if (lookups[i].slow != slow) continue;
        if (lookups[i].finished >= 0) {
            v[n++] = (lookups[i].finished - lookups[i].submitted) * 1e3;
            ++*done;
            outcomes[lookups[i].outcome]++;
        } else {
            v[n++] = INFINITY;
        }
    }
    qsort(v, (size_t)n, sizeof *v, compare);
    char *out[2] = {p50, p99};
    double q[2] = {0.50, 0.99};
    for (int k = 0; k < 2; k++) {
        if (n == 0) { snprintf(out[k], size, "-"); continue; }
        int index = (int)ceil(q[k] * n) - 1;
        if (index < 0) index = 0;
        if (isinf(v[index])) snprintf(out[k], size, "> %.0f", deadline * 1e3);
        else snprintf(out[k], size, "%.0f", v[index]);
    }
    free(v);
}

static void outcome_text(char *buf, size_t size, int outcomes[OUTCOMES]) {
    buf[0] = 0;
    for (int k = 0; k < OUTCOMES; k++)
        if (outcomes[k]) {
            size_t used = strlen(buf);
            snprintf(buf + used, size - used, "%s%d %s", used ? ", " : "", outcomes[k], outcome_names[k]);
        }
    if (!buf[0]) snprintf(buf, size, "none");
}

static void usage(const char *me) {
    fprintf(stderr, "usage: %s xmppdna|unbound[:RANGE]|unbound4[:RANGE] SERVER ANCHOR_DS_FILE HEALTHY SLOW WINDOW_S CAP_S [TAG]\n", me);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 8) usage(argv[0]);
    const char *side = argv[1], *server = argv[2], *anchor = argv[3];
    int healthy = atoi(argv[4]), slow = atoi(argv[5]);
    double window = atof(argv[6]), cap = atof(argv[7]);
    const char *tag = argc > 8 ? argv[8] : "";
    int use_xmppdna = strcmp(side, "xmppdna") == 0, four = strncmp(side, "unbound4", 8) == 0;
    const char *range = strchr(side, ':');
    if (!use_xmppdna && strncmp(side, "unbound", 7)) usage(argv[0]);
    if (range) range++;

    total = healthy + slow;
    lookups = calloc((size_t)total, sizeof *lookups);
    /* Slow names spread evenly through the submit order (every tenth of a
     * 9:1 set), so neither kind goes first. */
    for (int i = 0, h = 0, s = 0; i < total; i++) {
        int is_slow = slow > 0 && (long)(s + 1) * total <= (long)(i + 1) * slow;
        lookup *l = &lookups[i];
        l->slow = is_slow;
        l->outcome = -1;
        l->finished = -1;
        if (is_slow) snprintf(l->name, sizeof l->name, "s%d.slow.example", s++);
        else snprintf(l->name, sizeof l->name, "h%d.example", h++);
    }
    long rss_start = status_kib("VmRSS:");
    sample();

    xmppdna_ctx *ctx = NULL;
    struct ub_ctx *ub = NULL;
    int fd;
    if (use_xmppdna) {
        if (xmppdna_ctx_new(&ctx) || xmppdna_ctx_add_server(ctx, server, 0) || xmppdna_ctx_set_anchor_file(ctx, anchor)) {
            fprintf(stderr, "xmppdna setup failed\n");
            return 1;
        }
        fd = xmppdna_fd(ctx);
    } else {
        ub = ub_ctx_create();
        /* As bench/namelist_latency.c, with a thread (not a forked process,
         * so its memory and thread count are this process's) and without
         * RFC 8198 synthesis: one cached NSEC of "example" would otherwise
         * deny every hN.example without asking, and xmppdna does not
         * synthesise denials. */
        if (!ub || ub_ctx_set_fwd(ub, server) || ub_ctx_add_ta_file(ub, anchor) ||
            ub_ctx_set_option(ub, "do-not-query-localhost:", "no") ||
            ub_ctx_set_option(ub, "aggressive-nsec:", "no") || ub_ctx_async(ub, 1) ||
            (range && ub_ctx_set_option(ub, "outgoing-range:", range))) {
            fprintf(stderr, "libunbound setup failed\n");
            return 1;
        }
        fd = ub_fd(ub);
    }

    static const char *prefixes[4] = {"_xmpp-server._tcp.", "_xmpps-server._tcp.", "", ""};
    static const int types[4] = {33, 33, 1, 28};
    int submit_errors = 0;
    double start = now_s();
    for (int i = 0; i < total; i++) {
        lookup *l = &lookups[i];
        l->submitted = now_s();
        int rc;
        if (use_xmppdna) {
            l->pending = 1;
            rc = xmppdna_names_lookup_async(ctx, l->name, XMPPDNA_SERVICE_XMPP_SERVER, on_names, l, &l->ids[0]);
            l->nids = rc == XMPPDNA_OK;
        } else {
            int questions = four ? 4 : 1;
            l->pending = questions;
            rc = 0;
            for (int k = 0; k < questions && rc == 0; k++) {
                char qname[128];
                snprintf(qname, sizeof qname, "%s%s", prefixes[k], l->name);
                rc = ub_resolve_async(ub, qname, types[k], 1, l, on_unbound, &l->ids[k]);
                if (rc == 0) l->nids++;
            }
        }
        if (rc != 0) {
            if (!submit_errors++) fprintf(stderr, "submit %s: error %d\n", l->name, rc);
            l->pending = 0;
            l->outcome = FAILED;
            l->finished = -1;
        }
    }
    double submitted = now_s() - start;

    double healthy_done_at = -1;
    for (;;) {
        double t = now_s() - start;
        if (finished_count >= total - submit_errors || t >= cap || (healthy_finished == healthy && t >= window)) break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        poll(&p, 1, 20);
        sample();
        if (p.revents & POLLIN) {
            if (use_xmppdna) xmppdna_process(ctx);
            else if (ub_process(ub) != 0) { fprintf(stderr, "ub_process failed\n"); return 1; }
        }
        if (healthy_done_at < 0 && healthy_finished == healthy) healthy_done_at = now_s() - start;
    }
    double ended = now_s() - start;
    sample();

    /* Stop whatever still runs and free the context, timed. */
    int cancelled = 0;
    double t0 = now_s();
    for (int i = 0; i < total; i++) {
        lookup *l = &lookups[i];
        if (l->finished >= 0 || l->pending == 0) continue;
        for (int k = 0; k < l->nids; k++)
            if (use_xmppdna ? xmppdna_cancel(ctx, l->ids[k]) == XMPPDNA_OK : ub_cancel(ub, l->ids[k]) == 0) cancelled++;
    }
    if (use_xmppdna) xmppdna_ctx_free(ctx);
    else ub_ctx_delete(ub);
    double teardown = now_s() - t0;
    long hwm = status_kib("VmHWM:");
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;

    char hp50[32], hp99[32], sp50[32], sp99[32], hout[128], sout[128];
    int hdone, sdone, houtcomes[OUTCOMES], soutcomes[OUTCOMES];
    quantiles(0, ended, hp50, hp99, sizeof hp50, &hdone, houtcomes);
    quantiles(1, ended, sp50, sp99, sizeof sp50, &sdone, soutcomes);
    outcome_text(hout, sizeof hout, houtcomes);
    outcome_text(sout, sizeof sout, soutcomes);
    char who[160], ranged[48] = "";
    if (range) snprintf(ranged, sizeof ranged, ", outgoing-range %s", range);
    snprintf(who, sizeof who, "%s%s%s%s", use_xmppdna ? "xmppdna names_lookup_async" : four ? "libunbound, 4 questions/name"
                                          : "libunbound, SRV only", ranged, tag[0] ? ", " : "", tag);
    char hall[32];
    if (healthy_done_at >= 0) snprintf(hall, sizeof hall, "%.1f", healthy_done_at);
    else snprintf(hall, sizeof hall, "> %.0f", ended);
    char sfin[160];
    if (slow) snprintf(sfin, sizeof sfin, "%d of %d by %.0f s (%s)", sdone, slow, ended, sout);
    else snprintf(sfin, sizeof sfin, "-");
    printf("| %s | %d + %d | %s | %s | %s | %s | %s | %s | %s | %.1f | %.0f | %.0f | %d | %d |\n",
           who, healthy, slow, hp50, hp99, hall, hout, sp50, sp99, sfin, cpu,
           hwm / 1024.0, (hwm - rss_start) / 1024.0, peak_threads, peak_fds);
    fprintf(stderr, "%s: submitted %d in %.3f s, %d submit errors, %d cancelled at %.1f s, teardown %.3f s, "
                    "%ld answers refused by a limit; healthy reason: %s; slow reason: %s\n",
            who, total, submitted, submit_errors, cancelled, ended, teardown, limit_refusals,
            first_reason[0][0] ? first_reason[0] : "-", first_reason[1][0] ? first_reason[1] : "-");
    return 0;
}
