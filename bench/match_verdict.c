/*
 * The match and verdict rows of issues #7 and #20, each beside plain-C
 * OpenSSL in the same run, interleaved round by round (these machines are
 * noisy):
 *
 *   match:       one parsed certificate against 4 reference identifiers
 *                (DNS, SRV, XmppAddr, IP), handed over as a server that
 *                parsed the certificate would (add_presented, names only,
 *                no lookups), beside X509_check_host x4 + X509_check_ip_asc
 *                with the RFC 9525 flags. (OpenSSL cannot see SRV-ID or
 *                XmppAddr; it is asked for the names as DNS-IDs, its best.)
 *   PKI, seen:   a PKI verdict from the same 3-certificate DER chain (leaf,
 *                intermediate, root) again and again, as a server sees its
 *                peers reconnect: xmppdna_chain_add_der x3 + xmppdna_verify
 *                {PKI}, beside d2i_X509 x3 + X509_verify_cert +
 *                X509_check_host.
 *   PKI, new:    the same with a chain never seen: every verdict gets a
 *                leaf and an intermediate of their own (re-signed copies,
 *                fresh serials, made before timing); the third certificate
 *                is the root, which the trust store holds anyway.
 *   DANE-EE:     a DANE verdict with a secure "3 1 1" TLSA record for the
 *                leaf's key, seen and new chains, beside OpenSSL's own DANE
 *                path: SSL_dane_tlsa_add, X509_STORE_CTX_set0_dane and
 *                X509_verify_cert (which stops at a DANE-EE match).
 *
 * Usage: match_verdict PKI_DIR ROUNDS        the table
 *        match_verdict PKI_DIR --only ROW N  N verdicts of one row inside
 *                                            measured(), for callgrind's
 *                                            --toggle-collect=measured
 *        (bench/run-match-verdict.sh runs both)
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
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
    printf("| %-62s | %10.2f | %10.2f |\n", label, samples[n / 2], samples[n * 9 / 10]);
}

#define CHECK(call) do { if ((call) != XMPPDNA_OK) { fprintf(stderr, "%s failed\n", #call); exit(1); } } while (0)

static X509 *pem_x509(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!x) { fprintf(stderr, "%s: no certificate\n", path); exit(2); }
    return x;
}

static EVP_PKEY *pem_key(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!key) { fprintf(stderr, "%s: no key\n", path); exit(2); }
    return key;
}

/* A copy of cert with a serial of its own, signed again by issuer_key: new
 * DER, the same names, key and issuer, so it verifies like the original. */
static X509 *resigned(X509 *cert, EVP_PKEY *issuer_key, long serial) {
    X509 *copy = X509_dup(cert);
    ASN1_INTEGER_set(X509_get_serialNumber(copy), serial);
    if (!X509_sign(copy, issuer_key, EVP_sha256())) { fprintf(stderr, "X509_sign failed\n"); exit(2); }
    return copy;
}

typedef struct { unsigned char *der[3]; int len[3]; } der_chain;

static der_chain encoded(X509 *leaf, X509 *inter, X509 *root) {
    der_chain c;
    X509 *certs[3] = {leaf, inter, root};
    for (int i = 0; i < 3; i++) { c.der[i] = NULL; c.len[i] = i2d_X509(certs[i], &c.der[i]); }
    return c;
}

static const int64_t verify_at = 1893456000; /* inside the fixtures' validity */
static const unsigned int rfc9525_flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
static const char *const reference_names[] = {"example.com", "_xmpp-server.example.com", "example.com", "example.com"};

/* Everything the rows share, made before any timing. */
struct bench {
    xmppdna_ctx *ctx;
    xmppdna_request *match_req, *pki_req, *dane_req;
    X509 *parsed_leaf;
    X509_STORE *store;
    SSL *dane; /* holds OpenSSL's DANE state: the TLSA record */
    der_chain seen;
    der_chain *fresh; /* each used once by xmppdna; OpenSSL cycles through them */
    int fresh_count, fresh_next, fresh_peer_next;
};

static const der_chain *next_fresh(struct bench *b) {
    if (b->fresh_next == b->fresh_count) { fprintf(stderr, "out of fresh chains\n"); exit(2); }
    return &b->fresh[b->fresh_next++];
}

static const der_chain *next_fresh_for_peer(struct bench *b) {
    return &b->fresh[b->fresh_peer_next++ % b->fresh_count];
}

static int xmppdna_verdict_on(struct bench *b, const der_chain *c, xmppdna_request *req) {
    xmppdna_chain *chain;
    xmppdna_verdict *v;
    CHECK(xmppdna_chain_new(&chain));
    for (int i = 0; i < 3; i++) CHECK(xmppdna_chain_add_der(chain, c->der[i], (size_t)c->len[i]));
    CHECK(xmppdna_verify(b->ctx, chain, req, &v));
    int accepted = xmppdna_verdict_accepted(v);
    xmppdna_verdict_free(v);
    xmppdna_chain_free(chain);
    return accepted;
}

/* d2i_X509 x3 and X509_verify_cert, with OpenSSL's DANE state when dane is set. */
static int openssl_verdict_on(struct bench *b, const der_chain *c, SSL *dane) {
    const unsigned char *p0 = c->der[0], *p1 = c->der[1], *p2 = c->der[2];
    X509 *leaf = d2i_X509(NULL, &p0, c->len[0]), *inter = d2i_X509(NULL, &p1, c->len[1]), *root = d2i_X509(NULL, &p2, c->len[2]);
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    sk_X509_push(untrusted, inter);
    sk_X509_push(untrusted, root);
    X509_STORE_CTX *sctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(sctx, b->store, leaf, untrusted);
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(sctx), (time_t)verify_at);
    X509_STORE_CTX_set_purpose(sctx, X509_PURPOSE_SSL_SERVER);
    int accepted;
    if (dane) {
        X509_STORE_CTX_set0_dane(sctx, SSL_get0_dane(dane));
        accepted = X509_verify_cert(sctx) == 1;
    } else {
        accepted = X509_verify_cert(sctx) == 1 && X509_check_host(leaf, "example.com", 0, rfc9525_flags, NULL) == 1;
    }
    X509_STORE_CTX_free(sctx);
    sk_X509_free(untrusted);
    X509_free(leaf); X509_free(inter); X509_free(root);
    return accepted;
}

static int match_xmppdna(struct bench *b, int n) {
    int accepted = 0;
    for (int i = 0; i < n; i++) {
        xmppdna_verdict *v;
        CHECK(xmppdna_verify(b->ctx, NULL, b->match_req, &v));
        accepted += xmppdna_verdict_accepted(v);
        xmppdna_verdict_free(v);
    }
    return accepted;
}

static int match_openssl(struct bench *b, int n) {
    int accepted = 0;
    for (int i = 0; i < n; i++) {
        /* All five checks run; the SRV-ID as a DNS-ID cannot match. */
        int matched = 0;
        for (int k = 0; k < 4; k++) matched += X509_check_host(b->parsed_leaf, reference_names[k], 0, rfc9525_flags, NULL) == 1;
        accepted += matched == 3 && X509_check_ip_asc(b->parsed_leaf, "192.0.2.1", 0) == 1;
    }
    return accepted;
}

enum side { XMPPDNA, OPENSSL };
enum chains { SEEN, NEW };

static const struct row {
    const char *name, *label;
    int (*match)(struct bench *, int); /* the match rows; the others are verdicts on DER chains */
    enum side side;
    int dane;                          /* DANE-EE, else PKI */
    enum chains chains;
    int calls;                         /* per round */
} rows[] = {
    {"match-xmppdna", "match: xmppdna_verify, names only, parsed leaf, 4 refs", match_xmppdna, XMPPDNA, 0, SEEN, 2000},
    {"match-openssl", "match: OpenSSL X509_check_host x4 + X509_check_ip_asc", match_openssl, OPENSSL, 0, SEEN, 2000},
    {"pki-seen-xmppdna", "PKI, chain seen: xmppdna chain_add_der x3 + verify", NULL, XMPPDNA, 0, SEEN, 50},
    {"pki-seen-openssl", "PKI, chain seen: OpenSSL d2i x3 + verify_cert + check_host", NULL, OPENSSL, 0, SEEN, 50},
    {"pki-new-xmppdna", "PKI, chain new: xmppdna chain_add_der x3 + verify", NULL, XMPPDNA, 0, NEW, 50},
    {"pki-new-openssl", "PKI, chain new: OpenSSL d2i x3 + verify_cert + check_host", NULL, OPENSSL, 0, NEW, 50},
    {"dane-seen-xmppdna", "DANE-EE, chain seen: xmppdna chain_add_der x3 + verify", NULL, XMPPDNA, 1, SEEN, 50},
    {"dane-seen-openssl", "DANE-EE, chain seen: OpenSSL d2i x3 + set0_dane + verify_cert", NULL, OPENSSL, 1, SEEN, 50},
    {"dane-new-xmppdna", "DANE-EE, chain new: xmppdna chain_add_der x3 + verify", NULL, XMPPDNA, 1, NEW, 50},
    {"dane-new-openssl", "DANE-EE, chain new: OpenSSL d2i x3 + set0_dane + verify_cert", NULL, OPENSSL, 1, NEW, 50},
};
enum { row_count = sizeof rows / sizeof rows[0] };

/* xmppdna's rows use each never-seen chain once; OpenSSL caches nothing, so it cycles. */
static int uses_fresh(const struct row *row) { return row->side == XMPPDNA && row->chains == NEW; }

/* n calls of a row; how many accepted. */
static int run_row(const struct row *row, struct bench *b, int n) {
    if (row->match) return row->match(b, n);
    int accepted = 0;
    for (int i = 0; i < n; i++) {
        if (row->side == XMPPDNA)
            accepted += xmppdna_verdict_on(b, row->chains == NEW ? next_fresh(b) : &b->seen, row->dane ? b->dane_req : b->pki_req);
        else
            accepted += openssl_verdict_on(b, row->chains == NEW ? next_fresh_for_peer(b) : &b->seen, row->dane ? b->dane : NULL);
    }
    return accepted;
}

static xmppdna_request *example_request(int prooftype, int flags) {
    xmppdna_request *req;
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req));
    CHECK(xmppdna_request_set_prooftypes(req, &prooftype, 1));
    CHECK(xmppdna_request_set_flags(req, flags));
    return req;
}

/* The leaf's identifiers as a server that parsed the certificate would hand
 * them over: read once from a verdict on the leaf, IP addresses as octets. */
static void hand_over_presented(xmppdna_ctx *ctx, const der_chain *c, xmppdna_request *req) {
    xmppdna_chain *leaf_only;
    xmppdna_verdict *v;
    CHECK(xmppdna_chain_new(&leaf_only));
    CHECK(xmppdna_chain_add_der(leaf_only, c->der[0], (size_t)c->len[0]));
    CHECK(xmppdna_verify(ctx, leaf_only, req, &v));
    for (size_t i = 0; i < xmppdna_verdict_presented_count(v); i++) {
        int type;
        const char *value;
        unsigned char octets[16];
        CHECK(xmppdna_verdict_presented_get(v, i, &type, &value, NULL, NULL));
        if (type == XMPPDNA_ID_IP) {
            int v4 = inet_pton(AF_INET, value, octets) == 1;
            if (!v4 && inet_pton(AF_INET6, value, octets) != 1) { fprintf(stderr, "bad IP %s\n", value); exit(1); }
            CHECK(xmppdna_request_add_presented(req, type, octets, v4 ? 4 : 16));
        } else {
            CHECK(xmppdna_request_add_presented(req, type, value, strlen(value)));
        }
    }
    xmppdna_verdict_free(v);
    xmppdna_chain_free(leaf_only);
}

static void hex_of(const unsigned char *bytes, size_t len, char *out) {
    for (size_t i = 0; i < len; i++) sprintf(out + 2 * i, "%02x", bytes[i]);
}

static void set_up(struct bench *b, const char *pki, int fresh_count) {
    X509 *leaf = pem_x509(pki, "full.pem"), *inter = pem_x509(pki, "inter.pem"), *root = pem_x509(pki, "root.pem");
    EVP_PKEY *inter_key = pem_key(pki, "inter.key"), *root_key = pem_key(pki, "root.key");
    b->seen = encoded(leaf, inter, root);
    b->fresh_count = fresh_count;
    b->fresh_next = b->fresh_peer_next = 0;
    b->fresh = calloc((size_t)fresh_count, sizeof *b->fresh);
    for (int i = 0; i < fresh_count; i++) {
        X509 *new_leaf = resigned(leaf, inter_key, 1000000 + i), *new_inter = resigned(inter, root_key, 2000000 + i);
        b->fresh[i] = encoded(new_leaf, new_inter, root);
        X509_free(new_leaf);
        X509_free(new_inter);
    }

    CHECK(xmppdna_ctx_new(&b->ctx));
    char root_path[4096];
    snprintf(root_path, sizeof root_path, "%s/root.pem", pki);
    CHECK(xmppdna_ctx_set_ca(b->ctx, root_path, NULL));
    CHECK(xmppdna_ctx_set_time(b->ctx, verify_at));
    /* DNS-ID, SRV-ID and XmppAddr of example.com, plus an IP. */
    b->match_req = example_request(XMPPDNA_PROOF_PKI, XMPPDNA_REQUEST_NAMES_ONLY | XMPPDNA_REQUEST_NO_LOOKUPS);
    CHECK(xmppdna_request_add_ref(b->match_req, XMPPDNA_ID_NAME, "192.0.2.1", 9));
    hand_over_presented(b->ctx, &b->seen, b->match_req);
    b->pki_req = example_request(XMPPDNA_PROOF_PKI, XMPPDNA_REQUEST_NO_LOOKUPS);
    CHECK(xmppdna_request_add_ref(b->pki_req, XMPPDNA_ID_NAME, "192.0.2.1", 9));

    /* DANE-EE "3 1 1": SHA-256 of the leaf's SubjectPublicKeyInfo (the
     * re-signed leaves keep the key, so the record fits them all). */
    unsigned char *spki = NULL, digest[32];
    int spki_len = i2d_PUBKEY(X509_get0_pubkey(leaf), &spki);
    unsigned int digest_len = 0;
    EVP_Digest(spki, (size_t)spki_len, digest, &digest_len, EVP_sha256(), NULL);
    char rdata[8 + 2 * 32 + 1] = "3 1 1 ";
    hex_of(digest, digest_len, rdata + 6);
    b->dane_req = example_request(XMPPDNA_PROOF_DANE, XMPPDNA_REQUEST_NO_LOOKUPS);
    CHECK(xmppdna_request_add_tlsa(b->dane_req, NULL, 0, rdata, XMPPDNA_DNSSEC_SECURE));

    b->parsed_leaf = leaf;
    b->store = X509_STORE_new();
    X509_STORE_add_cert(b->store, root);
    SSL_CTX *ssl_ctx = SSL_CTX_new(TLS_client_method());
    if (SSL_CTX_dane_enable(ssl_ctx) <= 0) { fprintf(stderr, "SSL_CTX_dane_enable failed\n"); exit(2); }
    b->dane = SSL_new(ssl_ctx);
    if (SSL_dane_enable(b->dane, "example.com") <= 0 || SSL_dane_tlsa_add(b->dane, 3, 1, 1, digest, digest_len) <= 0) {
        fprintf(stderr, "SSL_dane_tlsa_add failed\n");
        exit(2);
    }
    OPENSSL_free(spki);
    X509_free(inter);
    X509_free(root);
    EVP_PKEY_free(inter_key);
    EVP_PKEY_free(root_key);
}

/* Every row must accept on its first call, else it measures a failure path. */
static void check_rows_accept(struct bench *b) {
    for (int r = 0; r < row_count; r++)
        if (run_row(&rows[r], b, 1) != 1) { fprintf(stderr, "row %s does not accept\n", rows[r].name); exit(1); }
}

/* The one function callgrind counts (--toggle-collect=measured). */
__attribute__((noinline)) int measured(const struct row *row, struct bench *b, int n);
__attribute__((noinline)) int measured(const struct row *row, struct bench *b, int n) {
    return run_row(row, b, n);
}

static double median_of(const char *name, double *const *samples, int rounds) {
    for (int r = 0; r < row_count; r++)
        if (strcmp(rows[r].name, name) == 0) {
            qsort(samples[r], (size_t)rounds, sizeof(double), compare);
            return samples[r][rounds / 2];
        }
    return -1;
}

/* goal|CASE|GOAL|MEASURED|met or missed: bench/run-all.sh gathers these. */
static void goal_faster(const char *name, double *const *samples, int rounds, const char *ours, const char *peer, double at_least) {
    double ratio = median_of(peer, samples, rounds) / median_of(ours, samples, rounds);
    printf("goal|%s|>= %.0fx faster than OpenSSL|%.1fx|%s\n", name, at_least, ratio, ratio >= at_least ? "met" : "missed");
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[2], "--only") == 0) {
        const struct row *row = NULL;
        for (int r = 0; r < row_count; r++) if (strcmp(rows[r].name, argv[3]) == 0) row = &rows[r];
        int n = atoi(argv[4]);
        if (!row || n < 1) { fprintf(stderr, "no row %s\n", argv[3]); return 2; }
        struct bench b;
        set_up(&b, argv[1], n + row_count);
        check_rows_accept(&b);
        return measured(row, &b, n) == n ? 0 : 1;
    }
    if (argc != 3) { fprintf(stderr, "usage: %s PKI_DIR ROUNDS | PKI_DIR --only ROW N\n", argv[0]); return 2; }
    int rounds = atoi(argv[2]);
    if (rounds < 1) { fprintf(stderr, "ROUNDS must be at least 1\n"); return 2; }
    int fresh_needed = row_count;
    for (int r = 0; r < row_count; r++) fresh_needed += uses_fresh(&rows[r]) * rows[r].calls * rounds;
    struct bench b;
    set_up(&b, argv[1], fresh_needed);
    check_rows_accept(&b);

    double *samples[row_count];
    for (int r = 0; r < row_count; r++) samples[r] = calloc((size_t)rounds, sizeof(double));
    for (int round = 0; round < rounds; round++)
        for (int r = 0; r < row_count; r++) {
            double t0 = now_ns();
            int accepted = run_row(&rows[r], &b, rows[r].calls);
            samples[r][round] = (now_ns() - t0) / rows[r].calls / 1000.0;
            if (accepted != rows[r].calls) { fprintf(stderr, "row %s rejected a verdict\n", rows[r].name); return 1; }
        }
    printf("| case | median µs | p90 µs |\n|---|---:|---:|\n");
    for (int r = 0; r < row_count; r++) report(rows[r].label, samples[r], rounds);
    goal_faster("name match, parsed leaf, 4 references", samples, rounds, "match-xmppdna", "match-openssl", 10);
    goal_faster("PKI verdict, 3-certificate DER chain seen before", samples, rounds, "pki-seen-xmppdna", "pki-seen-openssl", 50);
    goal_faster("DANE-EE verdict, DER chain seen before", samples, rounds, "dane-seen-xmppdna", "dane-seen-openssl", 2);
    printf("median|match-xmppdna|%.4f\n", median_of("match-xmppdna", samples, rounds));
    return 0;
}
