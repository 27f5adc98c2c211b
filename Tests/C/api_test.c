/*
 * Exercises every function of the installed xmppdna.h, including every
 * bad-input path, through the installed library. Run under valgrind by
 * Tests/C/run.sh.   Usage: api_test PKI_DIR
 *
 * Every verdict made here also goes through check_verdict(): its findings
 * are read field by field, each attempt's reason must be its findings'
 * text joined by "; ", and the JSON must carry every finding's number.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <xmppdna.h>
#include "read_file.h"

static int passed, failed;

#define CHECK(cond) do { \
    if (cond) { passed++; } \
    else { failed++; printf("not ok - %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

static const int64_t AT = 1893456000; /* 2030-01-01, inside the fixtures' validity */
static const char *pki;

static const int PKI_ONLY[] = {XMPPDNA_PROOF_PKI};
static const int DANE_ONLY[] = {XMPPDNA_PROOF_DANE};
static const int POSH_ONLY[] = {XMPPDNA_PROOF_POSH};
static const int DIALBACK_ONLY[] = {XMPPDNA_PROOF_DIALBACK};

static char *fixture_path(const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", pki, name);
    return path;
}

/* A fixture's bytes, NUL-terminated; a missing fixture ends the run. */
static char *slurp(const char *name, size_t *len) {
    char *data = read_file(fixture_path(name), len);
    if (!data) { printf("cannot read %s/%s\n", pki, name); exit(2); }
    return data;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* CPU time of the calling thread alone. */
static double thread_cpu_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* CPU time of the whole process, every thread. */
static double process_cpu_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* A UDP socket on loopback that never answers: "127.0.0.1@PORT" in server. */
static int silent_server(char *server, size_t size) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) != 0 ||
        getsockname(fd, (struct sockaddr *)&address, &length) != 0) {
        printf("cannot bind a loopback UDP socket\n");
        exit(2);
    }
    snprintf(server, size, "127.0.0.1@%d", ntohs(address.sin_port));
    return fd;
}

/* "3 0 0 HEX" for a DER file of the fixtures: an exact full-certificate TLSA
 * record, so no hashing is needed here. */
static char *exact_tlsa(const char *der_name) {
    size_t len;
    unsigned char *der = (unsigned char *)slurp(der_name, &len);
    char *rdata = malloc(6 + 2 * len + 1);
    strcpy(rdata, "3 0 0 ");
    for (size_t i = 0; i < len; i++) sprintf(rdata + 6 + 2 * i, "%02x", der[i]);
    free(der);
    return rdata;
}

/* ------------------------------------------------------------- findings */

static int known_finding(int code) {
    return (code >= XMPPDNA_FINDING_ALREADY_ACCEPTED && code <= XMPPDNA_FINDING_NO_CERTIFICATE) ||
           (code >= XMPPDNA_FINDING_PKI_NAME_MATCHED && code <= XMPPDNA_FINDING_PKI_CHAIN_NOT_CHECKED) ||
           (code >= XMPPDNA_FINDING_DANE_MATCHED && code <= XMPPDNA_FINDING_TLSA_NO_LOCATION) ||
           (code >= XMPPDNA_FINDING_POSH_MATCHED && code <= XMPPDNA_FINDING_POSH_NOT_PUBLISHED) ||
           (code >= XMPPDNA_FINDING_DIALBACK_STRONG && code <= XMPPDNA_FINDING_DIALBACK_NOT_SUPPLIED);
}

/* Reads every part of a verdict and checks that the parts agree: attempts
 * and findings, findings and reasons, summary, prooftype, JSON. */
static void check_verdict(const xmppdna_verdict *v) {
    int accepted = xmppdna_verdict_accepted(v), proof = xmppdna_verdict_prooftype(v);
    CHECK(accepted == 0 || accepted == 1);
    CHECK(accepted == 1 ? proof >= XMPPDNA_PROOF_DANE && proof <= XMPPDNA_PROOF_DIALBACK : proof == 0);
    const char *summary = xmppdna_verdict_summary(v);
    CHECK(summary != NULL && summary[0] != 0);
    char *json = NULL;
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK && json != NULL);
    CHECK(json && strncmp(json, "{\"schema_version\":1,", 20) == 0);
    size_t attempts = xmppdna_verdict_attempt_count(v), count = xmppdna_verdict_finding_count(v), next = 0;
    CHECK(attempts >= 1 && attempts <= 4);
    int accepting_attempts = 0;
    xmppdna_finding f;
    for (size_t a = 0; a < attempts; a++) {
        int prooftype = -1, outcome = -1;
        const char *reason = NULL;
        CHECK(xmppdna_verdict_attempt_get(v, a, &prooftype, &outcome, &reason) == XMPPDNA_OK);
        CHECK(prooftype >= XMPPDNA_PROOF_DANE && prooftype <= XMPPDNA_PROOF_DIALBACK);
        CHECK(outcome >= XMPPDNA_ATTEMPT_REJECTED && outcome <= XMPPDNA_ATTEMPT_ACCEPTED);
        CHECK(reason != NULL);
        if (!reason) continue;
        if (accepted == 1 && prooftype == proof) {
            accepting_attempts++;
            CHECK(outcome == XMPPDNA_ATTEMPT_ACCEPTED);
            CHECK(strstr(summary, reason) != NULL);
        }
        /* This attempt's findings come next, and its reason is their text joined by "; ". */
        size_t pos = 0, reason_len = strlen(reason);
        int first = 1;
        while (next < count) {
            memset(&f, 0x5a, sizeof f);
            CHECK(xmppdna_verdict_finding_get(v, next, &f) == XMPPDNA_OK);
            if (f.prooftype != prooftype) break;
            CHECK(known_finding(f.code));
            CHECK(f.outcome == outcome);
            CHECK(f.dnssec >= XMPPDNA_DNSSEC_BOGUS && f.dnssec <= XMPPDNA_DNSSEC_NONE);
            CHECK(f.dnssec == XMPPDNA_DNSSEC_BOGUS || f.extended_error == 0);
            CHECK(f.extended_error >= 0 && f.openssl_code >= 0 && f.depth >= 0);
            CHECK(f.text != NULL && f.text[0] != 0);
            if (!f.text) break;
            if (!first) {
                CHECK(strncmp(reason + pos, "; ", 2) == 0);
                pos += 2;
            }
            size_t text_len = strlen(f.text);
            CHECK(pos + text_len <= reason_len && strncmp(reason + pos, f.text, text_len) == 0);
            pos += text_len;
            first = 0;
            char number[40];
            snprintf(number, sizeof number, "\"number\":%d,", f.code);
            CHECK(json && strstr(json, number) != NULL);
            next++;
        }
        CHECK(pos == reason_len);
    }
    CHECK(next == count); /* every finding belongs to an attempt, in attempt order */
    CHECK(accepted == 0 || accepting_attempts == 1);
    CHECK(xmppdna_verdict_attempt_get(v, attempts, NULL, NULL, NULL) == XMPPDNA_ERANGE);
    CHECK(xmppdna_verdict_finding_get(v, count, &f) == XMPPDNA_ERANGE);
    CHECK(xmppdna_verdict_finding_get(v, (size_t)-1, &f) == XMPPDNA_ERANGE);
    if (count > 0) CHECK(xmppdna_verdict_finding_get(v, 0, NULL) == XMPPDNA_EMISUSE);
    xmppdna_free(json);
}

/* The first finding with code, copied into *out (may be NULL); 1 if found. */
static int find(const xmppdna_verdict *v, int code, xmppdna_finding *out) {
    xmppdna_finding f;
    for (size_t i = 0; i < xmppdna_verdict_finding_count(v); i++)
        if (xmppdna_verdict_finding_get(v, i, &f) == XMPPDNA_OK && f.code == code) {
            if (out) *out = f;
            return 1;
        }
    return 0;
}

static int attempt_outcome(const xmppdna_verdict *v, size_t i) {
    int outcome = -1;
    CHECK(xmppdna_verdict_attempt_get(v, i, NULL, &outcome, NULL) == XMPPDNA_OK);
    return outcome;
}

static const char *attempt_reason(const xmppdna_verdict *v, size_t i) {
    const char *reason = NULL;
    CHECK(xmppdna_verdict_attempt_get(v, i, NULL, NULL, &reason) == XMPPDNA_OK && reason != NULL);
    return reason ? reason : "";
}

static xmppdna_verdict *verify_ok(xmppdna_ctx *ctx, const xmppdna_chain *chain, const xmppdna_request *req) {
    xmppdna_verdict *v = (xmppdna_verdict *)1;
    int rc = xmppdna_verify(ctx, chain, req, &v);
    CHECK(rc == XMPPDNA_OK && v != NULL);
    if (rc != XMPPDNA_OK) {
        printf("# xmppdna_verify: %s\n", xmppdna_strerror(rc));
        return NULL;
    }
    check_verdict(v);
    return v;
}

static xmppdna_chain *chain_of(const char *file) {
    size_t len;
    char *pem = slurp(file, &len);
    xmppdna_chain *chain = NULL;
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
    free(pem);
    return chain;
}

/* What xmppdna_verify_pki was: the PKI prooftype alone, nothing looked up. */
static xmppdna_request *pki_request(const char *domain, int direction, const char *name) {
    xmppdna_request *req = NULL;
    CHECK(xmppdna_request_new(domain, XMPPDNA_SERVICE_XMPP_SERVER, direction, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(req, PKI_ONLY, 1) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NO_LOOKUPS) == XMPPDNA_OK);
    if (name) CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, name, strlen(name)) == XMPPDNA_OK);
    return req;
}

static xmppdna_verdict *pki_verdict(xmppdna_ctx *ctx, const char *file, const char *domain, const char *name,
                                    int direction) {
    xmppdna_chain *chain = chain_of(file);
    CHECK(xmppdna_chain_count(chain) >= 1);
    xmppdna_request *req = pki_request(domain, direction, name);
    xmppdna_verdict *v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_attempt_count(v) == 1);
    xmppdna_chain_free(chain);
    xmppdna_request_free(req);
    return v;
}

static xmppdna_ctx *test_ctx(void) {
    xmppdna_ctx *ctx = NULL;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK && ctx != NULL);
    CHECK(xmppdna_ctx_set_ca(ctx, fixture_path("root.pem"), NULL) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    return ctx;
}

/* NUL-terminated text without control characters or bytes that are not UTF-8. */
static int printable(const char *value) {
    if (!value) return 0;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p >= 0xf8) return 0;
    return 1;
}

static int chain_status(const xmppdna_verdict *v) {
    int status = -1;
    CHECK(xmppdna_verdict_chain(v, &status, NULL, NULL, NULL) == XMPPDNA_OK);
    return status;
}

/* ----------------------------------------------------------------- tests */

static void test_version_and_errors(void) {
    CHECK(strcmp(xmppdna_version(), XMPPDNA_VERSION) == 0);
    CHECK(xmppdna_version_number() == XMPPDNA_VERSION_NUMBER);
    CHECK(XMPPDNA_SOVERSION == 2);
    for (int code = XMPPDNA_ENOTFOUND; code <= XMPPDNA_OK; code++) {
        const char *text = xmppdna_strerror(code);
        CHECK(text != NULL && strlen(text) > 0 && strcmp(text, "unknown xmppdna result code") != 0);
    }
    CHECK(strcmp(xmppdna_strerror(12345), "unknown xmppdna result code") == 0);
    CHECK(strcmp(xmppdna_strerror(-1000), "unknown xmppdna result code") == 0);
    xmppdna_free(NULL);
}

static void on_never_verdict(void *userdata, int rc, xmppdna_verdict *verdict) {
    (void)rc;
    ++*(int *)userdata;
    xmppdna_verdict_free(verdict);
}

static void on_never_names(void *userdata, int rc, xmppdna_names *names) {
    (void)rc;
    ++*(int *)userdata;
    xmppdna_names_free(names);
}

struct names_result { int calls, rc, had_names; };

static void on_names_result(void *userdata, int rc, xmppdna_names *names) {
    struct names_result *r = userdata;
    r->calls++;
    r->rc = rc;
    r->had_names = names != NULL;
    xmppdna_names_free(names);
}

/* NULL for every handle and out pointer: XMPPDNA_EMISUSE, 0 or NULL as the
 * header says, and out pointers reset to NULL. */
static void test_null_everywhere(void) {
    char *json;
    int pt[] = {XMPPDNA_PROOF_PKI};
    CHECK(xmppdna_ctx_new(NULL) == XMPPDNA_EMISUSE);
    xmppdna_ctx_free(NULL);
    CHECK(xmppdna_ctx_set_ca(NULL, "x", NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_ca(NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_time(NULL, 0) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_flags(NULL, 0) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_add_server(NULL, "127.0.0.1", 0) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_clear_servers(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_trust_mode(NULL, XMPPDNA_TRUST_AD) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_anchor_file(NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_dns_timeout(NULL, 100, 0, 30000) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_cache_ttl(NULL, 5, 3600) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_flush_cache(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_posh(NULL, NULL, 500) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_limits(NULL, 256, 16, 64, 4) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_cache_limits(NULL, 10000, 1000, 1024) == XMPPDNA_EMISUSE);

    CHECK(xmppdna_chain_new(NULL) == XMPPDNA_EMISUSE);
    xmppdna_chain_free(NULL);
    CHECK(xmppdna_chain_add_der(NULL, "x", 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_add_pem(NULL, "x", 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_count(NULL) == 0);

    xmppdna_request *req = (xmppdna_request *)1;
    CHECK(xmppdna_request_new(NULL, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_EMISUSE &&
          req == NULL);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, NULL) ==
          XMPPDNA_EMISUSE);
    xmppdna_request_free(NULL);
    CHECK(xmppdna_request_set_endpoint(NULL, "host1.example.net", 5269) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_prooftypes(NULL, pt, 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_names(NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_add_tlsa(NULL, NULL, 0, "3 1 1 00", XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_posh(NULL, "{}", 2) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_dialback(NULL, XMPPDNA_DIALBACK_VERIFIED) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_add_ref(NULL, XMPPDNA_ID_DNS, "a.example", 9) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_add_presented(NULL, XMPPDNA_ID_DNS, "a.example", 9) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_flags(NULL, 0) == XMPPDNA_EMISUSE);

    xmppdna_verdict *v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(NULL, NULL, NULL, &v) == XMPPDNA_EMISUSE && v == NULL);
    CHECK(xmppdna_verify(NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    xmppdna_verdict_free(NULL);
    CHECK(xmppdna_verdict_accepted(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_prooftype(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_summary(NULL) == NULL);
    CHECK(xmppdna_verdict_attempt_count(NULL) == 0);
    CHECK(xmppdna_verdict_attempt_get(NULL, 0, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_finding_count(NULL) == 0);
    xmppdna_finding f;
    CHECK(xmppdna_verdict_finding_get(NULL, 0, &f) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_finding_get(NULL, 0, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_chain(NULL, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_match_count(NULL) == 0);
    CHECK(xmppdna_verdict_match_get(NULL, 0, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_presented_count(NULL) == 0);
    CHECK(xmppdna_verdict_presented_get(NULL, 0, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_evidence_count(NULL) == 0);
    CHECK(xmppdna_verdict_evidence_get(NULL, 0, NULL, NULL) == XMPPDNA_EMISUSE);
    json = (char *)1;
    CHECK(xmppdna_verdict_json(NULL, &json) == XMPPDNA_EMISUSE && json == NULL);
    CHECK(xmppdna_verdict_json(NULL, NULL) == XMPPDNA_EMISUSE);

    xmppdna_names *names = (xmppdna_names *)1;
    CHECK(xmppdna_names_lookup(NULL, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EMISUSE &&
          names == NULL);
    CHECK(xmppdna_names_lookup(NULL, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL) == XMPPDNA_EMISUSE);
    names = (xmppdna_names *)1;
    CHECK(xmppdna_names_build(NULL, XMPPDNA_SERVICE_XMPP_SERVER, NULL, 0, &names) == XMPPDNA_EMISUSE && names == NULL);
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL, 3, &names) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL, 0, NULL) == XMPPDNA_EMISUSE);
    xmppdna_names_free(NULL);
    int status = -9;
    CHECK(xmppdna_names_status(NULL, &status, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_status(NULL, NULL, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_count(NULL) == 0);
    CHECK(xmppdna_names_get(NULL, 0, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_candidate_count(NULL) == 0);
    CHECK(xmppdna_names_candidate_get(NULL, 0, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    json = (char *)1;
    CHECK(xmppdna_names_json(NULL, &json) == XMPPDNA_EMISUSE && json == NULL);

    int calls = 0, id = -7;
    CHECK(xmppdna_names_lookup_async(NULL, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_never_names, &calls, &id) ==
          XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify_async(NULL, NULL, NULL, on_never_verdict, &calls, &id) == XMPPDNA_EMISUSE);
    CHECK(id == -7 && calls == 0);
    CHECK(xmppdna_fd(NULL) == XMPPDNA_EMISUSE && xmppdna_process(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_wait(NULL) == XMPPDNA_EMISUSE && xmppdna_cancel(NULL, 1) == XMPPDNA_EMISUSE);
}

/* Domains and reference identifiers: the request's constructor and add_ref. */
static void test_bad_names(void) {
    xmppdna_request *req = (xmppdna_request *)1;
    char longname[400];
    memset(longname, 'a', sizeof longname);
    for (int i = 63; i < 300; i += 64) longname[i] = '.';
    strcpy(longname + 300, ".example");
    CHECK(xmppdna_request_new("", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_EBADNAME &&
          req == NULL);
    CHECK(xmppdna_request_new("\xff\xfe.example", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) ==
          XMPPDNA_EENCODING);
    CHECK(xmppdna_request_new(longname, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_EBADNAME);
    char label64[80];
    memset(label64, 'b', 64);
    strcpy(label64 + 64, ".example");
    CHECK(xmppdna_request_new(label64, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_new("exa mple.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) ==
          XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_new("192.0.2.1", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) ==
          XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_new("example.com", 0, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_new("example.com", 99, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, 7, &req) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, -1, &req) == XMPPDNA_EINVAL);
    CHECK(req == NULL);

    CHECK(xmppdna_request_new("other.example", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) ==
          XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_DNS, "example.com\0.evil", 17) == XMPPDNA_EENCODING);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_DNS, "\xc3\x28", 2) == XMPPDNA_EENCODING);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_DNS, "", 0) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_DNS, longname, strlen(longname)) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_CN, "example.com", 11) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_add_ref(req, 42, "example.com", 11) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_add_ref(req, -1, "example.com", 11) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_SRV, "imaps.foo.com", 13) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_IP, "127.1", 5) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_XMPP, "a@example.com/res", 17) == XMPPDNA_EBADNAME);
    /* Too long is found from the length, before a single byte is read. */
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_DNS, "example.com", (size_t)-1) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, "\xff", 1) == XMPPDNA_EENCODING);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, "", 0) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, NULL, 3) == XMPPDNA_EMISUSE);

    /* Accepted forms, normalised: seen through what they match. value need
     * not be NUL-terminated. */
    const char srv[25] = {'_', 'x', 'm', 'p', 'p', '-', 's', 'e', 'r', 'v', 'e', 'r', '.', 'E', 'x', 'a', 'm', 'p',
                          'l', 'e', '.', 'C', 'O', 'M', '.'};
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_SRV, srv, sizeof srv) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_XMPP, "juliet@example.com", 18) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_URI, "xmpp:example.com", 16) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, "2001:db8::1", 11) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_IP, "192.0.2.1", 9) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, "b\xc3\xbc" "cher.example", 15) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_DNS, "host1.example.net", 17) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(req, PKI_ONLY, 1) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NAMES_ONLY | XMPPDNA_REQUEST_NO_LOOKUPS) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_SRV, "_xmpp-server.example.com", 24) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_DNS, "xn--bcher-kva.example", 21) == XMPPDNA_OK);
    const unsigned char v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_IP, v6, 16) == XMPPDNA_OK);
    xmppdna_ctx *ctx = NULL;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    xmppdna_verdict *v = verify_ok(ctx, NULL, req);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_prooftype(v) == XMPPDNA_PROOF_PKI);
    int found_srv = 0, found_idn = 0, found_ip = 0;
    for (size_t i = 0; i < xmppdna_verdict_match_count(v); i++) {
        int rt = -1, pt = -1;
        const char *rv = NULL, *pv = NULL;
        CHECK(xmppdna_verdict_match_get(v, i, &rt, &rv, &pt, &pv) == XMPPDNA_OK && rv && pv);
        if (!rv || !pv) continue;
        if (rt == XMPPDNA_ID_SRV && strcmp(rv, "_xmpp-server.example.com") == 0 && pt == XMPPDNA_ID_SRV) found_srv = 1;
        if (rt == XMPPDNA_ID_DNS && strcmp(rv, "xn--bcher-kva.example") == 0) found_idn = 1;
        if (rt == XMPPDNA_ID_IP && strcmp(rv, "2001:db8::1") == 0 && pt == XMPPDNA_ID_IP) found_ip = 1;
    }
    CHECK(found_srv && found_idn && found_ip);
    char *json = NULL;
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK);
    CHECK(json && strstr(json, "\"juliet@example.com\"") && strstr(json, "\"host1.example.net\""));
    CHECK(json && strstr(json, "\"192.0.2.1\"") && !strstr(json, ".evil"));
    xmppdna_free(json);
    xmppdna_verdict_free(v);
    xmppdna_request_free(req);
    xmppdna_ctx_free(ctx);
}

static void test_bad_certificates(void) {
    xmppdna_chain *chain = NULL;
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK);
    const unsigned char garbage[] = {0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef};
    CHECK(xmppdna_chain_add_der(chain, garbage, sizeof garbage) == XMPPDNA_EBADCERT);
    CHECK(xmppdna_chain_add_der(chain, garbage, 0) == XMPPDNA_EBADCERT);
    CHECK(xmppdna_chain_add_der(chain, NULL, 5) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_add_pem(chain, "", 0) == XMPPDNA_EBADCERT);
    CHECK(xmppdna_chain_add_pem(chain, "hello", 5) == XMPPDNA_EBADCERT);

    size_t len;
    char *pem = slurp("full-chain.pem", &len);
    CHECK(xmppdna_chain_add_pem(chain, pem, len / 3) == XMPPDNA_EBADCERT); /* truncated */
    CHECK(xmppdna_chain_count(chain) == 0);
    char *der = slurp("full.der", &len);
    CHECK(xmppdna_chain_add_der(chain, der, len - 1) == XMPPDNA_EBADCERT); /* truncated */
    char *padded = malloc(len + 1);
    memcpy(padded, der, len);
    padded[len] = 0;
    CHECK(xmppdna_chain_add_der(chain, padded, len + 1) == XMPPDNA_EBADCERT); /* trailing byte */
    CHECK(xmppdna_chain_count(chain) == 0);

    /* An empty chain proves nothing, whatever the call makes of it. */
    xmppdna_ctx *ctx = test_ctx();
    xmppdna_request *req = pki_request("example.com", XMPPDNA_DIR_OUTBOUND, NULL);
    xmppdna_verdict *v = (xmppdna_verdict *)1;
    int rc = xmppdna_verify(ctx, chain, req, &v);
    CHECK(rc == XMPPDNA_OK ? xmppdna_verdict_accepted(v) == 0 : v == NULL);
    if (rc == XMPPDNA_OK) check_verdict(v);
    xmppdna_verdict_free(v);

    /* The bytes are copied: the caller's buffer may change at once. */
    CHECK(xmppdna_chain_add_der(chain, padded, len) == XMPPDNA_OK);
    memset(padded, 0, len);
    CHECK(xmppdna_chain_count(chain) == 1);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_presented_count(v) >= 6);
    xmppdna_verdict_free(v);

    /* Shaped like a certificate, but its serial is not an INTEGER: taken,
     * decoded when the verdict reads it, and then nothing is proven. */
    xmppdna_chain *undecodable = NULL;
    CHECK(xmppdna_chain_new(&undecodable) == XMPPDNA_OK);
    memcpy(padded, der, len);
    CHECK(padded[13] == 0x02);
    padded[13] = 0x04;
    CHECK(xmppdna_chain_add_der(undecodable, padded, len) == XMPPDNA_OK);
    CHECK(xmppdna_verify(ctx, undecodable, req, &v) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    CHECK(strstr(xmppdna_verdict_summary(v), "does not decode") != NULL);
    check_verdict(v);
    xmppdna_verdict_free(v);
    xmppdna_chain_free(undecodable);

    xmppdna_request_free(req);
    xmppdna_ctx_free(ctx);
    free(padded);
    free(der);
    free(pem);
    xmppdna_chain_free(chain);
}

static void test_context(void) {
    xmppdna_ctx *ctx = NULL;
    xmppdna_verdict *v;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK && ctx != NULL);
    CHECK(xmppdna_ctx_set_time(ctx, XMPPDNA_TIME_NOW) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);

    /* Flags: unknown bits (0x2 was XMPPDNA_FLAG_NO_PKIX) are refused and
     * change nothing. */
    CHECK(xmppdna_ctx_set_flags(ctx, 0x80) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_flags(ctx, 0x2) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_flags(ctx, XMPPDNA_FLAG_CN_FALLBACK) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_flags(ctx, ~0u) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_ca(ctx, fixture_path("root.pem"), NULL) == XMPPDNA_OK);
    v = pki_verdict(ctx, "cn-only-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1); /* CN fallback still on */
    xmppdna_verdict_free(v);
    CHECK(xmppdna_ctx_set_flags(ctx, 0) == XMPPDNA_OK);
    v = pki_verdict(ctx, "cn-only-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    CHECK(find(v, XMPPDNA_FINDING_PKI_NAME_ONLY_IN_CN, NULL));
    CHECK(find(v, XMPPDNA_FINDING_PKI_NO_NAME_MATCHES, NULL));
    xmppdna_verdict_free(v);

    /* Trust anchors: a file, a hashed directory, both, the system store. */
    CHECK(xmppdna_ctx_set_ca(ctx, "/nonexistent/ca.pem", NULL) == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_ca(ctx, "\xff", NULL) == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_set_ca(ctx, NULL, "/nonexistent") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_ca(ctx, fixture_path("full.key"), NULL) == XMPPDNA_ETRUST); /* no certificate in it */
    CHECK(xmppdna_ctx_set_ca(ctx, fixture_path("root.pem"), "/nonexistent") == XMPPDNA_ETRUST);
    /* root.pem is still the store: every refusal above left it. */
    v = pki_verdict(ctx, "full-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1 && chain_status(v) == XMPPDNA_CHAIN_VALID);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_ctx_set_ca(ctx, fixture_path("other-root.pem"), NULL) == XMPPDNA_OK);
    v = pki_verdict(ctx, "full-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 0 && chain_status(v) == XMPPDNA_CHAIN_INVALID);
    xmppdna_verdict_free(v);
    v = pki_verdict(ctx, "wrong-ca-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1); /* wrong-ca is issued under other-root */
    xmppdna_verdict_free(v);
    char dir[4096]; /* the paths are copied: the caller's buffer may change */
    snprintf(dir, sizeof dir, "%s", fixture_path("cadir"));
    CHECK(xmppdna_ctx_set_ca(ctx, NULL, dir) == XMPPDNA_OK);
    memset(dir, 'x', 16);
    v = pki_verdict(ctx, "full-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1 && chain_status(v) == XMPPDNA_CHAIN_VALID);
    xmppdna_verdict_free(v);
    v = pki_verdict(ctx, "wrong-ca-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 0); /* the directory replaced other-root */
    xmppdna_verdict_free(v);
    char both[4096];
    snprintf(both, sizeof both, "%s", fixture_path("other-root.pem"));
    CHECK(xmppdna_ctx_set_ca(ctx, both, fixture_path("cadir")) == XMPPDNA_OK);
    v = pki_verdict(ctx, "full-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);
    v = pki_verdict(ctx, "wrong-ca-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);
    /* Back to the system store, which does not hold the test root. */
    CHECK(xmppdna_ctx_set_ca(ctx, NULL, NULL) == XMPPDNA_OK);
    v = pki_verdict(ctx, "full-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 0 && chain_status(v) == XMPPDNA_CHAIN_INVALID);
    xmppdna_verdict_free(v);

    /* A handle of the wrong kind is refused, not trusted. */
    CHECK(xmppdna_chain_count((xmppdna_chain *)ctx) == 0);
    CHECK(xmppdna_verdict_accepted((const xmppdna_verdict *)ctx) == XMPPDNA_EMISUSE);
    xmppdna_ctx_free(ctx);
}

/* The PKI prooftype alone: what xmppdna_verify_pki and xmppdna_match were. */
static void test_pki_verdicts(void) {
    xmppdna_ctx *ctx = test_ctx();
    xmppdna_verdict *v = pki_verdict(ctx, "full-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_prooftype(v) == XMPPDNA_PROOF_PKI);
    int status = -1, code = -1, depth = -1;
    const char *text = "x";
    CHECK(xmppdna_verdict_chain(v, &status, &code, &depth, &text) == XMPPDNA_OK);
    CHECK(status == XMPPDNA_CHAIN_VALID && code == 0 && depth == 0 && text == NULL);
    CHECK(xmppdna_verdict_match_count(v) >= 1);
    int rt = 0, pt = 0;
    const char *rv = NULL, *pv = NULL;
    CHECK(xmppdna_verdict_match_get(v, 0, &rt, &rv, &pt, &pv) == XMPPDNA_OK);
    CHECK(rt == XMPPDNA_ID_DNS && rv && strcmp(rv, "example.com") == 0 && pt == XMPPDNA_ID_DNS);
    CHECK(xmppdna_verdict_match_get(v, 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_match_get(v, 100, &rt, &rv, &pt, &pv) == XMPPDNA_ERANGE);
    CHECK(xmppdna_verdict_presented_count(v) >= 6);
    int type, usable;
    const char *value, *problem;
    for (size_t i = 0; i < xmppdna_verdict_presented_count(v); i++) {
        CHECK(xmppdna_verdict_presented_get(v, i, &type, &value, &usable, &problem) == XMPPDNA_OK);
        CHECK(value != NULL && (usable == 1) == (problem == NULL));
        CHECK(type >= XMPPDNA_ID_DNS && type <= XMPPDNA_ID_CN);
    }
    CHECK(xmppdna_verdict_presented_get(v, 1000, &type, &value, &usable, &problem) == XMPPDNA_ERANGE);
    CHECK(xmppdna_verdict_attempt_count(v) == 1);
    int prooftype = 0, outcome = -1;
    const char *reason = NULL;
    CHECK(xmppdna_verdict_attempt_get(v, 0, &prooftype, &outcome, &reason) == XMPPDNA_OK);
    CHECK(prooftype == XMPPDNA_PROOF_PKI && outcome == XMPPDNA_ATTEMPT_ACCEPTED);
    xmppdna_finding f;
    CHECK(xmppdna_verdict_finding_get(v, 0, &f) == XMPPDNA_OK);
    CHECK(f.code == XMPPDNA_FINDING_PKI_NAME_MATCHED && f.prooftype == XMPPDNA_PROOF_PKI);
    CHECK(f.outcome == XMPPDNA_ATTEMPT_ACCEPTED && f.dnssec == XMPPDNA_DNSSEC_NONE);
    CHECK(f.expected && strstr(f.expected, "example.com") && f.seen && strstr(f.seen, "example.com"));
    CHECK(f.openssl_code == 0 && f.extended_error == 0 && f.subject == NULL);
    CHECK(strstr(xmppdna_verdict_summary(v), "pki") != NULL);
    char *json = NULL;
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK && json != NULL);
    CHECK(json && strncmp(json, "{\"schema_version\":1,\"accepted\":true", 35) == 0);
    CHECK(json && strstr(json, "\"code\":\"pki_name_matched\"") != NULL);
    xmppdna_free(json);
    xmppdna_verdict_free(v);

    /* The hosting provider's certificate, without and with the delegated name. */
    v = pki_verdict(ctx, "host1-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 0 && xmppdna_verdict_prooftype(v) == 0);
    CHECK(attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_REJECTED);
    CHECK(strstr(attempt_reason(v, 0), "host1.example.net") != NULL);
    CHECK(find(v, XMPPDNA_FINDING_PKI_NO_NAME_MATCHES, &f));
    CHECK(f.seen && strstr(f.seen, "host1.example.net") && f.expected && strstr(f.expected, "example.com"));
    CHECK(xmppdna_verdict_match_count(v) == 0);
    CHECK(strncmp(xmppdna_verdict_summary(v), "rejected", 8) == 0);
    xmppdna_verdict_free(v);
    v = pki_verdict(ctx, "host1-chain.pem", "example.com", "host1.example.net", XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);

    /* A failed chain: OpenSSL's code, depth and text in the verdict and the finding. */
    v = pki_verdict(ctx, "expired-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    text = NULL;
    CHECK(xmppdna_verdict_chain(v, &status, &code, &depth, &text) == XMPPDNA_OK);
    CHECK(status == XMPPDNA_CHAIN_INVALID && code == 10 && depth == 0 && text && strstr(text, "expired"));
    CHECK(find(v, XMPPDNA_FINDING_PKI_CHAIN_INVALID, &f));
    CHECK(f.openssl_code == 10 && f.depth == 0 && f.seen && strstr(f.seen, "expired"));
    CHECK(xmppdna_verdict_chain(v, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    xmppdna_verdict_free(v);

    /* Key purpose: a clientAuth-only certificate inbound, not outbound. */
    v = pki_verdict(ctx, "client-eku-chain.pem", "example.com", NULL, XMPPDNA_DIR_INBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);
    v = pki_verdict(ctx, "client-eku-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    CHECK(xmppdna_verdict_accepted(v) == 0 && chain_status(v) == XMPPDNA_CHAIN_INVALID);
    xmppdna_verdict_free(v);

    /* Names only, chain not verified: the expired certificate passes by name. */
    xmppdna_chain *chain = chain_of("expired-chain.pem");
    xmppdna_request *req = pki_request("example.com", XMPPDNA_DIR_OUTBOUND, NULL);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NAMES_ONLY | XMPPDNA_REQUEST_NO_LOOKUPS) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 1 && chain_status(v) == XMPPDNA_CHAIN_NOT_CHECKED);
    CHECK(find(v, XMPPDNA_FINDING_PKI_CHAIN_NOT_CHECKED, &f) && f.outcome == XMPPDNA_ATTEMPT_ACCEPTED);
    CHECK(!find(v, XMPPDNA_FINDING_PKI_CHAIN_INVALID, NULL));
    xmppdna_verdict_free(v);
    /* NAMES_ONLY with anything but {PKI} is refused by the verification. */
    const int dane_pki[] = {XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI};
    CHECK(xmppdna_request_set_prooftypes(req, dane_pki, 2) == XMPPDNA_OK);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(ctx, chain, req, &v) == XMPPDNA_EINVAL && v == NULL);
    CHECK(xmppdna_request_set_prooftypes(req, DIALBACK_ONLY, 1) == XMPPDNA_OK);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(ctx, NULL, req, &v) == XMPPDNA_EINVAL && v == NULL);
    xmppdna_request_free(req);
    xmppdna_chain_free(chain);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NAMES_ONLY) == XMPPDNA_OK); /* default prooftypes */
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(ctx, NULL, req, &v) == XMPPDNA_EINVAL && v == NULL);
    xmppdna_request_free(req);

    /* The sans-I/O path (what xmppdna_match was): identifiers the caller
     * extracted, hostile bytes included, no chain. */
    req = pki_request("example.com", XMPPDNA_DIR_OUTBOUND, NULL);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NAMES_ONLY | XMPPDNA_REQUEST_NO_LOOKUPS) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_DNS, "example.com\0.evil.test", 22) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_DNS, "\xff\xfe", 2) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_IP, "\x01\x02\x03", 3) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_DNS, "", 0) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_NAME, "x", 1) == XMPPDNA_EINVAL); /* a reference type only */
    CHECK(xmppdna_request_add_presented(req, 42, "x", 1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_DNS, NULL, 0) == XMPPDNA_EMISUSE);
    int huge = xmppdna_request_add_presented(req, XMPPDNA_ID_DNS, "x", (size_t)-1); /* refused from the length */
    CHECK(huge == XMPPDNA_EBADNAME || huge == XMPPDNA_EINVAL);
    v = verify_ok(ctx, NULL, req);
    CHECK(xmppdna_verdict_accepted(v) == 0); /* nothing usable yet */
    CHECK(xmppdna_verdict_presented_count(v) == 4);
    for (size_t i = 0; i < 4; i++) {
        CHECK(xmppdna_verdict_presented_get(v, i, &type, &value, &usable, &problem) == XMPPDNA_OK);
        CHECK(usable == 0 && problem != NULL && value != NULL);
        CHECK(printable(value));
    }
    CHECK(find(v, XMPPDNA_FINDING_PKI_IDENTIFIER_IGNORED, &f) && f.seen != NULL && f.detail != NULL);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_SRV, "_xmpp-server.example.com", 24) == XMPPDNA_OK);
    v = verify_ok(ctx, NULL, req);
    CHECK(xmppdna_verdict_accepted(v) == 1 && chain_status(v) == XMPPDNA_CHAIN_NOT_CHECKED);
    CHECK(xmppdna_verdict_presented_count(v) == 5);
    CHECK(xmppdna_verdict_presented_get(v, 4, &type, &value, &usable, &problem) == XMPPDNA_OK);
    CHECK(type == XMPPDNA_ID_SRV && usable == 1 && problem == NULL);
    CHECK(find(v, XMPPDNA_FINDING_PKI_CHAIN_NOT_CHECKED, NULL));
    xmppdna_verdict_free(v);
    /* Without NAMES_ONLY a request's identifiers prove nothing: there is no chain. */
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NO_LOOKUPS) == XMPPDNA_OK);
    v = verify_ok(ctx, NULL, req);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    xmppdna_verdict_free(v);
    /* A handle of the wrong kind where the chain belongs. */
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(ctx, (const xmppdna_chain *)req, req, &v) == XMPPDNA_EMISUSE && v == NULL);
    xmppdna_request_free(req);

    /* A verdict needs neither its request, nor its chain, nor its context. */
    v = pki_verdict(ctx, "full-chain.pem", "example.com", NULL, XMPPDNA_DIR_INBOUND);
    xmppdna_ctx_free(ctx);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_presented_count(v) >= 6);
    check_verdict(v);
    xmppdna_verdict_free(v);
}

static xmppdna_names *names_for(const char *domain, int status) {
    char owner[300], xmpps[300];
    snprintf(owner, sizeof owner, "_xmpp-server._tcp.%s", domain);
    snprintf(xmpps, sizeof xmpps, "_xmpps-server._tcp.%s", domain);
    xmppdna_record records[] = {
        {owner, XMPPDNA_RR_SRV, status, "5 0 5269 host1.example.net."},
        {xmpps, XMPPDNA_RR_SRV, status, NULL},
        {"host1.example.net", XMPPDNA_RR_A, XMPPDNA_DNSSEC_SECURE, "192.0.2.1"},
        {"host1.example.net", XMPPDNA_RR_AAAA, XMPPDNA_DNSSEC_SECURE, NULL},
    };
    xmppdna_names *names = NULL;
    CHECK(xmppdna_names_build(domain, XMPPDNA_SERVICE_XMPP_SERVER, records, 4, &names) == XMPPDNA_OK);
    int listed = -1;
    CHECK(xmppdna_names_status(names, &listed, NULL, NULL, NULL, NULL) == XMPPDNA_OK && listed == status);
    return names;
}

/* The sans-I/O delegation path: records a server resolved itself. */
static void test_names_from_records(void) {
    xmppdna_record records[] = {
        {"_xmpp-server._tcp.example.com", XMPPDNA_RR_SRV, XMPPDNA_DNSSEC_SECURE, "5 0 5269 host1.example.net."},
        {"_xmpps-server._tcp.example.com", XMPPDNA_RR_SRV, XMPPDNA_DNSSEC_SECURE, NULL},
        {"host1.example.net", XMPPDNA_RR_A, XMPPDNA_DNSSEC_SECURE, "192.0.2.1"},
        {"host1.example.net", XMPPDNA_RR_AAAA, XMPPDNA_DNSSEC_INSECURE, "2001:db8::1"},
    };
    xmppdna_names *names = NULL;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, records, 4, &names) == XMPPDNA_OK);
    int status = -9, kind = -9, trust = -9, ede = -9;
    const char *reason = "x";
    CHECK(xmppdna_names_status(names, &status, &kind, &trust, &ede, &reason) == XMPPDNA_OK);
    CHECK(status == XMPPDNA_DNSSEC_SECURE && kind == XMPPDNA_NAMES_SRV && trust == XMPPDNA_TRUST_CALLER);
    CHECK(ede == 0 && reason == NULL);
    CHECK(xmppdna_names_status(names, NULL, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_names_count(names) == 3); /* domain, host1, 192.0.2.1; the insecure AAAA adds nothing */
    int type = 0, port = 0, tls = -1;
    const char *value = NULL, *source = NULL, *host = NULL;
    CHECK(xmppdna_names_get(names, 0, &type, &value, &status, &source) == XMPPDNA_OK);
    CHECK(type == XMPPDNA_ID_DNS && value && strcmp(value, "example.com") == 0);
    CHECK(status == XMPPDNA_DNSSEC_NONE); /* the domain itself: no DNS involved */
    CHECK(xmppdna_names_get(names, 1, &type, &value, &status, &source) == XMPPDNA_OK);
    CHECK(value && strcmp(value, "host1.example.net") == 0 && status == XMPPDNA_DNSSEC_SECURE);
    CHECK(source && strstr(source, "SRV") != NULL);
    CHECK(xmppdna_names_get(names, 2, &type, &value, NULL, NULL) == XMPPDNA_OK && type == XMPPDNA_ID_IP);
    CHECK(value && strcmp(value, "192.0.2.1") == 0);
    CHECK(xmppdna_names_get(names, 3, &type, &value, &status, &source) == XMPPDNA_ERANGE);
    CHECK(xmppdna_names_candidate_count(names) == 1);
    CHECK(xmppdna_names_candidate_get(names, 0, &host, &port, &tls, &status) == XMPPDNA_OK);
    CHECK(host && strcmp(host, "host1.example.net") == 0 && port == 5269 && tls == 0);
    CHECK(status == XMPPDNA_DNSSEC_INSECURE);
    CHECK(xmppdna_names_candidate_get(names, 1, &host, &port, &tls, &status) == XMPPDNA_ERANGE);
    char *json = NULL;
    CHECK(xmppdna_names_json(names, &json) == XMPPDNA_OK && json != NULL);
    CHECK(json && strncmp(json, "{\"schema_version\":1,", 20) == 0 && strstr(json, "\"acceptable_names\"") != NULL);
    xmppdna_free(json);
    xmppdna_names_free(names);

    /* Bogus anywhere: only the domain, with the reason. */
    records[2].status = XMPPDNA_DNSSEC_BOGUS;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, records, 4, &names) == XMPPDNA_OK);
    reason = NULL;
    CHECK(xmppdna_names_status(names, &status, NULL, &trust, &ede, &reason) == XMPPDNA_OK);
    CHECK(status == XMPPDNA_DNSSEC_BOGUS && trust == XMPPDNA_TRUST_CALLER && ede == 6 && reason != NULL);
    CHECK(xmppdna_names_count(names) == 1 && xmppdna_names_candidate_count(names) == 0);
    xmppdna_names_free(names);

    /* Bad input. */
    xmppdna_record bad[] = {{"_xmpp-server._tcp.example.com", XMPPDNA_RR_SRV, XMPPDNA_DNSSEC_SECURE, "5 0 host1."}};
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EBADNAME &&
          names == NULL);
    bad[0].type = 99;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EINVAL);
    bad[0].type = XMPPDNA_RR_SRV;
    bad[0].status = 9;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EINVAL);
    bad[0].status = XMPPDNA_DNSSEC_NONE; /* not a DNSSEC outcome: refused for a record */
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EINVAL);
    bad[0].status = -1;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EINVAL);
    bad[0].status = XMPPDNA_DNSSEC_SECURE;
    bad[0].owner = NULL;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EMISUSE);
    bad[0].owner = "\xff";
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EENCODING);
    CHECK(xmppdna_names_build("192.0.2.1", XMPPDNA_SERVICE_XMPP_SERVER, records, 4, &names) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_names_build("example.com", 0, records, 4, &names) == XMPPDNA_EINVAL);
    CHECK(names == NULL);
    /* Nothing supplied: indeterminate, never secure. */
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, records, 0, &names) == XMPPDNA_OK);
    CHECK(xmppdna_names_status(names, &status, NULL, &trust, NULL, NULL) == XMPPDNA_OK);
    CHECK(status == XMPPDNA_DNSSEC_INDETERMINATE && trust == XMPPDNA_TRUST_CALLER);
    xmppdna_names_free(names);
}

static void test_dns_settings(void) {
    xmppdna_ctx *ctx = NULL;
    xmppdna_names *names = (xmppdna_names *)1;
    int status = -9, trust = -9;
    const char *reason = NULL;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_ENOSERVER &&
          names == NULL);
    CHECK(xmppdna_ctx_add_server(ctx, "not an address", 0) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@0", 0) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@70000", 0) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, "\xff", 0) == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_add_server(ctx, NULL, 0) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1", 0x2) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1", ~0u) == XMPPDNA_EINVAL);
    /* None of the refusals added a server. */
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_ENOSERVER);
    CHECK(xmppdna_ctx_add_server(ctx, "[::1]@53", 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@1", XMPPDNA_SERVER_TRUST_AD) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_clear_servers(ctx) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_ENOSERVER);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, 7) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, XMPPDNA_TRUST_CALLER) == XMPPDNA_EINVAL); /* never set */
    /* TRUST_AD believes no server off loopback, unless added as trusted. */
    CHECK(xmppdna_ctx_add_server(ctx, "192.0.2.54", 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, XMPPDNA_TRUST_AD) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EUNTRUSTED &&
          names == NULL);
    /* Async: refused at submit, or through the callback with the same code
     * and no list (the header allows either for a lookup's own refusals). */
    struct names_result refused = {0, 0, 0};
    int calls = 0, id = -7;
    int rc = xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_names_result, &refused, &id);
    if (rc == XMPPDNA_OK) {
        CHECK(xmppdna_wait(ctx) == 1);
        CHECK(refused.calls == 1 && refused.rc == XMPPDNA_EUNTRUSTED && refused.had_names == 0);
    } else {
        CHECK(rc == XMPPDNA_EUNTRUSTED && id == -7 && refused.calls == 0);
    }
    CHECK(xmppdna_ctx_clear_servers(ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_add_server(ctx, "192.0.2.53", XMPPDNA_SERVER_TRUST_AD) == XMPPDNA_OK);
    /* Accepted now; cancelled at once (the address is TEST-NET-1: nothing may answer). */
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_never_names, &calls, &id) ==
          XMPPDNA_OK && id > 0);
    CHECK(xmppdna_cancel(ctx, id) == XMPPDNA_OK);
    CHECK(xmppdna_wait(ctx) == 0 && calls == 0);
    CHECK(xmppdna_ctx_clear_servers(ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, XMPPDNA_TRUST_VALIDATE) == XMPPDNA_OK);

    /* Timeouts: per query 1..60000 ms, retries 0..10, lookup deadline 100..600000 ms. */
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 0, 0, 30000) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 60001, 0, 30000) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, 11, 30000) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, -1, 30000) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, 0, 99) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, 0, 600001) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, 0, -1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 1, 0, 100) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 60000, 10, 600000) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 200, 0, 30000) == XMPPDNA_OK);

    /* Limits: DNS 1..65536 and 1..dns; POSH 1..4096 and 1..posh. */
    CHECK(xmppdna_ctx_set_limits(ctx, 0, 1, 64, 4) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, 65537, 16, 64, 4) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, 256, 0, 64, 4) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, 256, 257, 64, 4) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, 256, 16, 0, 1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, 256, 16, 4097, 4) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, 256, 16, 64, 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, 256, 16, 64, 65) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, -1, -1, -1, -1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_limits(ctx, 65536, 65536, 4096, 4096) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_limits(ctx, 256, 16, 64, 4) == XMPPDNA_OK);

    /* Cache bounds: DNS 1..1000000, POSH 1..100000, verified chains 1..1000000; certificates per process. */
    CHECK(xmppdna_ctx_set_cache_limits(ctx, 0, 1000, 1024) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_cache_limits(ctx, 10000, 100001, 1024) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_cache_limits(ctx, 10000, 1000, -1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_cache_limits(ctx, 1000000, 100000, 1000000) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_cache_limits(ctx, 10000, 1000, 1024) == XMPPDNA_OK);
    CHECK(xmppdna_set_certificate_cache_limit(0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_set_certificate_cache_limit(1000001) == XMPPDNA_EINVAL);
    CHECK(xmppdna_set_certificate_cache_limit(2048) == XMPPDNA_OK);

    CHECK(xmppdna_ctx_set_anchor_file(ctx, "/nonexistent/anchor") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_anchor_file(ctx, fixture_path("root.pem")) == XMPPDNA_ETRUST); /* not DS/DNSKEY */
    CHECK(xmppdna_ctx_set_anchor_file(ctx, NULL) == XMPPDNA_OK);

    /* Nothing listens on port 1: a bounded wait, then indeterminate, never secure. */
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@1", 0) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, "exa mple.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_OK);
    reason = NULL;
    CHECK(xmppdna_names_status(names, &status, NULL, &trust, NULL, &reason) == XMPPDNA_OK);
    CHECK(status == XMPPDNA_DNSSEC_INDETERMINATE && trust == XMPPDNA_TRUST_VALIDATE && reason != NULL);
    CHECK(xmppdna_names_count(names) == 1);
    xmppdna_names_free(names);

    /* A server that never answers: the lookup deadline ends the lookup long
     * before a 60 s query would time out. */
    char server[64];
    int silent = silent_server(server, sizeof server);
    CHECK(xmppdna_ctx_clear_servers(ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_add_server(ctx, server, 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 60000, 0, 300) == XMPPDNA_OK);
    double t0 = now_s();
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_OK);
    double took = now_s() - t0;
    CHECK(took < 15.0);
    if (took >= 15.0) printf("# lookup against a silent server took %.1f s with a 300 ms deadline\n", took);
    CHECK(xmppdna_names_status(names, &status, NULL, NULL, NULL, &reason) == XMPPDNA_OK);
    CHECK(status == XMPPDNA_DNSSEC_INDETERMINATE && reason != NULL);
    xmppdna_names_free(names);

    /* One query in flight per context: the rest wait their turn, and all end. */
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 2000, 0, 300) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_limits(ctx, 1, 1, 1, 1) == XMPPDNA_OK);
    calls = 0;
    const char *domains[] = {"a.example", "b.example", "c.example.org"};
    for (int i = 0; i < 3; i++)
        CHECK(xmppdna_names_lookup_async(ctx, domains[i], XMPPDNA_SERVICE_XMPP_SERVER, on_never_names, &calls, NULL) ==
              XMPPDNA_OK);
    CHECK(xmppdna_wait(ctx) == 3 && calls == 3);
    close(silent);
    xmppdna_ctx_free(ctx);
}

/* NULL in one pointer argument at a time, every other argument valid, so a
 * check that only catches "everything NULL" cannot pass; and handles of the
 * wrong kind. */
static void test_each_null_alone(void) {
    xmppdna_ctx *ctx = test_ctx();
    xmppdna_chain *chain = chain_of("full-chain.pem");
    xmppdna_request *req = pki_request("example.com", XMPPDNA_DIR_OUTBOUND, NULL);
    xmppdna_verdict *v = NULL;
    xmppdna_names *names = NULL;

    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_DNS, NULL, 3) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_add_presented(req, XMPPDNA_ID_DNS, NULL, 3) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_endpoint(req, NULL, 5269) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_prooftypes(req, NULL, 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_names(req, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_add_tlsa(req, NULL, 0, NULL, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_posh(req, NULL, 3) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_add_pem(chain, NULL, 5) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_add_der(chain, NULL, 5) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_add_server(ctx, NULL, XMPPDNA_SERVER_TRUST_AD) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_count(chain) == 2); /* nothing added */

    xmppdna_ctx *ctxs[] = {NULL, ctx};
    const xmppdna_request *reqs[] = {NULL, req};
    const xmppdna_chain *chains[] = {NULL, chain};
    for (int mask = 0; mask < 8; mask++) { /* ctx and req NULL in turn, the chain either way */
        if ((mask & 1) && (mask & 2)) continue;
        v = (xmppdna_verdict *)1;
        CHECK(xmppdna_verify(ctxs[mask & 1], chains[(mask >> 2) & 1], reqs[(mask >> 1) & 1], &v) == XMPPDNA_EMISUSE &&
              v == NULL);
    }
    CHECK(xmppdna_verify(ctx, chain, req, NULL) == XMPPDNA_EMISUSE);

    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    CHECK(xmppdna_verdict_json(v, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_chain(v, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_attempt_get(v, 0, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_presented_get(v, 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_match_get(v, 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_finding_get(v, 0, NULL) == XMPPDNA_EMISUSE);
    /* A handle of one kind where another belongs is refused, never reinterpreted. */
    xmppdna_finding f;
    CHECK(xmppdna_verdict_accepted((const xmppdna_verdict *)req) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_finding_count((const xmppdna_verdict *)chain) == 0);
    CHECK(xmppdna_verdict_finding_get((const xmppdna_verdict *)chain, 0, &f) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_summary((const xmppdna_verdict *)req) == NULL);
    CHECK(xmppdna_chain_count((const xmppdna_chain *)v) == 0);
    CHECK(xmppdna_request_set_flags((xmppdna_request *)v, 0) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_names(req, (const xmppdna_names *)chain) == XMPPDNA_EMISUSE);
    xmppdna_verdict *other = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(ctx, chain, (const xmppdna_request *)chain, &other) == XMPPDNA_EMISUSE && other == NULL);
    other = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify((xmppdna_ctx *)req, chain, req, &other) == XMPPDNA_EMISUSE && other == NULL);

    names = (xmppdna_names *)1;
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@1", 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, 0, 30000) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, NULL, XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EMISUSE && names == NULL);
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_lookup(ctx, "example.com", 0, &names) == XMPPDNA_EINVAL && names == NULL);
    CHECK(xmppdna_names_lookup(ctx, "example.com", 5, &names) == XMPPDNA_EINVAL && names == NULL);
    CHECK(xmppdna_names_lookup(ctx, "", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EBADNAME && names == NULL);
    CHECK(xmppdna_names_lookup(ctx, "\xff\xfe", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EENCODING &&
          names == NULL);
    names = (xmppdna_names *)1;
    CHECK(xmppdna_names_lookup((xmppdna_ctx *)chain, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) ==
          XMPPDNA_EMISUSE && names == NULL);
    xmppdna_record srv = {"_xmpp-server._tcp.example.com", XMPPDNA_RR_SRV, XMPPDNA_DNSSEC_INSECURE,
                          "5 0 5269 host1.example.net."};
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &srv, 1, &names) == XMPPDNA_OK);
    CHECK(xmppdna_names_json(names, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_get(names, 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_names_status(names, NULL, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_names_candidate_count(names) == 1);
    CHECK(xmppdna_names_candidate_get(names, 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_names_candidate_get(names, 1, NULL, NULL, NULL, NULL) == XMPPDNA_ERANGE);
    CHECK(xmppdna_names_status((const xmppdna_names *)ctx, NULL, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_count((const xmppdna_names *)v) == 0);

    /* Every destructor refuses a handle of another kind: each handle is
     * still whole afterwards (valgrind would see a double free). */
    xmppdna_verdict_free((xmppdna_verdict *)req);
    xmppdna_verdict_free((xmppdna_verdict *)names);
    xmppdna_request_free((xmppdna_request *)v);
    xmppdna_request_free((xmppdna_request *)chain);
    xmppdna_chain_free((xmppdna_chain *)v);
    xmppdna_chain_free((xmppdna_chain *)ctx);
    xmppdna_names_free((xmppdna_names *)v);
    xmppdna_names_free((xmppdna_names *)req);
    xmppdna_ctx_free((xmppdna_ctx *)v);
    xmppdna_ctx_free((xmppdna_ctx *)names);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_presented_count(v) >= 6);
    CHECK(xmppdna_chain_count(chain) == 2 && xmppdna_names_count(names) == 1);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NO_LOOKUPS) == XMPPDNA_OK);
    check_verdict(v);
    xmppdna_verdict_free(v);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);
    xmppdna_names_free(names);

    /* Back to the system store: documented as the NULL behaviour, not a misuse. */
    CHECK(xmppdna_ctx_set_ca(ctx, NULL, NULL) == XMPPDNA_OK);
    xmppdna_chain_free(chain);
    xmppdna_request_free(req);
    xmppdna_ctx_free(ctx);
}

/* xmppdna_names_build's result code; a failure must leave *out NULL, and
 * an unexpected success is freed so it cannot show up as a leak. */
static int build_rc(const char *domain, const xmppdna_record *records, size_t count) {
    xmppdna_names *names = (xmppdna_names *)1;
    int rc = xmppdna_names_build(domain, XMPPDNA_SERVICE_XMPP_SERVER, records, count, &names);
    if (rc != XMPPDNA_OK) CHECK(names == NULL);
    else xmppdna_names_free(names);
    return rc;
}

/* Empty strings and bytes that are not UTF-8 in every string argument of the context. */
static void test_context_strings(void) {
    xmppdna_ctx *ctx = NULL;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca(ctx, "", NULL) == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_ca(ctx, NULL, "") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_ca(ctx, NULL, "\xff\xfe") == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_set_ca(ctx, NULL, fixture_path("root.pem")) == XMPPDNA_ETRUST); /* a file, not a directory */
    CHECK(xmppdna_ctx_set_ca(ctx, fixture_path("cadir"), NULL) == XMPPDNA_ETRUST);   /* a directory, not a file */
    CHECK(xmppdna_ctx_set_anchor_file(ctx, "") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_anchor_file(ctx, "\xff\xfe") == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_add_server(ctx, "", 0) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, "", XMPPDNA_SERVER_TRUST_AD) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, "\xff\xfe", XMPPDNA_SERVER_TRUST_AD) == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_add_server(ctx, "example.com", XMPPDNA_SERVER_TRUST_AD) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, -1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_flags(ctx, ~0u) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 60001, 0, 30000) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, -1, 30000) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 60000, 10, 30000) == XMPPDNA_OK);

    /* The DNS cache bounds. */
    CHECK(xmppdna_ctx_set_cache_ttl(ctx, 10, 5) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_cache_ttl(ctx, 0, 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_cache_ttl(ctx, 5, 3600) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_flush_cache(ctx) == XMPPDNA_OK);

    /* Names at the length limits, through the request and the delegation entry points. */
    char label63[80], label64[80], long254[300];
    memset(label63, 'c', 63);
    strcpy(label63 + 63, ".example");
    memset(label64, 'c', 64);
    strcpy(label64 + 64, ".example");
    memset(long254, 'd', 254); /* 63-octet labels: 63+1+63+1+63+1+62 = 254 > 253 */
    long254[63] = long254[127] = long254[191] = '.';
    long254[254] = 0;
    xmppdna_request *req = NULL;
    CHECK(xmppdna_request_new(label63, XMPPDNA_SERVICE_XMPP_CLIENT, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, label64, strlen(label64)) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, long254, 254) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_set_endpoint(req, long254, 5269) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, long254, 253) == XMPPDNA_OK); /* the longest name there is */
    xmppdna_request_free(req);
    CHECK(xmppdna_request_new(long254, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_EBADNAME);
    CHECK(build_rc(long254, NULL, 0) == XMPPDNA_EBADNAME);
    CHECK(build_rc(label64, NULL, 0) == XMPPDNA_EBADNAME);
    CHECK(build_rc("", NULL, 0) == XMPPDNA_EBADNAME);
    CHECK(build_rc("\xff\xfe", NULL, 0) == XMPPDNA_EENCODING);
    /* Every supplied record must parse, whether or not the list needs it. */
    xmppdna_record recs[] = {
        {"_xmpp-server._tcp.example.com", XMPPDNA_RR_SRV, XMPPDNA_DNSSEC_SECURE, "5 0 5269 host1.example.net."},
        {"host1.example.net", XMPPDNA_RR_A, XMPPDNA_DNSSEC_SECURE, "\xff\xfe"},
    };
    CHECK(build_rc("example.com", recs, 2) == XMPPDNA_EENCODING);
    recs[1].data = "";
    CHECK(build_rc("example.com", recs, 2) == XMPPDNA_EBADNAME);
    recs[1].type = XMPPDNA_RR_CNAME; /* an empty CNAME target is not a name */
    CHECK(build_rc("example.com", recs, 2) == XMPPDNA_EBADNAME);
    recs[1].type = XMPPDNA_RR_A;
    recs[1].data = "192.0.2.1";
    recs[1].owner = label64;
    CHECK(build_rc("example.com", recs, 2) == XMPPDNA_EBADNAME);
    recs[1].owner = "";
    CHECK(build_rc("example.com", recs, 2) == XMPPDNA_EBADNAME);
    recs[1].owner = "other.example.net";
    recs[1].data = "";
    CHECK(build_rc("example.com", recs, 2) == XMPPDNA_EBADNAME);
    xmppdna_ctx_free(ctx);
}

static int evidence_status(const xmppdna_verdict *v, const char *what_prefix) {
    const char *what = NULL;
    int status = -9;
    for (size_t i = 0; i < xmppdna_verdict_evidence_count(v); i++) {
        CHECK(xmppdna_verdict_evidence_get(v, i, &what, &status) == XMPPDNA_OK && what != NULL);
        if (what && strncmp(what, what_prefix, strlen(what_prefix)) == 0) return status;
    }
    return -1;
}

/* The DNA verdict from supplied evidence only (no DNS, no HTTPS). */
static void test_dna(void) {
    xmppdna_ctx *ctx = test_ctx();
    xmppdna_chain *chain = chain_of("host1-chain.pem");
    xmppdna_request *req = NULL;
    char *host1_tlsa = exact_tlsa("host1.der"), *other_tlsa = exact_tlsa("full.der");
    xmppdna_names *secure = names_for("example.com", XMPPDNA_DNSSEC_SECURE);
    xmppdna_names *insecure = names_for("insecure.example", XMPPDNA_DNSSEC_INSECURE);
    xmppdna_finding f;

    /* Virtual host with DNSSEC: DANE on the SRV target decides. The name
     * list is copied: freeing ours right away changes nothing. */
    xmppdna_names *copy = names_for("example.com", XMPPDNA_DNSSEC_SECURE);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_names(req, copy) == XMPPDNA_OK);
    xmppdna_names_free(copy);
    CHECK(xmppdna_request_set_endpoint(req, "host1.example.net", 5269) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_tlsa(req, "host1.example.net", 5269, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_OK);
    xmppdna_verdict *v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_prooftype(v) == XMPPDNA_PROOF_DANE);
    CHECK(xmppdna_verdict_attempt_count(v) == 4);
    int prooftype = 0, outcome = -1, status = -9;
    const char *reason = NULL;
    CHECK(xmppdna_verdict_attempt_get(v, 0, &prooftype, &outcome, &reason) == XMPPDNA_OK);
    CHECK(prooftype == XMPPDNA_PROOF_DANE && outcome == XMPPDNA_ATTEMPT_ACCEPTED && strstr(reason, "DANE-EE") != NULL);
    CHECK(attempt_outcome(v, 1) == XMPPDNA_ATTEMPT_NOT_TRIED);
    CHECK(xmppdna_verdict_attempt_get(v, 4, NULL, NULL, NULL) == XMPPDNA_ERANGE);
    CHECK(strstr(xmppdna_verdict_summary(v), "accepted by dane") == xmppdna_verdict_summary(v));
    CHECK(xmppdna_verdict_finding_get(v, 0, &f) == XMPPDNA_OK);
    CHECK(f.code == XMPPDNA_FINDING_DANE_MATCHED && f.prooftype == XMPPDNA_PROOF_DANE);
    CHECK(f.outcome == XMPPDNA_ATTEMPT_ACCEPTED && f.dnssec == XMPPDNA_DNSSEC_SECURE && f.depth == 0);
    CHECK(f.subject && strcmp(f.subject, "_5269._tcp.host1.example.net") == 0);
    CHECK(f.seen && strncmp(f.seen, "3 0 0 ", 6) == 0 && f.detail && strcmp(f.detail, "DANE-EE") == 0);
    CHECK(strstr(reason, f.text) == reason);
    CHECK(find(v, XMPPDNA_FINDING_ALREADY_ACCEPTED, &f) && f.outcome == XMPPDNA_ATTEMPT_NOT_TRIED);
    CHECK(f.seen && strcmp(f.seen, "dane") == 0);
    /* The PKI part is there too: the secure SRV makes host1 acceptable. PKI
     * was not tried, so its chain was not verified (#20: DANE-EE needs none). */
    CHECK(chain_status(v) == XMPPDNA_CHAIN_NOT_CHECKED && xmppdna_verdict_match_count(v) >= 1);
    CHECK(evidence_status(v, "_5269._tcp.host1.example.net TLSA") == XMPPDNA_DNSSEC_SECURE);
    CHECK(xmppdna_verdict_evidence_get(v, xmppdna_verdict_evidence_count(v), NULL, &status) == XMPPDNA_ERANGE);
    CHECK(xmppdna_verdict_evidence_get(v, 0, NULL, NULL) == XMPPDNA_OK);
    char *json = NULL;
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK && json && strstr(json, "\"prooftype\":\"dane\"") != NULL);
    CHECK(json && strstr(json, "\"code\":\"dane_matched\",\"number\":200") != NULL);
    xmppdna_free(json);
    xmppdna_verdict_free(v);

    /* A secure TLSA that names another certificate rejects, PKI or not. */
    xmppdna_request_free(req);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_names(req, secure) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_tlsa(req, NULL, 0, other_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 0 && xmppdna_verdict_prooftype(v) == 0);
    CHECK(attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_REJECTED && attempt_outcome(v, 1) == XMPPDNA_ATTEMPT_NOT_TRIED);
    CHECK(strncmp(xmppdna_verdict_summary(v), "rejected by DANE", 16) == 0);
    CHECK(find(v, XMPPDNA_FINDING_TLSA_MISMATCH, &f) && f.dnssec == XMPPDNA_DNSSEC_SECURE);
    CHECK(f.outcome == XMPPDNA_ATTEMPT_REJECTED && f.expected && strstr(f.expected, "3 0 0 ") != NULL);
    CHECK(f.subject && strstr(f.subject, "_5269._tcp.") == f.subject);
    CHECK(find(v, XMPPDNA_FINDING_AFTER_DANE_REJECTION, &f) && f.outcome == XMPPDNA_ATTEMPT_NOT_TRIED);
    /* A refused call leaves a caller's zeroed outcome as it was, and zero
     * never reads as accepted. */
    int unset = 0;
    CHECK(xmppdna_verdict_attempt_get(v, 99, NULL, &unset, NULL) == XMPPDNA_ERANGE && unset != XMPPDNA_ATTEMPT_ACCEPTED);
    xmppdna_verdict_free(v);
    /* The same record, bogus: still a rejection. */
    xmppdna_request_free(req);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_tlsa(req, NULL, 0, host1_tlsa, XMPPDNA_DNSSEC_BOGUS) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 0 && strstr(xmppdna_verdict_summary(v), "bogus") != NULL);
    CHECK(find(v, XMPPDNA_FINDING_TLSA_BOGUS, &f) && f.dnssec == XMPPDNA_DNSSEC_BOGUS);
    xmppdna_verdict_free(v);
    /* Unsigned TLSA: DANE does not apply, and alone it accepts nothing. */
    xmppdna_request_free(req);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(req, DANE_ONLY, 1) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_tlsa(req, NULL, 0, host1_tlsa, XMPPDNA_DNSSEC_INSECURE) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 0 && xmppdna_verdict_attempt_count(v) == 1);
    CHECK(attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_NOT_APPLICABLE);
    CHECK(find(v, XMPPDNA_FINDING_TLSA_INSECURE, &f) && f.dnssec == XMPPDNA_DNSSEC_INSECURE);
    xmppdna_verdict_free(v);

    /* Unsigned virtual host: only POSH can prove it; then dialback, weak. */
    xmppdna_request_free(req);
    CHECK(xmppdna_request_new("insecure.example", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_INBOUND, &req) ==
          XMPPDNA_OK);
    CHECK(xmppdna_request_set_names(req, insecure) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    CHECK(find(v, XMPPDNA_FINDING_DELEGATION_NOT_SECURE, &f) && f.dnssec == XMPPDNA_DNSSEC_INSECURE);
    CHECK(find(v, XMPPDNA_FINDING_DIALBACK_NOT_SUPPLIED, NULL));
    xmppdna_verdict_free(v);
    size_t posh_len;
    char *posh = slurp("posh-host1.json", &posh_len);
    CHECK(xmppdna_request_set_posh(req, posh, posh_len) == XMPPDNA_OK);
    memset(posh, ' ', posh_len); /* copied */
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_prooftype(v) == XMPPDNA_PROOF_POSH);
    CHECK(find(v, XMPPDNA_FINDING_POSH_MATCHED, &f) && f.dnssec == XMPPDNA_DNSSEC_NONE);
    CHECK(f.outcome == XMPPDNA_ATTEMPT_ACCEPTED && f.expected != NULL && f.seen != NULL);
    CHECK(evidence_status(v, "POSH") == XMPPDNA_DNSSEC_NONE);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_request_set_posh(req, "{\"fingerprints\":[]}", 19) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(req, POSH_ONLY, 1) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 0 && attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_NOT_APPLICABLE);
    CHECK(strstr(attempt_reason(v, 0), "malformed POSH document") != NULL);
    CHECK(find(v, XMPPDNA_FINDING_POSH_MALFORMED, &f) && f.detail != NULL);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_request_set_prooftypes(req, DIALBACK_ONLY, 1) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_dialback(req, XMPPDNA_DIALBACK_VERIFIED) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_prooftype(v) == XMPPDNA_PROOF_DIALBACK);
    CHECK(find(v, XMPPDNA_FINDING_DIALBACK_WEAK, &f) && f.dnssec == XMPPDNA_DNSSEC_INSECURE);
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK && json && strstr(json, "\"dialback\":\"weak\"") != NULL);
    xmppdna_free(json);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 0 && find(v, XMPPDNA_FINDING_DIALBACK_WEAK_REFUSED, NULL));
    xmppdna_verdict_free(v);
    CHECK(xmppdna_request_set_flags(req, 0) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_dialback(req, XMPPDNA_DIALBACK_FAILED) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 0 && find(v, XMPPDNA_FINDING_DIALBACK_FAILED, NULL));
    xmppdna_verdict_free(v);

    /* No certificate at all (a NULL chain): dialback alone decides, strong
     * over the secure delegation. */
    xmppdna_request *nocert = NULL;
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_INBOUND, &nocert) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_names(nocert, secure) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(nocert, DIALBACK_ONLY, 1) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_dialback(nocert, XMPPDNA_DIALBACK_VERIFIED) == XMPPDNA_OK);
    v = verify_ok(ctx, NULL, nocert);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_prooftype(v) == XMPPDNA_PROOF_DIALBACK);
    CHECK(find(v, XMPPDNA_FINDING_DIALBACK_STRONG, &f) && f.dnssec == XMPPDNA_DNSSEC_SECURE);
    CHECK(xmppdna_verdict_presented_count(v) == 0 && chain_status(v) == XMPPDNA_CHAIN_NOT_CHECKED);
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK && json && strstr(json, "\"dialback\":\"strong\"") != NULL);
    xmppdna_free(json);
    xmppdna_verdict_free(v);
    /* ... but a secure TLSA record with nothing to match it vetoes, dialback or not. */
    const int dane_dialback[] = {XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_DIALBACK};
    CHECK(xmppdna_request_set_prooftypes(nocert, dane_dialback, 2) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_tlsa(nocert, NULL, 0, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_OK);
    v = verify_ok(ctx, NULL, nocert);
    CHECK(xmppdna_verdict_accepted(v) == 0 && attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_REJECTED);
    CHECK(find(v, XMPPDNA_FINDING_NO_CERTIFICATE, &f) && f.prooftype == XMPPDNA_PROOF_DANE);
    xmppdna_verdict_free(v);
    xmppdna_request_free(nocert);

    /* One parsed chain, several domains of one stream. */
    xmppdna_request *other = NULL;
    CHECK(xmppdna_request_new("example.org", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_INBOUND, &other) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(other, XMPPDNA_ID_NAME, "host1.example.net", 17) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(other, PKI_ONLY, 1) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, other);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_prooftype(v) == XMPPDNA_PROOF_PKI);
    xmppdna_verdict_free(v);

    /* POSH fetch against nothing listening: an answer, not an error. */
    CHECK(xmppdna_ctx_set_posh(ctx, "https://127.0.0.1:1", 500) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(other, POSH_ONLY, 1) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, other);
    CHECK(xmppdna_verdict_accepted(v) == 0 && attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_NOT_APPLICABLE);
    CHECK(strstr(attempt_reason(v, 0), "cannot connect to 127.0.0.1 port 1") != NULL);
    CHECK(find(v, XMPPDNA_FINDING_POSH_FETCH_FAILED, &f) && f.detail && strstr(f.detail, "127.0.0.1") != NULL);
    xmppdna_verdict_free(v);
    /* XMPPDNA_REQUEST_NO_LOOKUPS: no fetch at all. */
    CHECK(xmppdna_request_set_flags(other, XMPPDNA_REQUEST_NO_LOOKUPS) == XMPPDNA_OK);
    v = verify_ok(ctx, chain, other);
    CHECK(xmppdna_verdict_accepted(v) == 0 && attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_NOT_APPLICABLE);
    CHECK(!find(v, XMPPDNA_FINDING_POSH_FETCH_FAILED, NULL));
    CHECK(strstr(attempt_reason(v, 0), "127.0.0.1") == NULL);
    xmppdna_verdict_free(v);

    /* XMPPDNA_REQUEST_NO_LOOKUPS with a server that never answers: no DNS
     * is asked, so the verdict does not wait for it. */
    char server[64];
    int silent = silent_server(server, sizeof server);
    CHECK(xmppdna_ctx_add_server(ctx, server, 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 5000, 1, 20000) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(other, PKI_ONLY, 1) == XMPPDNA_OK);
    double t0 = now_s();
    v = verify_ok(ctx, chain, other);
    double took = now_s() - t0;
    CHECK(took < 4.0);
    if (took >= 4.0) printf("# a NO_LOOKUPS verdict took %.1f s with a silent DNS server\n", took);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_evidence_count(v) == 0);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_ctx_clear_servers(ctx) == XMPPDNA_OK);
    close(silent);

    /* Bad input, each alone. */
    xmppdna_request *bad = (xmppdna_request *)1;
    CHECK(xmppdna_request_new("example.com", 9, XMPPDNA_DIR_OUTBOUND, &bad) == XMPPDNA_EINVAL && bad == NULL);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, 7, &bad) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_new("exa mple.com", XMPPDNA_SERVICE_XMPP_SERVER, 0, &bad) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_new("\xff", XMPPDNA_SERVICE_XMPP_SERVER, 0, &bad) == XMPPDNA_EENCODING);
    CHECK(xmppdna_request_new(NULL, XMPPDNA_SERVICE_XMPP_SERVER, 0, &bad) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, 0, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_endpoint(req, "host1.example.net", 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_endpoint(req, "host1.example.net", 65536) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_endpoint(req, "host1.example.net", -1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_endpoint(req, "bad..name", 5269) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_set_endpoint(req, "\xff", 5269) == XMPPDNA_EENCODING);
    CHECK(xmppdna_request_set_endpoint(req, NULL, 5269) == XMPPDNA_EMISUSE);
    int unknown[] = {9}, repeated[] = {XMPPDNA_PROOF_PKI, XMPPDNA_PROOF_PKI}, zero[] = {0};
    int all[] = {XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI, XMPPDNA_PROOF_POSH, XMPPDNA_PROOF_DIALBACK, XMPPDNA_PROOF_DANE};
    CHECK(xmppdna_request_set_prooftypes(req, unknown, 1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_prooftypes(req, zero, 1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_prooftypes(req, repeated, 2) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_prooftypes(req, all, 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_prooftypes(req, all, 5) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_prooftypes(req, NULL, 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_prooftypes(req, all, 4) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_names(req, secure) == XMPPDNA_EINVAL); /* names of another domain */
    xmppdna_names *client = NULL, *xmpps = NULL;
    xmppdna_record none = {"_xmpp-client._tcp.insecure.example", XMPPDNA_RR_SRV, XMPPDNA_DNSSEC_INSECURE, NULL};
    CHECK(xmppdna_names_build("insecure.example", XMPPDNA_SERVICE_XMPP_CLIENT, &none, 1, &client) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_names(req, client) == XMPPDNA_EINVAL); /* another role */
    none.owner = "_xmpps-server._tcp.insecure.example";
    CHECK(xmppdna_names_build("insecure.example", XMPPDNA_SERVICE_XMPPS_SERVER, &none, 1, &xmpps) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_names(req, xmpps) == XMPPDNA_OK); /* the same role */
    xmppdna_names_free(client);
    xmppdna_names_free(xmpps);
    CHECK(xmppdna_request_set_names(req, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_names(req, (const xmppdna_names *)chain) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_add_tlsa(req, "host1.example.net", 5269, "3 1 1 zz", XMPPDNA_DNSSEC_SECURE) ==
          XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_tlsa(req, "host1.example.net", 5269, "\xff", XMPPDNA_DNSSEC_SECURE) ==
          XMPPDNA_EENCODING);
    CHECK(xmppdna_request_add_tlsa(req, "host1.example.net", 5269, host1_tlsa, 9) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_add_tlsa(req, "host1.example.net", 5269, host1_tlsa, XMPPDNA_DNSSEC_NONE) ==
          XMPPDNA_EINVAL);
    CHECK(xmppdna_request_add_tlsa(req, "host1.example.net", 0, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_add_tlsa(req, NULL, 5269, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_add_tlsa(req, "bad..name", 5269, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_tlsa(req, NULL, 0, NULL, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_posh(req, NULL, 3) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_request_set_dialback(req, 3) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_dialback(req, -1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_dialback(req, XMPPDNA_DIALBACK_NONE) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_flags(req, 0x80u) == XMPPDNA_EINVAL);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK | XMPPDNA_REQUEST_NO_LOOKUPS |
                                         XMPPDNA_REQUEST_NAMES_ONLY) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, "", 0) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_ref(NULL, XMPPDNA_ID_NAME, "a.example", 9) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_posh(ctx, "http://127.0.0.1:1", 500) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_set_posh(ctx, "https://127.0.0.1:1/path", 500) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_set_posh(ctx, NULL, 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_posh(ctx, NULL, 60001) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_posh(ctx, NULL, 500) == XMPPDNA_OK);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(ctx, chain, req, &v) == XMPPDNA_EINVAL && v == NULL); /* NAMES_ONLY, four prooftypes */
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(NULL, chain, req, &v) == XMPPDNA_EMISUSE && v == NULL);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify(ctx, chain, NULL, &v) == XMPPDNA_EMISUSE && v == NULL);
    CHECK(xmppdna_verify(ctx, chain, (const xmppdna_request *)chain, &v) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify(ctx, chain, req, NULL) == XMPPDNA_EMISUSE);
    xmppdna_verdict_free((xmppdna_verdict *)req); /* the wrong kind: left alone */
    xmppdna_request_free((xmppdna_request *)chain);
    CHECK(xmppdna_request_set_flags(req, 0) == XMPPDNA_OK && xmppdna_chain_count(chain) == 2);

    xmppdna_request_free(other);
    xmppdna_request_free(req);
    xmppdna_names_free(secure);
    xmppdna_names_free(insecure);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    free(posh);
    free(host1_tlsa);
    free(other_tlsa);
}

struct tally { int called, accepted, failed, wrong; };

static void on_verdict(void *userdata, int rc, xmppdna_verdict *verdict) {
    struct tally *t = userdata;
    t->called++;
    if (rc == XMPPDNA_OK && xmppdna_verdict_accepted(verdict) == 1) {
        t->accepted++;
        xmppdna_finding f;
        if (xmppdna_verdict_prooftype(verdict) != XMPPDNA_PROOF_DANE ||
            xmppdna_verdict_finding_get(verdict, 0, &f) != XMPPDNA_OK || f.code != XMPPDNA_FINDING_DANE_MATCHED)
            t->wrong++;
    }
    if (rc != XMPPDNA_OK) t->failed++;
    if ((rc == XMPPDNA_OK) != (verdict != NULL)) t->wrong++;
    xmppdna_verdict_free(verdict);
}

static void on_names(void *userdata, int rc, xmppdna_names *names) {
    struct tally *t = userdata;
    int status = -1;
    t->called++;
    if (rc == XMPPDNA_OK && xmppdna_names_status(names, &status, NULL, NULL, NULL, NULL) == XMPPDNA_OK &&
        status == XMPPDNA_DNSSEC_INDETERMINATE)
        t->accepted++;
    xmppdna_names_free(names);
}

/* Async: results only through xmppdna_process on this thread, cancel means
 * no callback, inputs may be freed at once, ctx_free drops pending queries. */
static void test_async(void) {
    enum { N = 200 };
    xmppdna_ctx *ctx = test_ctx();
    xmppdna_chain *chain = NULL;
    xmppdna_request *req = NULL;
    size_t len;
    char *pem = slurp("host1-chain.pem", &len);
    char *host1_tlsa = exact_tlsa("host1.der");
    CHECK(xmppdna_process(ctx) == 0); /* nothing submitted yet */
    int fd = xmppdna_fd(ctx);
    CHECK(fd >= 0 && xmppdna_fd(ctx) == fd);
    /* "Submit a query and return at once; the library's threads run it":
     * a submit must not spend a verdict's CPU time on the caller's thread,
     * whether the verdict looks anything up or not (NO_LOOKUPS). The timed
     * verdicts verify the chain (PKI, host1 as an extra name), each against
     * a newly loaded store, so that none reuses an earlier verification. */
    const int pki_only[] = {XMPPDNA_PROOF_PKI};
    for (unsigned int flags = 0; flags <= XMPPDNA_REQUEST_NO_LOOKUPS; flags += XMPPDNA_REQUEST_NO_LOOKUPS) {
        CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK && xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
        CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) ==
              XMPPDNA_OK);
        CHECK(xmppdna_request_set_prooftypes(req, pki_only, 1) == XMPPDNA_OK);
        CHECK(xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, "host1.example.net", 17) == XMPPDNA_OK);
        CHECK(xmppdna_request_set_flags(req, flags) == XMPPDNA_OK);
        struct tally timed = {0, 0, 0, 0};
        double verdict_cpu = 0, submit_cpu = 0;
        for (int i = 0; i < 10; i++) {
            xmppdna_verdict *v = NULL;
            CHECK(xmppdna_ctx_set_ca(ctx, fixture_path("root.pem"), NULL) == XMPPDNA_OK);
            double t0 = process_cpu_s();
            CHECK(xmppdna_verify(ctx, chain, req, &v) == XMPPDNA_OK);
            verdict_cpu += process_cpu_s() - t0;
            xmppdna_verdict_free(v);
            t0 = thread_cpu_s();
            CHECK(xmppdna_verify_async(ctx, chain, req, on_verdict, &timed, NULL) == XMPPDNA_OK);
            submit_cpu += thread_cpu_s() - t0;
        }
        CHECK(timed.called == 0);
        CHECK(submit_cpu < verdict_cpu / 3);
        if (submit_cpu >= verdict_cpu / 3)
            printf("# flags %#x: 10 xmppdna_verify_async submits took %.1f ms of the caller's CPU; 10 verdicts "
                   "take %.1f ms of CPU\n", flags, submit_cpu * 1e3, verdict_cpu * 1e3);
        CHECK(xmppdna_wait(ctx) == 10 && timed.called == 10 && timed.accepted == 10);
        xmppdna_request_free(req);
        xmppdna_chain_free(chain);
    }

    struct tally tally = {0, 0, 0, 0};
    int ids[N];
    for (int i = 0; i < N; i++) {
        /* Fresh inputs each time, freed right after submitting. */
        CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK && xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
        CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) ==
              XMPPDNA_OK);
        CHECK(xmppdna_request_add_tlsa(req, NULL, 0, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_OK);
        ids[i] = 0;
        CHECK(xmppdna_verify_async(ctx, chain, req, on_verdict, &tally, &ids[i]) == XMPPDNA_OK && ids[i] > 0);
        xmppdna_request_free(req);
        xmppdna_chain_free(chain);
    }
    int cancelled = 0;
    for (int i = 0; i < N; i += 2) if (xmppdna_cancel(ctx, ids[i]) == XMPPDNA_OK) cancelled++;
    CHECK(cancelled == N / 2);
    CHECK(tally.called == 0); /* nothing runs outside xmppdna_process */
    for (int rounds = 0; tally.called < N - cancelled && rounds < 1000; rounds++) {
        struct pollfd entry = {fd, POLLIN, 0};
        poll(&entry, 1, 100);
        CHECK(xmppdna_process(ctx) >= 0);
    }
    CHECK(tally.called == N / 2 && tally.accepted == N / 2 && tally.failed == 0 && tally.wrong == 0);
    CHECK(xmppdna_cancel(ctx, ids[1]) == XMPPDNA_ENOTFOUND);  /* delivered */
    CHECK(xmppdna_cancel(ctx, ids[0]) == XMPPDNA_ENOTFOUND);  /* cancelled already */
    CHECK(xmppdna_cancel(ctx, 0x7fffffff) == XMPPDNA_ENOTFOUND);

    /* Bad arguments are reported at submit time, never through the callback. */
    int id = -1;
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK && xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NAMES_ONLY) == XMPPDNA_OK); /* with four prooftypes */
    struct tally late = {0, 0, 0, 0};
    int late_id = -1, rc = xmppdna_verify_async(ctx, chain, req, on_verdict, &late, &late_id);
    CHECK(rc == XMPPDNA_EINVAL && late_id == -1);
    if (rc == XMPPDNA_OK) {
        xmppdna_wait(ctx);
        printf("# xmppdna_verify_async took NAMES_ONLY with four prooftypes (id %d); its callback ran %d time(s), "
               "%d with an error\n", late_id, late.called, late.failed);
    }
    CHECK(xmppdna_request_set_flags(req, 0) == XMPPDNA_OK);
    CHECK(xmppdna_verify_async(ctx, chain, req, NULL, &tally, &id) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify_async(NULL, chain, req, on_verdict, &tally, &id) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify_async(ctx, chain, NULL, on_verdict, &tally, &id) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify_async(ctx, chain, (const xmppdna_request *)chain, on_verdict, &tally, &id) ==
          XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify_async(ctx, (const xmppdna_chain *)req, req, on_verdict, &tally, &id) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_names, &tally, &id) ==
          XMPPDNA_ENOSERVER);
    CHECK(xmppdna_names_lookup_async(ctx, "bad..name", XMPPDNA_SERVICE_XMPP_SERVER, on_names, &tally, &id) ==
          XMPPDNA_EBADNAME);
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", 9, on_names, &tally, &id) == XMPPDNA_EINVAL);
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL, &tally, &id) ==
          XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_lookup_async(ctx, NULL, XMPPDNA_SERVICE_XMPP_SERVER, on_names, &tally, &id) ==
          XMPPDNA_EMISUSE);
    CHECK(id == -1);
    CHECK(xmppdna_wait(ctx) == 0 && tally.called == N / 2);

    /* A NULL chain is a question too (no certificate), and so are a
     * lookup and a verdict against nothing: answers, through xmppdna_wait. */
    struct tally names_tally = {0, 0, 0, 0}, nocert = {0, 0, 0, 0};
    CHECK(xmppdna_verify_async(ctx, NULL, req, on_verdict, &nocert, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_wait(ctx) == 1 && nocert.called == 1 && nocert.failed == 0 && nocert.accepted == 0);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@1", 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 50, 0, 1000) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_names, &names_tally, NULL) ==
          XMPPDNA_OK);
    CHECK(xmppdna_verify_async(ctx, chain, req, on_verdict, &tally, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_wait(ctx) == 2);
    CHECK(names_tally.called == 1 && names_tally.accepted == 1);
    CHECK(tally.called == N / 2 + 1 && tally.wrong == 0);
    CHECK(xmppdna_wait(ctx) == 0 && xmppdna_process(ctx) == 0);

    /* Freed with queries pending: no callback, no leak (valgrind checks). */
    for (int i = 0; i < 20; i++) {
        CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_names, &names_tally,
                                         NULL) == XMPPDNA_OK);
        CHECK(xmppdna_verify_async(ctx, chain, req, on_verdict, &tally, NULL) == XMPPDNA_OK);
    }
    int before = names_tally.called + tally.called;
    xmppdna_request_free(req);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    CHECK(names_tally.called + tally.called == before);
    free(pem);
    free(host1_tlsa);
}

/* Hostile sizes: 10,000 SANs, a 1 MiB chain, 1 MiB names and garbage. Each
 * gets its documented code or a verdict, never a crash. */
static void test_huge_inputs(void) {
    xmppdna_ctx *ctx = test_ctx();
    xmppdna_request *refs = pki_request("example.com", XMPPDNA_DIR_OUTBOUND, NULL);
    xmppdna_request *other = pki_request("nomatch.example", XMPPDNA_DIR_OUTBOUND, NULL);

    /* 10,000 SANs: all presented, the last one matches. */
    size_t der_len, inter_len;
    char *der = slurp("many-sans.der", &der_len);
    char *inter = slurp("inter.pem", &inter_len);
    xmppdna_chain *chain = NULL;
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_der(chain, der, der_len) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_pem(chain, inter, inter_len) == XMPPDNA_OK);
    xmppdna_verdict *v = verify_ok(ctx, chain, refs);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    CHECK(xmppdna_verdict_presented_count(v) >= 10000);
    /* The same identifiers handed over by a server that parsed them itself. */
    xmppdna_request *by_names = NULL, *by_names_other = NULL;
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &by_names) ==
          XMPPDNA_OK);
    CHECK(xmppdna_request_new("nomatch.example", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND,
                              &by_names_other) == XMPPDNA_OK);
    size_t added = 0;
    for (size_t i = 0; i < xmppdna_verdict_presented_count(v); i++) {
        int type = -1;
        const char *value = NULL;
        if (xmppdna_verdict_presented_get(v, i, &type, &value, NULL, NULL) != XMPPDNA_OK || type != XMPPDNA_ID_DNS)
            continue;
        added += xmppdna_request_add_presented(by_names, XMPPDNA_ID_DNS, value, strlen(value)) == XMPPDNA_OK;
        CHECK(xmppdna_request_add_presented(by_names_other, XMPPDNA_ID_DNS, value, strlen(value)) == XMPPDNA_OK);
    }
    CHECK(added >= 10000);
    xmppdna_verdict_free(v);
    v = verify_ok(ctx, chain, other);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    char *json = NULL;
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK && json && strlen(json) > 10000 * 10);
    xmppdna_free(json);
    xmppdna_verdict_free(v);
    const int flags = XMPPDNA_REQUEST_NAMES_ONLY | XMPPDNA_REQUEST_NO_LOOKUPS;
    CHECK(xmppdna_request_set_prooftypes(by_names, PKI_ONLY, 1) == XMPPDNA_OK &&
          xmppdna_request_set_flags(by_names, flags) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(by_names_other, PKI_ONLY, 1) == XMPPDNA_OK &&
          xmppdna_request_set_flags(by_names_other, flags) == XMPPDNA_OK);
    v = verify_ok(ctx, NULL, by_names);
    CHECK(xmppdna_verdict_accepted(v) == 1 && xmppdna_verdict_presented_count(v) == added);
    xmppdna_verdict_free(v);
    v = verify_ok(ctx, NULL, by_names_other);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    xmppdna_verdict_free(v);
    xmppdna_request_free(by_names);
    xmppdna_request_free(by_names_other);
    xmppdna_chain_free(chain);

    /* A 1 MiB PEM bundle: the full chain over and over. */
    size_t one_len;
    char *one = slurp("full-chain.pem", &one_len);
    size_t copies = (1u << 20) / one_len + 1, big_len = copies * one_len;
    char *big = malloc(big_len);
    for (size_t i = 0; i < copies; i++) memcpy(big + i * one_len, one, one_len);
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_pem(chain, big, big_len) == XMPPDNA_OK);
    CHECK(xmppdna_chain_count(chain) == copies * 2);
    v = verify_ok(ctx, chain, refs);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);
    /* 1 MiB of DER-looking garbage, and a bundle cut mid-certificate: refused whole. */
    memset(big, 0x30, big_len);
    CHECK(xmppdna_chain_add_der(chain, big, big_len) == XMPPDNA_EBADCERT);
    for (size_t i = 0; i < copies; i++) memcpy(big + i * one_len, one, one_len);
    CHECK(xmppdna_chain_add_pem(chain, big, big_len - one_len / 2) == XMPPDNA_EBADCERT);
    CHECK(xmppdna_chain_count(chain) == copies * 2);
    xmppdna_chain_free(chain);

    /* 1 MiB names, with and without NUL bytes inside. */
    memset(big, 'a', big_len);
    big[big_len - 1] = 0;
    xmppdna_request *r = (xmppdna_request *)1;
    CHECK(xmppdna_request_new(big, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &r) == XMPPDNA_EBADNAME &&
          r == NULL);
    CHECK(xmppdna_request_add_ref(refs, XMPPDNA_ID_DNS, big, big_len - 1) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_set_endpoint(refs, big, 5269) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, big, 0) == XMPPDNA_EBADNAME);
    big[1000] = 0; /* too long is found before the NUL: no scan of a megabyte */
    CHECK(xmppdna_request_add_ref(refs, XMPPDNA_ID_DNS, big, big_len - 1) == XMPPDNA_EBADNAME);
    xmppdna_names *names = NULL;
    big[1000] = 'a';
    CHECK(xmppdna_names_build(big, XMPPDNA_SERVICE_XMPP_SERVER, NULL, 0, &names) == XMPPDNA_EBADNAME && names == NULL);
    CHECK(xmppdna_request_add_tlsa(refs, NULL, 0, big, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_set_posh(refs, big, big_len) == XMPPDNA_OK); /* judged, and refused, by the POSH attempt */
    /* Over 65,536 bytes a presented value is refused (the header's bound);
     * below it, a hostile name is recorded as unusable, never refused. */
    xmppdna_request *huge = NULL;
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &huge) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_prooftypes(huge, PKI_ONLY, 1) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_flags(huge, flags) == XMPPDNA_OK);
    CHECK(xmppdna_request_add_presented(huge, XMPPDNA_ID_DNS, big, big_len - 1) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_presented(huge, XMPPDNA_ID_DNS, big, 65537) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_request_add_presented(huge, XMPPDNA_ID_DNS, big, 65536) == XMPPDNA_OK);
    {
        v = verify_ok(ctx, NULL, huge);
        int usable = -1;
        const char *problem = NULL;
        CHECK(xmppdna_verdict_accepted(v) == 0);
        CHECK(xmppdna_verdict_presented_count(v) == 1);
        CHECK(xmppdna_verdict_presented_get(v, 0, NULL, NULL, &usable, &problem) == XMPPDNA_OK);
        CHECK(usable == 0 && problem != NULL);
        xmppdna_verdict_free(v);
    }
    xmppdna_request_free(huge);

    free(big);
    free(one);
    free(der);
    free(inter);
    xmppdna_request_free(refs);
    xmppdna_request_free(other);
    xmppdna_ctx_free(ctx);
}

/* Issue 17: a zero-initialised status (calloc, a record filled in by hand)
 * must never count as DNSSEC-secure, for records or for TLSA. */
static void test_zero_status_is_not_secure(void) {
    xmppdna_record *records = calloc(3, sizeof *records);
    records[0].owner = "_xmpp-server._tcp.example.com";
    records[0].type = XMPPDNA_RR_SRV;
    records[0].data = "5 0 5269 host1.example.net.";
    records[1].owner = "host1.example.net";
    records[1].type = XMPPDNA_RR_A;
    records[1].data = "192.0.2.1";
    records[2].owner = "host1.example.net";
    records[2].type = XMPPDNA_RR_AAAA;
    xmppdna_names *names = NULL;
    int status = -1;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, records, 3, &names) == XMPPDNA_OK);
    CHECK(xmppdna_names_status(names, &status, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(status != XMPPDNA_DNSSEC_SECURE);
    CHECK(xmppdna_names_count(names) == 1); /* nothing delegated */
    xmppdna_names_free(names);
    free(records);

    xmppdna_ctx *ctx = NULL;
    xmppdna_request *req = NULL;
    char *host1_tlsa = exact_tlsa("host1.der");
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK && xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    xmppdna_chain *chain = chain_of("host1-chain.pem");
    names = names_for("example.com", XMPPDNA_DNSSEC_SECURE);
    CHECK(xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_names(req, names) == XMPPDNA_OK);
    CHECK(xmppdna_request_set_endpoint(req, "host1.example.net", 5269) == XMPPDNA_OK);
    int zero = 0; /* a status nobody set */
    CHECK(xmppdna_request_add_tlsa(req, "host1.example.net", 5269, host1_tlsa, zero) == XMPPDNA_OK);
    xmppdna_verdict *v = verify_ok(ctx, chain, req);
    CHECK(xmppdna_verdict_accepted(v) == 0 && xmppdna_verdict_prooftype(v) != XMPPDNA_PROOF_DANE);
    const char *what = NULL;
    for (size_t i = 0; i < xmppdna_verdict_evidence_count(v); i++) {
        status = -9;
        CHECK(xmppdna_verdict_evidence_get(v, i, &what, &status) == XMPPDNA_OK);
        if (what && strstr(what, "TLSA") != NULL) CHECK(status != XMPPDNA_DNSSEC_SECURE);
    }
    xmppdna_finding f;
    for (size_t i = 0; i < xmppdna_verdict_finding_count(v); i++)
        if (xmppdna_verdict_finding_get(v, i, &f) == XMPPDNA_OK && f.prooftype == XMPPDNA_PROOF_DANE)
            CHECK(f.dnssec != XMPPDNA_DNSSEC_SECURE && f.code != XMPPDNA_FINDING_DANE_MATCHED);
    xmppdna_verdict_free(v);
    xmppdna_names_free(names);
    xmppdna_request_free(req);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    free(host1_tlsa);
}

/* Borrowed strings stay valid, and unchanged, until their handle is freed,
 * whatever else is read from it meanwhile; a borrowed string is never the
 * caller's to free, and a verdict is freed once, by its owner. */
static void test_borrowed_strings(void) {
    xmppdna_ctx *ctx = test_ctx();
    xmppdna_verdict *v = pki_verdict(ctx, "host1-chain.pem", "example.com", NULL, XMPPDNA_DIR_OUTBOUND);
    const char *summary = xmppdna_verdict_summary(v), *reason = attempt_reason(v, 0);
    xmppdna_finding f;
    CHECK(xmppdna_verdict_finding_get(v, 0, &f) == XMPPDNA_OK);
    char *summary_copy = strdup(summary ? summary : ""), *text_copy = strdup(f.text ? f.text : "");
    for (int i = 0; i < 3; i++) {
        char *json = NULL;
        CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK);
        xmppdna_free(json);
        check_verdict(v);
    }
    CHECK(xmppdna_verdict_summary(v) == summary && strcmp(summary, summary_copy) == 0);
    CHECK(strcmp(f.text, text_copy) == 0 && strstr(reason, f.text) != NULL);
    xmppdna_finding again;
    CHECK(xmppdna_verdict_finding_get(v, 0, &again) == XMPPDNA_OK && again.text == f.text);
    free(summary_copy);
    free(text_copy);
    xmppdna_verdict_free(v);
    xmppdna_ctx_free(ctx);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s PKI_DIR\n", argv[0]); return 2; }
    pki = argv[1];
    test_version_and_errors();
    test_null_everywhere();
    test_bad_names();
    test_bad_certificates();
    test_context();
    test_pki_verdicts();
    test_names_from_records();
    test_dns_settings();
    test_each_null_alone();
    test_context_strings();
    test_dna();
    test_async();
    test_huge_inputs();
    test_zero_status_is_not_secure();
    test_borrowed_strings();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
