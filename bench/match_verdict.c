/*
 * Two rows of issue #7, each beside plain-C OpenSSL in the same run,
 * interleaved round by round (these machines are noisy):
 *
 *   match:   one parsed certificate against 4 reference identifiers (DNS,
 *            SRV, XmppAddr, IP): a request for example.com plus the IP,
 *            carrying the leaf's identifiers (add_presented, as a server
 *            that parsed the certificate itself hands them over), verified
 *            without a chain with XMPPDNA_REQUEST_NAMES_ONLY |
 *            XMPPDNA_REQUEST_NO_LOOKUPS, beside OpenSSL's X509_check_host
 *            x4 + X509_check_ip_asc on the parsed leaf with the RFC 9525
 *            flags. (OpenSSL cannot see SRV-ID or XmppAddr; it is asked
 *            for the names as DNS-IDs, which is its best.)
 *   verdict: a PKI verdict from a DER chain of 3 certificates (leaf,
 *            intermediate, root) through xmppdna_chain_add_der x3 +
 *            xmppdna_verify (prooftypes {PKI}, XMPPDNA_REQUEST_NO_LOOKUPS),
 *            beside d2i_X509 x3 + X509_verify_cert + X509_check_host in
 *            plain C.
 *
 * Usage: match_verdict PKI_DIR ROUNDS   (bench/run-match-verdict.sh)
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xmppdna.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *label, double *samples, int n) {
    qsort(samples, n, sizeof *samples, compare);
    printf("| %-58s | %10.2f | %10.2f |\n", label, samples[n / 2], samples[n * 9 / 10]);
}

static unsigned char *der_of(const char *dir, const char *name, int *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    unsigned char *out = NULL;
    *len = i2d_X509(x, &out);
    X509_free(x);
    return out;
}

#define CHECK(call) do { if ((call) != XMPPDNA_OK) { fprintf(stderr, "%s failed\n", #call); exit(1); } } while (0)

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s PKI_DIR ROUNDS\n", argv[0]); return 2; }
    const char *pki = argv[1];
    int rounds = atoi(argv[2]);
    const int64_t at = 1893456000; /* inside the fixtures' validity */
    int len_leaf, len_inter, len_root;
    unsigned char *leaf = der_of(pki, "full.pem", &len_leaf);
    unsigned char *inter = der_of(pki, "inter.pem", &len_inter);
    unsigned char *root = der_of(pki, "root.pem", &len_root);

    /* xmppdna side. */
    xmppdna_ctx *ctx;
    CHECK(xmppdna_ctx_new(&ctx));
    char root_path[4096];
    snprintf(root_path, sizeof root_path, "%s/root.pem", pki);
    CHECK(xmppdna_ctx_set_ca(ctx, root_path, NULL));
    CHECK(xmppdna_ctx_set_time(ctx, at));
    const int pki_only[] = {XMPPDNA_PROOF_PKI};
    /* The PKI verdict: DNS-ID, SRV-ID and XmppAddr of example.com, plus an IP. */
    xmppdna_request *verdict_req;
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &verdict_req));
    CHECK(xmppdna_request_set_prooftypes(verdict_req, pki_only, 1));
    CHECK(xmppdna_request_set_flags(verdict_req, XMPPDNA_REQUEST_NO_LOOKUPS));
    CHECK(xmppdna_request_add_ref(verdict_req, XMPPDNA_ID_NAME, "192.0.2.1", 9));
    /* The name match: the same references, and the leaf's identifiers as a
     * server that parsed the certificate would hand them over (read once
     * from a verdict on the leaf; IP addresses back to their octets). */
    xmppdna_request *match_req;
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &match_req));
    CHECK(xmppdna_request_set_prooftypes(match_req, pki_only, 1));
    CHECK(xmppdna_request_set_flags(match_req, XMPPDNA_REQUEST_NAMES_ONLY | XMPPDNA_REQUEST_NO_LOOKUPS));
    CHECK(xmppdna_request_add_ref(match_req, XMPPDNA_ID_NAME, "192.0.2.1", 9));
    xmppdna_chain *parsed;
    xmppdna_verdict *leaf_verdict;
    CHECK(xmppdna_chain_new(&parsed));
    CHECK(xmppdna_chain_add_der(parsed, leaf, len_leaf));
    CHECK(xmppdna_verify(ctx, parsed, match_req, &leaf_verdict));
    for (size_t i = 0; i < xmppdna_verdict_presented_count(leaf_verdict); i++) {
        int type;
        const char *value;
        unsigned char octets[16];
        CHECK(xmppdna_verdict_presented_get(leaf_verdict, i, &type, &value, NULL, NULL));
        if (type == XMPPDNA_ID_IP) {
            int v4 = inet_pton(AF_INET, value, octets) == 1;
            if (!v4 && inet_pton(AF_INET6, value, octets) != 1) { fprintf(stderr, "bad IP %s\n", value); exit(1); }
            CHECK(xmppdna_request_add_presented(match_req, type, octets, v4 ? 4 : 16));
        } else {
            CHECK(xmppdna_request_add_presented(match_req, type, value, strlen(value)));
        }
    }
    xmppdna_verdict_free(leaf_verdict);
    xmppdna_chain_free(parsed);
    {
        xmppdna_verdict *v;
        CHECK(xmppdna_verify(ctx, NULL, match_req, &v));
        if (xmppdna_verdict_accepted(v) != 1 || xmppdna_verdict_presented_count(v) < 6) {
            fprintf(stderr, "the name match does not accept the full leaf: %s\n", xmppdna_verdict_summary(v));
            exit(1);
        }
        xmppdna_verdict_free(v);
    }

    /* OpenSSL side. */
    const unsigned char *cursor = leaf;
    X509 *x_leaf = d2i_X509(NULL, &cursor, len_leaf);
    X509_STORE *store = X509_STORE_new();
    cursor = root;
    X509 *x_root_anchor = d2i_X509(NULL, &cursor, len_root);
    X509_STORE_add_cert(store, x_root_anchor);
    const unsigned int flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
    const char *names[] = {"example.com", "_xmpp-server.example.com", "example.com", "example.com"};

    const int match_calls = 2000, verdict_calls = 50;
    double *ours_match = calloc(rounds, sizeof(double)), *peer_match = calloc(rounds, sizeof(double));
    double *ours_verdict = calloc(rounds, sizeof(double)), *peer_verdict = calloc(rounds, sizeof(double));
    volatile int sink = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (int i = 0; i < match_calls; i++) {
            xmppdna_verdict *v;
            CHECK(xmppdna_verify(ctx, NULL, match_req, &v));
            sink += xmppdna_verdict_accepted(v);
            xmppdna_verdict_free(v);
        }
        ours_match[r] = (now_ns() - t0) / match_calls / 1000.0;

        t0 = now_ns();
        for (int i = 0; i < match_calls; i++) {
            for (int n = 0; n < 4; n++) sink += X509_check_host(x_leaf, names[n], 0, flags, NULL);
            sink += X509_check_ip_asc(x_leaf, "192.0.2.1", 0);
        }
        peer_match[r] = (now_ns() - t0) / match_calls / 1000.0;

        t0 = now_ns();
        for (int i = 0; i < verdict_calls; i++) {
            xmppdna_chain *chain;
            xmppdna_verdict *v;
            CHECK(xmppdna_chain_new(&chain));
            CHECK(xmppdna_chain_add_der(chain, leaf, len_leaf));
            CHECK(xmppdna_chain_add_der(chain, inter, len_inter));
            CHECK(xmppdna_chain_add_der(chain, root, len_root));
            CHECK(xmppdna_verify(ctx, chain, verdict_req, &v));
            sink += xmppdna_verdict_accepted(v);
            xmppdna_verdict_free(v);
            xmppdna_chain_free(chain);
        }
        ours_verdict[r] = (now_ns() - t0) / verdict_calls / 1000.0;

        t0 = now_ns();
        for (int i = 0; i < verdict_calls; i++) {
            const unsigned char *p1 = leaf, *p2 = inter, *p3 = root;
            X509 *a = d2i_X509(NULL, &p1, len_leaf), *b = d2i_X509(NULL, &p2, len_inter), *c = d2i_X509(NULL, &p3, len_root);
            STACK_OF(X509) *untrusted = sk_X509_new_null();
            sk_X509_push(untrusted, b);
            sk_X509_push(untrusted, c);
            X509_STORE_CTX *sctx = X509_STORE_CTX_new();
            X509_STORE_CTX_init(sctx, store, a, untrusted);
            X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(sctx), (time_t)at);
            X509_STORE_CTX_set_purpose(sctx, X509_PURPOSE_SSL_SERVER);
            sink += X509_verify_cert(sctx) == 1 && X509_check_host(a, "example.com", 0, flags, NULL) == 1;
            X509_STORE_CTX_free(sctx);
            sk_X509_free(untrusted);
            X509_free(a); X509_free(b); X509_free(c);
        }
        peer_verdict[r] = (now_ns() - t0) / verdict_calls / 1000.0;
    }
    printf("| case | median µs | p90 µs |\n|---|---:|---:|\n");
    report("match: xmppdna_verify, names only, parsed leaf, 4 references", ours_match, rounds);
    report("match: OpenSSL X509_check_host x4 + X509_check_ip_asc", peer_match, rounds);
    report("verdict: xmppdna chain_add_der x3 + verify {PKI}", ours_verdict, rounds);
    report("verdict: OpenSSL d2i_X509 x3 + X509_verify_cert + check_host", peer_verdict, rounds);
    return sink == -1;
}
