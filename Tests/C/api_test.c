/*
 * Exercises every function of the installed xmppdna.h, including every
 * bad-input path, through the installed library. Run under valgrind by
 * Tests/C/run.sh.   Usage: api_test PKI_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <xmppdna.h>

static int passed, failed;

#define CHECK(cond) do { \
    if (cond) { passed++; } \
    else { failed++; printf("not ok - %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

static const int64_t AT = 1893456000; /* 2030-01-01, inside the fixtures' validity */
static const char *pki;

static char *slurp(const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", pki, name);
    FILE *f = fopen(path, "rb");
    if (!f) { printf("cannot open %s\n", path); exit(2); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) { printf("cannot read %s\n", path); exit(2); }
    data[size] = 0;
    fclose(f);
    *len = (size_t)size;
    return data;
}

static char *fixture_path(const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", pki, name);
    return path;
}

static void test_version_and_errors(void) {
    CHECK(strcmp(xmppdna_version(), XMPPDNA_VERSION) == 0);
    CHECK(xmppdna_version_number() == XMPPDNA_VERSION_NUMBER);
    for (int code = XMPPDNA_ENOTFOUND; code <= XMPPDNA_OK; code++) {
        const char *text = xmppdna_strerror(code);
        CHECK(text != NULL && strlen(text) > 0 && strcmp(text, "unknown xmppdna result code") != 0);
    }
    CHECK(strcmp(xmppdna_strerror(12345), "unknown xmppdna result code") == 0);
    CHECK(strcmp(xmppdna_strerror(-1000), "unknown xmppdna result code") == 0);
    xmppdna_free(NULL);
}

static void test_null_everywhere(void) {
    xmppdna_ctx *ctx = (xmppdna_ctx *)1; /* must be reset to NULL on failure paths */
    xmppdna_refs *refs;
    char *json;
    CHECK(xmppdna_ctx_new(NULL) == XMPPDNA_EMISUSE);
    xmppdna_ctx_free(NULL);
    CHECK(xmppdna_ctx_set_ca_file(NULL, "x") == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_ca_dir(NULL, "x") == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_time(NULL, 0) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_flags(NULL, 0) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_flags(NULL) == 0);

    refs = (xmppdna_refs *)1;
    CHECK(xmppdna_refs_new(NULL, XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_EMISUSE && refs == NULL);
    CHECK(xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_refs_new_empty(NULL) == XMPPDNA_EMISUSE);
    xmppdna_refs_free(NULL);
    CHECK(xmppdna_refs_add(NULL, XMPPDNA_ID_DNS, "a.example", 9) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_refs_add_name(NULL, "a.example") == XMPPDNA_EMISUSE);
    CHECK(xmppdna_refs_count(NULL) == 0);
    CHECK(xmppdna_refs_get(NULL, 0, NULL, NULL) == XMPPDNA_EMISUSE);

    CHECK(xmppdna_chain_new(NULL) == XMPPDNA_EMISUSE);
    xmppdna_chain_free(NULL);
    CHECK(xmppdna_chain_add_der(NULL, "x", 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_add_pem(NULL, "x", 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_length(NULL) == 0);
    xmppdna_idset *ids = (xmppdna_idset *)1;
    CHECK(xmppdna_chain_idset(NULL, &ids) == XMPPDNA_EMISUSE && ids == NULL);
    CHECK(xmppdna_chain_idset(NULL, NULL) == XMPPDNA_EMISUSE);

    CHECK(xmppdna_idset_new(NULL) == XMPPDNA_EMISUSE);
    xmppdna_idset_free(NULL);
    CHECK(xmppdna_idset_add(NULL, XMPPDNA_ID_DNS, "x", 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_idset_count(NULL) == 0);
    CHECK(xmppdna_idset_get(NULL, 0, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);

    xmppdna_verdict *v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify_pki(NULL, NULL, NULL, XMPPDNA_DIR_OUTBOUND, &v) == XMPPDNA_EMISUSE && v == NULL);
    CHECK(xmppdna_verify_pki(NULL, NULL, NULL, XMPPDNA_DIR_OUTBOUND, NULL) == XMPPDNA_EMISUSE);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_match(NULL, NULL, NULL, &v) == XMPPDNA_EMISUSE && v == NULL);
    CHECK(xmppdna_match(NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    xmppdna_verdict_free(NULL);
    CHECK(xmppdna_verdict_accepted(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_chain_status(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_chain_error(NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_match_count(NULL) == 0);
    CHECK(xmppdna_verdict_match(NULL, 0, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_reason_count(NULL) == 0);
    CHECK(xmppdna_verdict_reason(NULL, 0) == NULL);
    CHECK(xmppdna_verdict_presented(NULL) == NULL);
    json = (char *)1;
    CHECK(xmppdna_verdict_json(NULL, &json) == XMPPDNA_EMISUSE && json == NULL);
    CHECK(xmppdna_verdict_json(NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_add_server(NULL, "127.0.0.1") == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_clear_servers(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_trust_mode(NULL, XMPPDNA_TRUST_AD) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_add_trusted_resolver(NULL, "127.0.0.1") == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_anchor_file(NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_dns_timeout(NULL, 100, 0) == XMPPDNA_EMISUSE);
    xmppdna_names *names = (xmppdna_names *)1;
    CHECK(xmppdna_names_lookup(NULL, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EMISUSE && names == NULL);
    CHECK(xmppdna_names_lookup(NULL, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL) == XMPPDNA_EMISUSE);
    names = (xmppdna_names *)1;
    CHECK(xmppdna_names_build(NULL, XMPPDNA_SERVICE_XMPP_SERVER, NULL, 0, &names) == XMPPDNA_EMISUSE && names == NULL);
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL, 3, &names) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL, 0, NULL) == XMPPDNA_EMISUSE);
    xmppdna_names_free(NULL);
    CHECK(xmppdna_names_status(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_kind(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_trust_mode(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_reason(NULL, NULL) == NULL);
    CHECK(xmppdna_names_count(NULL) == 0);
    CHECK(xmppdna_names_get(NULL, 0, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_candidate_count(NULL) == 0);
    CHECK(xmppdna_names_candidate(NULL, 0, NULL, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    refs = (xmppdna_refs *)1;
    CHECK(xmppdna_names_refs(NULL, &refs) == XMPPDNA_EMISUSE && refs == NULL);
    json = (char *)1;
    CHECK(xmppdna_names_json(NULL, &json) == XMPPDNA_EMISUSE && json == NULL);
    (void)ctx;
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
    CHECK(xmppdna_names_status(names) == XMPPDNA_DNSSEC_SECURE);
    CHECK(xmppdna_names_kind(names) == XMPPDNA_NAMES_SRV);
    CHECK(xmppdna_names_trust_mode(names) == -1);
    CHECK(xmppdna_names_count(names) == 3); /* domain, host1, 192.0.2.1; the insecure AAAA adds nothing */
    int type = 0, status = 0, port = 0, tls = -1, ede = -1;
    const char *value = NULL, *source = NULL, *host = NULL;
    CHECK(xmppdna_names_get(names, 0, &type, &value, &status, &source) == XMPPDNA_OK);
    CHECK(type == XMPPDNA_ID_DNS && strcmp(value, "example.com") == 0 && status == -1);
    CHECK(xmppdna_names_get(names, 1, &type, &value, &status, &source) == XMPPDNA_OK);
    CHECK(strcmp(value, "host1.example.net") == 0 && status == XMPPDNA_DNSSEC_SECURE && strstr(source, "SRV") != NULL);
    CHECK(xmppdna_names_get(names, 2, &type, &value, NULL, NULL) == XMPPDNA_OK && type == XMPPDNA_ID_IP);
    CHECK(xmppdna_names_get(names, 3, &type, &value, &status, &source) == XMPPDNA_ERANGE);
    CHECK(xmppdna_names_candidate_count(names) == 1);
    CHECK(xmppdna_names_candidate(names, 0, &host, &port, &tls, &status) == XMPPDNA_OK);
    CHECK(strcmp(host, "host1.example.net") == 0 && port == 5269 && tls == 0 && status == XMPPDNA_DNSSEC_INSECURE);
    CHECK(xmppdna_names_candidate(names, 1, &host, &port, &tls, &status) == XMPPDNA_ERANGE);
    CHECK(xmppdna_names_reason(names, &ede) == NULL && ede == 0);
    xmppdna_refs *refs = NULL;
    CHECK(xmppdna_names_refs(names, &refs) == XMPPDNA_OK && xmppdna_refs_count(refs) == 5);
    xmppdna_refs_free(refs);
    char *json = NULL;
    CHECK(xmppdna_names_json(names, &json) == XMPPDNA_OK && strstr(json, "\"acceptable_names\"") != NULL);
    xmppdna_free(json);
    xmppdna_names_free(names);

    /* Bogus anywhere: only the domain, with the reason. */
    records[2].status = XMPPDNA_DNSSEC_BOGUS;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, records, 4, &names) == XMPPDNA_OK);
    CHECK(xmppdna_names_status(names) == XMPPDNA_DNSSEC_BOGUS);
    CHECK(xmppdna_names_count(names) == 1 && xmppdna_names_candidate_count(names) == 0);
    CHECK(xmppdna_names_reason(names, &ede) != NULL && ede == 6);
    xmppdna_names_free(names);

    /* Bad input. */
    xmppdna_record bad[] = {{"_xmpp-server._tcp.example.com", XMPPDNA_RR_SRV, XMPPDNA_DNSSEC_SECURE, "5 0 host1."}};
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EBADNAME && names == NULL);
    bad[0].type = 99;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EINVAL);
    bad[0].type = XMPPDNA_RR_SRV;
    bad[0].status = 9;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EINVAL);
    bad[0].status = XMPPDNA_DNSSEC_SECURE;
    bad[0].owner = NULL;
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EMISUSE);
    bad[0].owner = "\xff";
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, bad, 1, &names) == XMPPDNA_EENCODING);
    CHECK(xmppdna_names_build("192.0.2.1", XMPPDNA_SERVICE_XMPP_SERVER, records, 4, &names) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_names_build("example.com", 0, records, 4, &names) == XMPPDNA_EINVAL);
    /* Nothing supplied: indeterminate, never secure. */
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, records, 0, &names) == XMPPDNA_OK);
    CHECK(xmppdna_names_status(names) == XMPPDNA_DNSSEC_INDETERMINATE);
    xmppdna_names_free(names);
}

static void test_dns_settings(void) {
    xmppdna_ctx *ctx = NULL;
    xmppdna_names *names = (xmppdna_names *)1;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_ENOSERVER && names == NULL);
    CHECK(xmppdna_ctx_add_server(ctx, "not an address") == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@0") == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@70000") == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_server(ctx, "\xff") == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_add_server(ctx, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_add_server(ctx, "[::1]@53") == XMPPDNA_OK);
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@1") == XMPPDNA_OK);
    CHECK(xmppdna_ctx_clear_servers(ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, 7) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_add_server(ctx, "192.0.2.54") == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, XMPPDNA_TRUST_AD) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EUNTRUSTED && names == NULL);
    CHECK(xmppdna_ctx_clear_servers(ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, XMPPDNA_TRUST_VALIDATE) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_add_trusted_resolver(ctx, "192.0.2.53") == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 0, 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, 11) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 200, 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_anchor_file(ctx, "/nonexistent/anchor") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_anchor_file(ctx, fixture_path("root.pem")) == XMPPDNA_ETRUST); /* not DS/DNSKEY */
    CHECK(xmppdna_ctx_set_anchor_file(ctx, NULL) == XMPPDNA_OK);
    /* Nothing listens on port 1: a bounded wait, then indeterminate, never secure. */
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@1") == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, "exa mple.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_names_lookup(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_OK);
    CHECK(xmppdna_names_status(names) == XMPPDNA_DNSSEC_INDETERMINATE);
    CHECK(xmppdna_names_trust_mode(names) == XMPPDNA_TRUST_VALIDATE);
    CHECK(xmppdna_names_count(names) == 1);
    CHECK(xmppdna_names_reason(names, NULL) != NULL);
    xmppdna_names_free(names);
    xmppdna_ctx_free(ctx);
}

static void test_bad_names(void) {
    xmppdna_refs *refs = NULL;
    char longname[400];
    memset(longname, 'a', sizeof longname);
    for (int i = 63; i < 300; i += 64) longname[i] = '.';
    strcpy(longname + 300, ".example");
    CHECK(xmppdna_refs_new("", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_EBADNAME && refs == NULL);
    CHECK(xmppdna_refs_new("\xff\xfe.example", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_EENCODING);
    CHECK(xmppdna_refs_new(longname, XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_EBADNAME);
    char label64[80];
    memset(label64, 'b', 64);
    strcpy(label64 + 64, ".example");
    CHECK(xmppdna_refs_new(label64, XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_new("exa mple.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_new("192.0.2.1", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_new("example.com", 0, &refs) == XMPPDNA_EINVAL);
    CHECK(xmppdna_refs_new("example.com", 99, &refs) == XMPPDNA_EINVAL);
    CHECK(refs == NULL);

    CHECK(xmppdna_refs_new_empty(&refs) == XMPPDNA_OK);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_DNS, "example.com\0.evil", 17) == XMPPDNA_EENCODING);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_DNS, "\xc3\x28", 2) == XMPPDNA_EENCODING);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_DNS, "", 0) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_DNS, longname, strlen(longname)) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_CN, "example.com", 11) == XMPPDNA_EINVAL);
    CHECK(xmppdna_refs_add(refs, 42, "example.com", 11) == XMPPDNA_EINVAL);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_SRV, "imaps.foo.com", 13) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_IP, "127.1", 5) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_XMPP, "a@example.com/res", 17) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_DNS, "example.com", (size_t)-1) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_add_name(refs, "\xff") == XMPPDNA_EENCODING);
    CHECK(xmppdna_refs_add_name(refs, "") == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_count(refs) == 0);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_SRV, "_xmpp-server.Example.COM.", 25) == XMPPDNA_OK);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_XMPP, "juliet@example.com", 18) == XMPPDNA_OK);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_URI, "xmpp:example.com", 16) == XMPPDNA_OK);
    CHECK(xmppdna_refs_add_name(refs, "2001:db8::1") == XMPPDNA_OK);
    CHECK(xmppdna_refs_add_name(refs, "b\xc3\xbc" "cher.example") == XMPPDNA_OK);
    CHECK(xmppdna_refs_count(refs) == 5);
    int type = 0;
    const char *value = NULL;
    CHECK(xmppdna_refs_get(refs, 0, &type, &value) == XMPPDNA_OK);
    CHECK(type == XMPPDNA_ID_SRV && strcmp(value, "_xmpp-server.example.com") == 0);
    CHECK(xmppdna_refs_get(refs, 3, &type, &value) == XMPPDNA_OK && type == XMPPDNA_ID_IP);
    CHECK(xmppdna_refs_get(refs, 4, &type, &value) == XMPPDNA_OK && strcmp(value, "xn--bcher-kva.example") == 0);
    CHECK(xmppdna_refs_get(refs, 4, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_refs_get(refs, 5, &type, &value) == XMPPDNA_ERANGE);
    xmppdna_refs_free(refs);
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
    CHECK(xmppdna_chain_length(chain) == 0);
    char *der = slurp("full.der", &len);
    CHECK(xmppdna_chain_add_der(chain, der, len - 1) == XMPPDNA_EBADCERT); /* truncated */
    char *padded = malloc(len + 1);
    memcpy(padded, der, len);
    padded[len] = 0;
    CHECK(xmppdna_chain_add_der(chain, padded, len + 1) == XMPPDNA_EBADCERT); /* trailing byte */
    CHECK(xmppdna_chain_length(chain) == 0);
    xmppdna_idset *ids = NULL;
    CHECK(xmppdna_chain_idset(chain, &ids) == XMPPDNA_EMISUSE && ids == NULL);
    CHECK(xmppdna_chain_add_der(chain, der, len) == XMPPDNA_OK);
    CHECK(xmppdna_chain_length(chain) == 1);
    free(padded);
    free(der);
    free(pem);
    xmppdna_chain_free(chain);
}

static void test_context(void) {
    xmppdna_ctx *ctx = NULL;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK && ctx != NULL);
    CHECK(xmppdna_ctx_set_flags(ctx, 0x80) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_flags(ctx, XMPPDNA_FLAG_CN_FALLBACK | XMPPDNA_FLAG_NO_PKIX) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_flags(ctx) == (XMPPDNA_FLAG_CN_FALLBACK | XMPPDNA_FLAG_NO_PKIX));
    CHECK(xmppdna_ctx_set_flags(ctx, 0) == XMPPDNA_OK && xmppdna_ctx_flags(ctx) == 0);
    CHECK(xmppdna_ctx_set_ca_file(ctx, "/nonexistent/ca.pem") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_ca_file(ctx, "\xff") == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_set_ca_dir(ctx, "/nonexistent") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_ca_file(ctx, fixture_path("root.pem")) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca_dir(ctx, fixture_path("cadir")) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca_dir(ctx, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, XMPPDNA_TIME_NOW) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    /* A handle of the wrong kind is refused, not trusted. */
    CHECK(xmppdna_refs_count((xmppdna_refs *)ctx) == 0);
    xmppdna_ctx_free(ctx);
}

static xmppdna_verdict *verify(xmppdna_ctx *ctx, const char *file, const char *domain, const char *name) {
    size_t len;
    char *pem = slurp(file, &len);
    xmppdna_chain *chain = NULL;
    xmppdna_refs *refs = NULL;
    xmppdna_verdict *v = NULL;
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
    CHECK(xmppdna_chain_length(chain) == 2);
    CHECK(xmppdna_refs_new(domain, XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_OK);
    if (name) CHECK(xmppdna_refs_add_name(refs, name) == XMPPDNA_OK);
    CHECK(xmppdna_verify_pki(ctx, chain, refs, 7, &v) == XMPPDNA_EINVAL && v == NULL);
    CHECK(xmppdna_verify_pki(ctx, chain, refs, XMPPDNA_DIR_OUTBOUND, &v) == XMPPDNA_OK && v != NULL);
    xmppdna_chain_free(chain);
    xmppdna_refs_free(refs);
    free(pem);
    return v;
}

static void test_verdicts(void) {
    xmppdna_ctx *ctx = NULL;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca_file(ctx, fixture_path("root.pem")) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);

    xmppdna_verdict *v = verify(ctx, "full-chain.pem", "example.com", NULL);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    CHECK(xmppdna_verdict_chain_status(v) == XMPPDNA_CHAIN_VALID);
    int code = -1, depth = -1;
    const char *text = "x";
    CHECK(xmppdna_verdict_chain_error(v, &code, &depth, &text) == XMPPDNA_OK && code == 0 && text == NULL);
    CHECK(xmppdna_verdict_match_count(v) >= 1);
    int rt = 0, pt = 0;
    const char *rv = NULL, *pv = NULL;
    CHECK(xmppdna_verdict_match(v, 0, &rt, &rv, &pt, &pv) == XMPPDNA_OK);
    CHECK(rt == XMPPDNA_ID_DNS && strcmp(rv, "example.com") == 0 && pt == XMPPDNA_ID_DNS);
    CHECK(xmppdna_verdict_match(v, 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_match(v, 100, &rt, &rv, &pt, &pv) == XMPPDNA_ERANGE);
    CHECK(xmppdna_verdict_reason(v, 1000) == NULL);
    const xmppdna_idset *presented = xmppdna_verdict_presented(v);
    CHECK(presented != NULL && xmppdna_idset_count(presented) >= 6);
    int type, usable;
    const char *value, *problem;
    for (size_t i = 0; i < xmppdna_idset_count(presented); i++) {
        CHECK(xmppdna_idset_get(presented, i, &type, &value, &usable, &problem) == XMPPDNA_OK);
        CHECK(value != NULL && (usable == 1) == (problem == NULL));
    }
    CHECK(xmppdna_idset_get(presented, 1000, &type, &value, &usable, &problem) == XMPPDNA_ERANGE);
    char *json = NULL;
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK && json != NULL);
    CHECK(strncmp(json, "{\"schema_version\":1,\"accepted\":true", 35) == 0);
    xmppdna_free(json);
    xmppdna_verdict_free(v);

    v = verify(ctx, "host1-chain.pem", "example.com", NULL);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    CHECK(xmppdna_verdict_reason_count(v) >= 1);
    CHECK(strstr(xmppdna_verdict_reason(v, 0), "host1.example.net") != NULL);
    xmppdna_verdict_free(v);

    v = verify(ctx, "host1-chain.pem", "example.com", "host1.example.net");
    CHECK(xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);

    v = verify(ctx, "expired-chain.pem", "example.com", NULL);
    CHECK(xmppdna_verdict_accepted(v) == 0);
    CHECK(xmppdna_verdict_chain_status(v) == XMPPDNA_CHAIN_INVALID);
    CHECK(xmppdna_verdict_chain_error(v, &code, &depth, &text) == XMPPDNA_OK);
    CHECK(code == 10 && depth == 0 && strstr(text, "expired") != NULL);
    xmppdna_verdict_free(v);

    /* The sans-I/O path: identifiers the caller extracted, hostile bytes included. */
    xmppdna_idset *ids = NULL;
    xmppdna_refs *refs = NULL;
    CHECK(xmppdna_idset_new(&ids) == XMPPDNA_OK);
    CHECK(xmppdna_idset_add(ids, XMPPDNA_ID_DNS, "example.com\0.evil.test", 22) == XMPPDNA_OK);
    CHECK(xmppdna_idset_add(ids, XMPPDNA_ID_DNS, "\xff\xfe", 2) == XMPPDNA_OK);
    CHECK(xmppdna_idset_add(ids, XMPPDNA_ID_IP, "\x01\x02\x03", 3) == XMPPDNA_OK);
    CHECK(xmppdna_idset_add(ids, XMPPDNA_ID_DNS, "", 0) == XMPPDNA_OK);
    CHECK(xmppdna_idset_add(ids, 0, "x", 1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_idset_add(ids, XMPPDNA_ID_DNS, NULL, 0) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_idset_add(ids, XMPPDNA_ID_DNS, "x", (size_t)-1) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_idset_count(ids) == 4);
    for (size_t i = 0; i < 4; i++) {
        CHECK(xmppdna_idset_get(ids, i, &type, &value, &usable, &problem) == XMPPDNA_OK);
        CHECK(usable == 0 && problem != NULL);
    }
    CHECK(xmppdna_idset_add(ids, XMPPDNA_ID_SRV, "_xmpp-server.example.com", 24) == XMPPDNA_OK);
    CHECK(xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_OK);
    CHECK(xmppdna_match(ctx, ids, refs, &v) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    CHECK(xmppdna_verdict_chain_status(v) == XMPPDNA_CHAIN_NOT_CHECKED);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_match(ctx, (const xmppdna_idset *)refs, refs, &v) == XMPPDNA_EMISUSE && v == NULL);
    xmppdna_refs_free(refs);
    xmppdna_idset_free(ids);
    xmppdna_ctx_free(ctx);
}

/* NULL in one pointer argument at a time, every other argument valid, so a
 * check that only catches "everything NULL" cannot pass. */
static void test_each_null_alone(void) {
    xmppdna_ctx *ctx = NULL;
    xmppdna_refs *refs = NULL;
    xmppdna_chain *chain = NULL, *empty = NULL;
    xmppdna_idset *ids = NULL;
    xmppdna_verdict *v = NULL;
    xmppdna_names *names = NULL;
    size_t len;
    char *pem = slurp("full-chain.pem", &len);
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca_file(ctx, fixture_path("root.pem")) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    CHECK(xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_OK);
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK && xmppdna_chain_new(&empty) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
    CHECK(xmppdna_idset_new(&ids) == XMPPDNA_OK);
    CHECK(xmppdna_idset_add(ids, XMPPDNA_ID_DNS, "example.com", 11) == XMPPDNA_OK);

    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_DNS, NULL, 3) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_refs_add_name(refs, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_add_pem(chain, NULL, 5) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_idset(chain, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_add_trusted_resolver(ctx, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_length(chain) == 2 && xmppdna_refs_count(refs) == 3); /* nothing added */

    const xmppdna_chain *chains[] = {NULL, chain};
    const xmppdna_refs *refses[] = {NULL, refs};
    xmppdna_ctx *ctxs[] = {NULL, ctx};
    for (int mask = 0; mask < 7; mask++) { /* every combination with at least one NULL */
        v = (xmppdna_verdict *)1;
        CHECK(xmppdna_verify_pki(ctxs[mask & 1], chains[(mask >> 1) & 1], refses[(mask >> 2) & 1],
                                 XMPPDNA_DIR_OUTBOUND, &v) == XMPPDNA_EMISUSE && v == NULL);
    }
    CHECK(xmppdna_verify_pki(ctx, chain, refs, XMPPDNA_DIR_OUTBOUND, NULL) == XMPPDNA_EMISUSE);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify_pki(ctx, empty, refs, XMPPDNA_DIR_OUTBOUND, &v) == XMPPDNA_EMISUSE && v == NULL);
    CHECK(xmppdna_verify_pki(ctx, chain, refs, -1, &v) == XMPPDNA_EINVAL && v == NULL);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_match(NULL, ids, refs, &v) == XMPPDNA_EMISUSE && v == NULL);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_match(ctx, NULL, refs, &v) == XMPPDNA_EMISUSE && v == NULL);
    v = (xmppdna_verdict *)1;
    CHECK(xmppdna_match(ctx, ids, NULL, &v) == XMPPDNA_EMISUSE && v == NULL);
    CHECK(xmppdna_match(ctx, ids, refs, NULL) == XMPPDNA_EMISUSE);

    CHECK(xmppdna_verify_pki(ctx, chain, refs, XMPPDNA_DIR_INBOUND, &v) == XMPPDNA_OK);
    CHECK(xmppdna_verdict_accepted(v) == 1);
    CHECK(xmppdna_verdict_json(v, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verdict_chain_error(v, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_idset_get(xmppdna_verdict_presented(v), 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    /* A handle of one kind where another belongs is refused, never reinterpreted. */
    CHECK(xmppdna_verdict_accepted((const xmppdna_verdict *)refs) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_chain_length((const xmppdna_chain *)v) == 0);
    xmppdna_verdict *other = (xmppdna_verdict *)1;
    CHECK(xmppdna_verify_pki(ctx, (const xmppdna_chain *)refs, refs, XMPPDNA_DIR_OUTBOUND, &other) == XMPPDNA_EMISUSE
          && other == NULL);
    xmppdna_verdict_free(v);

    names = (xmppdna_names *)1;
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@1") == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, 0) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup(ctx, NULL, XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EMISUSE && names == NULL);
    CHECK(xmppdna_names_lookup(ctx, "example.com", 0, &names) == XMPPDNA_EINVAL && names == NULL);
    CHECK(xmppdna_names_lookup(ctx, "example.com", 5, &names) == XMPPDNA_EINVAL && names == NULL);
    CHECK(xmppdna_names_lookup(ctx, "", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EBADNAME && names == NULL);
    CHECK(xmppdna_names_lookup(ctx, "\xff\xfe", XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_EENCODING && names == NULL);
    xmppdna_record srv = {"_xmpp-server._tcp.example.com", XMPPDNA_RR_SRV, XMPPDNA_DNSSEC_INSECURE,
                          "5 0 5269 host1.example.net."};
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &srv, 1, &names) == XMPPDNA_OK);
    CHECK(xmppdna_names_refs(names, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_json(names, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_get(names, 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_names_candidate_count(names) == 1);
    CHECK(xmppdna_names_candidate(names, 0, NULL, NULL, NULL, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_names_candidate(names, 1, NULL, NULL, NULL, NULL) == XMPPDNA_ERANGE);
    CHECK(xmppdna_names_status((const xmppdna_names *)ctx) == XMPPDNA_EMISUSE);
    xmppdna_names_free(names);

    /* Back to the system store: documented as the NULL behaviour, not a misuse. */
    CHECK(xmppdna_ctx_set_ca_file(ctx, NULL) == XMPPDNA_OK);
    free(pem);
    xmppdna_idset_free(ids);
    xmppdna_chain_free(empty);
    xmppdna_chain_free(chain);
    xmppdna_refs_free(refs);
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
    CHECK(xmppdna_ctx_set_ca_file(ctx, "") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_ca_dir(ctx, "") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_ca_dir(ctx, "\xff\xfe") == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_set_ca_dir(ctx, fixture_path("root.pem")) == XMPPDNA_ETRUST); /* a file, not a directory */
    CHECK(xmppdna_ctx_set_anchor_file(ctx, "") == XMPPDNA_ETRUST);
    CHECK(xmppdna_ctx_set_anchor_file(ctx, "\xff\xfe") == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_add_server(ctx, "") == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_trusted_resolver(ctx, "") == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_add_trusted_resolver(ctx, "\xff\xfe") == XMPPDNA_EENCODING);
    CHECK(xmppdna_ctx_add_trusted_resolver(ctx, "example.com") == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_set_trust_mode(ctx, -1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_flags(ctx, ~0u) == XMPPDNA_EINVAL && xmppdna_ctx_flags(ctx) == 0);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 60001, 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 100, -1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 60000, 10) == XMPPDNA_OK);

    /* The DNS cache bounds. */
    CHECK(xmppdna_ctx_set_cache_ttl(NULL, 5, 3600) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_cache_ttl(ctx, 10, 5) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_cache_ttl(ctx, 0, 0) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_cache_ttl(ctx, 5, 3600) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_flush_cache(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_flush_cache(ctx) == XMPPDNA_OK);

    /* Names at the length limits, through the delegation entry points too. */
    char label63[80], label64[80], long254[300];
    memset(label63, 'c', 63);
    strcpy(label63 + 63, ".example");
    memset(label64, 'c', 64);
    strcpy(label64 + 64, ".example");
    memset(long254, 'd', 254); /* 63-octet labels: 63+1+63+1+63+1+62 = 254 > 253 */
    long254[63] = long254[127] = long254[191] = '.';
    long254[254] = 0;
    xmppdna_refs *refs = NULL;
    CHECK(xmppdna_refs_new(label63, XMPPDNA_SERVICE_XMPP_CLIENT, &refs) == XMPPDNA_OK);
    CHECK(xmppdna_refs_add_name(refs, label64) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_refs_add_name(refs, long254) == XMPPDNA_EBADNAME);
    long254[253] = 0; /* 253 octets: the longest name there is */
    CHECK(xmppdna_refs_add_name(refs, long254) == XMPPDNA_OK);
    xmppdna_refs_free(refs);
    long254[253] = 'd';
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

static xmppdna_names *names_for(const char *domain, int status) {
    char owner[300];
    snprintf(owner, sizeof owner, "_xmpp-server._tcp.%s", domain);
    xmppdna_record records[] = {
        {owner, XMPPDNA_RR_SRV, status, "5 0 5269 host1.example.net."},
        {"host1.example.net", XMPPDNA_RR_A, XMPPDNA_DNSSEC_SECURE, "192.0.2.1"},
        {"host1.example.net", XMPPDNA_RR_AAAA, XMPPDNA_DNSSEC_SECURE, NULL},
    };
    xmppdna_names *names = NULL;
    CHECK(xmppdna_names_build(domain, XMPPDNA_SERVICE_XMPP_SERVER, records, 3, &names) == XMPPDNA_OK);
    return names;
}

static xmppdna_dna *dna(xmppdna_ctx *ctx, const xmppdna_chain *chain, const xmppdna_dna_request *req) {
    xmppdna_dna *v = (xmppdna_dna *)1;
    CHECK(xmppdna_verify_dna(ctx, chain, req, &v) == XMPPDNA_OK && v != NULL);
    return v;
}

static int attempt_outcome(const xmppdna_dna *v, size_t i) {
    int outcome = -1;
    CHECK(xmppdna_dna_attempt(v, i, NULL, &outcome, NULL) == XMPPDNA_OK);
    return outcome;
}

/* The DNA verdict from supplied evidence only (no DNS, no HTTPS). */
static void test_dna(void) {
    xmppdna_ctx *ctx = NULL;
    xmppdna_chain *chain = NULL, *empty = NULL;
    xmppdna_dna_request *req = NULL;
    size_t len;
    char *pem = slurp("host1-chain.pem", &len);
    char *host1_tlsa = exact_tlsa("host1.der"), *other_tlsa = exact_tlsa("full.der");
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca_file(ctx, fixture_path("root.pem")) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK && xmppdna_chain_new(&empty) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
    xmppdna_names *secure = names_for("example.com", XMPPDNA_DNSSEC_SECURE);
    xmppdna_names *insecure = names_for("insecure.example", XMPPDNA_DNSSEC_INSECURE);

    /* Virtual host with DNSSEC: DANE on the SRV target decides. */
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_set_names(req, secure) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_set_endpoint(req, "host1.example.net", 5269) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_add_tlsa(req, "host1.example.net", 5269, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_OK);
    xmppdna_dna *v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 1 && xmppdna_dna_prooftype(v) == XMPPDNA_PROOF_DANE);
    CHECK(xmppdna_dna_attempt_count(v) == 4);
    int prooftype = 0, outcome = -1;
    const char *reason = NULL, *what = NULL;
    CHECK(xmppdna_dna_attempt(v, 0, &prooftype, &outcome, &reason) == XMPPDNA_OK);
    CHECK(prooftype == XMPPDNA_PROOF_DANE && outcome == XMPPDNA_ATTEMPT_ACCEPTED && strstr(reason, "DANE-EE") != NULL);
    CHECK(attempt_outcome(v, 1) == XMPPDNA_ATTEMPT_NOT_TRIED);
    CHECK(xmppdna_dna_attempt(v, 4, NULL, NULL, NULL) == XMPPDNA_ERANGE);
    CHECK(strstr(xmppdna_dna_summary(v), "accepted by dane") == xmppdna_dna_summary(v));
    const xmppdna_verdict *pki_part = xmppdna_dna_pki(v);
    CHECK(xmppdna_verdict_accepted(pki_part) == 1); /* the secure SRV makes host1 acceptable too */
    CHECK(xmppdna_dna_dialback_strength(v) == 0);
    size_t evidence = xmppdna_dna_evidence_count(v);
    int status = -9, found_tlsa = 0;
    for (size_t i = 0; i < evidence; i++) {
        CHECK(xmppdna_dna_evidence(v, i, &what, &status) == XMPPDNA_OK);
        if (strcmp(what, "_5269._tcp.host1.example.net TLSA") == 0 && status == XMPPDNA_DNSSEC_SECURE) found_tlsa = 1;
    }
    CHECK(found_tlsa);
    CHECK(xmppdna_dna_evidence(v, evidence, &what, &status) == XMPPDNA_ERANGE);
    char *json = NULL;
    CHECK(xmppdna_dna_json(v, &json) == XMPPDNA_OK && strstr(json, "\"prooftype\":\"dane\"") != NULL);
    xmppdna_free(json);
    xmppdna_dna_free(v);

    /* A secure TLSA that names another certificate rejects, PKI or not. */
    xmppdna_dna_request_free(req);
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_set_names(req, secure) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_add_tlsa(req, NULL, 0, other_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_OK);
    v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 0 && xmppdna_dna_prooftype(v) == 0);
    CHECK(attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_REJECTED && attempt_outcome(v, 1) == XMPPDNA_ATTEMPT_NOT_TRIED);
    /* A refused call leaves a caller's zeroed outcome as it was, and zero
     * never reads as accepted (the values changed in 0.2.0). */
    int unset = 0;
    CHECK(xmppdna_dna_attempt(v, 99, NULL, &unset, NULL) == XMPPDNA_ERANGE && unset != XMPPDNA_ATTEMPT_ACCEPTED);
    xmppdna_dna_free(v);
    /* The same record, bogus: still a rejection. */
    xmppdna_dna_request_free(req);
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_add_tlsa(req, NULL, 0, host1_tlsa, XMPPDNA_DNSSEC_BOGUS) == XMPPDNA_OK);
    v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 0 && strstr(xmppdna_dna_summary(v), "bogus") != NULL);
    xmppdna_dna_free(v);

    /* Unsigned virtual host: only POSH can prove it; then dialback, weak. */
    xmppdna_dna_request_free(req);
    CHECK(xmppdna_dna_request_new("insecure.example", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_INBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_set_names(req, insecure) == XMPPDNA_OK);
    v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 0);
    xmppdna_dna_free(v);
    size_t posh_len;
    char *posh = slurp("posh-host1.json", &posh_len);
    CHECK(xmppdna_dna_request_set_posh(req, posh, posh_len) == XMPPDNA_OK);
    v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 1 && xmppdna_dna_prooftype(v) == XMPPDNA_PROOF_POSH);
    xmppdna_dna_free(v);
    CHECK(xmppdna_dna_request_set_posh(req, "{\"fingerprints\":[]}", 19) == XMPPDNA_OK);
    int dialback_only[] = {XMPPDNA_PROOF_DIALBACK};
    int posh_only[] = {XMPPDNA_PROOF_POSH};
    CHECK(xmppdna_dna_request_set_prooftypes(req, posh_only, 1) == XMPPDNA_OK);
    v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 0 && attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_NOT_APPLICABLE);
    xmppdna_dna_attempt(v, 0, NULL, NULL, &reason);
    CHECK(strstr(reason, "malformed POSH document") != NULL);
    xmppdna_dna_free(v);
    CHECK(xmppdna_dna_request_set_prooftypes(req, dialback_only, 1) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_set_dialback(req, XMPPDNA_DIALBACK_VERIFIED) == XMPPDNA_OK);
    v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 1 && xmppdna_dna_dialback_strength(v) == XMPPDNA_DIALBACK_WEAK);
    xmppdna_dna_free(v);
    CHECK(xmppdna_dna_request_set_flags(req, XMPPDNA_DNA_REFUSE_WEAK_DIALBACK) == XMPPDNA_OK);
    v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 0);
    xmppdna_dna_free(v);

    /* One parsed chain, several domains of one stream. */
    xmppdna_dna_request *other = NULL;
    CHECK(xmppdna_dna_request_new("example.org", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_INBOUND, &other) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_add_name(other, "host1.example.net") == XMPPDNA_OK);
    int pki_only[] = {XMPPDNA_PROOF_PKI};
    CHECK(xmppdna_dna_request_set_prooftypes(other, pki_only, 1) == XMPPDNA_OK);
    v = dna(ctx, chain, other);
    CHECK(xmppdna_dna_accepted(v) == 1 && xmppdna_dna_prooftype(v) == XMPPDNA_PROOF_PKI);
    xmppdna_dna_free(v);

    /* POSH fetch against nothing listening: an answer, not an error. */
    CHECK(xmppdna_ctx_set_posh(ctx, "https://127.0.0.1:1", 500) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_set_prooftypes(other, posh_only, 1) == XMPPDNA_OK);
    v = dna(ctx, chain, other);
    CHECK(xmppdna_dna_accepted(v) == 0 && attempt_outcome(v, 0) == XMPPDNA_ATTEMPT_NOT_APPLICABLE);
    xmppdna_dna_attempt(v, 0, NULL, NULL, &reason);
    CHECK(strstr(reason, "cannot connect to 127.0.0.1 port 1") != NULL);
    xmppdna_dna_free(v);

    /* Bad input, each alone. */
    xmppdna_dna_request *bad = (xmppdna_dna_request *)1;
    CHECK(xmppdna_dna_request_new("example.com", 9, XMPPDNA_DIR_OUTBOUND, &bad) == XMPPDNA_EINVAL && bad == NULL);
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, 7, &bad) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_new("exa mple.com", XMPPDNA_SERVICE_XMPP_SERVER, 0, &bad) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_dna_request_new("\xff", XMPPDNA_SERVICE_XMPP_SERVER, 0, &bad) == XMPPDNA_EENCODING);
    CHECK(xmppdna_dna_request_new(NULL, XMPPDNA_SERVICE_XMPP_SERVER, 0, &bad) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, 0, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_request_set_endpoint(req, "host1.example.net", 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_set_endpoint(req, "host1.example.net", 65536) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_set_endpoint(req, "bad..name", 5269) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_dna_request_set_endpoint(req, NULL, 5269) == XMPPDNA_EMISUSE);
    int unknown[] = {9}, repeated[] = {XMPPDNA_PROOF_PKI, XMPPDNA_PROOF_PKI};
    int all[] = {XMPPDNA_PROOF_DANE, XMPPDNA_PROOF_PKI, XMPPDNA_PROOF_POSH, XMPPDNA_PROOF_DIALBACK, XMPPDNA_PROOF_DANE};
    CHECK(xmppdna_dna_request_set_prooftypes(req, unknown, 1) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_set_prooftypes(req, repeated, 2) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_set_prooftypes(req, all, 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_set_prooftypes(req, all, 5) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_set_prooftypes(req, NULL, 1) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_request_set_names(req, secure) == XMPPDNA_EINVAL); /* names of another domain */
    CHECK(xmppdna_dna_request_set_names(req, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_request_set_names(req, (const xmppdna_names *)chain) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_request_add_tlsa(req, "host1.example.net", 5269, "3 1 1 zz", XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_dna_request_add_tlsa(req, "host1.example.net", 5269, host1_tlsa, 9) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_add_tlsa(req, "host1.example.net", 0, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_add_tlsa(req, NULL, 5269, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_add_tlsa(req, NULL, 0, NULL, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_request_set_posh(req, NULL, 3) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_request_set_dialback(req, 3) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_set_flags(req, 0x80u) == XMPPDNA_EINVAL);
    CHECK(xmppdna_dna_request_add_name(req, "") == XMPPDNA_EBADNAME);
    CHECK(xmppdna_dna_request_add_name(NULL, "a.example") == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_posh(ctx, "http://127.0.0.1:1", 500) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_set_posh(ctx, "https://127.0.0.1:1/path", 500) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_ctx_set_posh(ctx, NULL, 0) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_posh(ctx, NULL, 60001) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_posh(NULL, NULL, 500) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_posh(ctx, NULL, 500) == XMPPDNA_OK);
    v = (xmppdna_dna *)1;
    CHECK(xmppdna_verify_dna(ctx, empty, req, &v) == XMPPDNA_EMISUSE && v == NULL);
    v = (xmppdna_dna *)1;
    CHECK(xmppdna_verify_dna(NULL, chain, req, &v) == XMPPDNA_EMISUSE && v == NULL);
    CHECK(xmppdna_verify_dna(ctx, chain, NULL, &v) == XMPPDNA_EMISUSE && v == NULL);
    CHECK(xmppdna_verify_dna(ctx, chain, (const xmppdna_dna_request *)chain, &v) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify_dna(ctx, chain, req, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_accepted(NULL) == XMPPDNA_EMISUSE && xmppdna_dna_prooftype(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_summary(NULL) == NULL && xmppdna_dna_pki(NULL) == NULL);
    CHECK(xmppdna_dna_attempt_count(NULL) == 0 && xmppdna_dna_evidence_count(NULL) == 0);
    CHECK(xmppdna_dna_attempt(NULL, 0, NULL, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_evidence(NULL, 0, NULL, NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_dialback_strength(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_dna_json(NULL, &json) == XMPPDNA_EMISUSE && json == NULL);
    CHECK(xmppdna_dna_accepted((const xmppdna_dna *)req) == XMPPDNA_EMISUSE);
    xmppdna_dna_free(NULL);
    xmppdna_dna_free((xmppdna_dna *)req); /* the wrong kind: left alone */
    xmppdna_dna_request_free(NULL);

    xmppdna_dna_request_free(other);
    xmppdna_dna_request_free(req);
    xmppdna_names_free(secure);
    xmppdna_names_free(insecure);
    xmppdna_chain_free(empty);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    free(posh);
    free(pem);
    free(host1_tlsa);
    free(other_tlsa);
}

struct tally { int called, accepted, failed; };

static void on_dna(void *userdata, int rc, xmppdna_dna *verdict) {
    struct tally *t = userdata;
    t->called++;
    if (rc == XMPPDNA_OK && xmppdna_dna_accepted(verdict) == 1) t->accepted++;
    if (rc != XMPPDNA_OK) t->failed++;
    xmppdna_dna_free(verdict);
}

static void on_names(void *userdata, int rc, xmppdna_names *names) {
    struct tally *t = userdata;
    t->called++;
    if (rc == XMPPDNA_OK && xmppdna_names_status(names) == XMPPDNA_DNSSEC_INDETERMINATE) t->accepted++;
    xmppdna_names_free(names);
}

/* Async: results only through xmppdna_process on this thread, cancel means
 * no callback, inputs may be freed at once, ctx_free drops pending queries. */
static void test_async(void) {
    enum { N = 200 };
    xmppdna_ctx *ctx = NULL;
    xmppdna_chain *chain = NULL;
    xmppdna_dna_request *req = NULL;
    size_t len;
    char *pem = slurp("host1-chain.pem", &len);
    char *host1_tlsa = exact_tlsa("host1.der");
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca_file(ctx, fixture_path("root.pem")) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_threads(ctx, 0) == XMPPDNA_EINVAL && xmppdna_ctx_set_threads(ctx, 65) == XMPPDNA_EINVAL);
    CHECK(xmppdna_ctx_set_threads(NULL, 2) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_ctx_set_threads(ctx, 2) == XMPPDNA_OK);
    CHECK(xmppdna_process(ctx) == 0); /* nothing submitted yet */
    int fd = xmppdna_fd(ctx);
    CHECK(fd >= 0 && xmppdna_fd(ctx) == fd);
    CHECK(xmppdna_fd(NULL) == XMPPDNA_EMISUSE && xmppdna_process(NULL) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_wait(NULL) == XMPPDNA_EMISUSE && xmppdna_cancel(NULL, 1) == XMPPDNA_EMISUSE);

    struct tally tally = {0, 0, 0};
    int ids[N];
    for (int i = 0; i < N; i++) {
        /* Fresh inputs each time, freed right after submitting. */
        CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK && xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
        CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
        CHECK(xmppdna_dna_request_add_tlsa(req, NULL, 0, host1_tlsa, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_OK);
        ids[i] = 0;
        CHECK(xmppdna_verify_dna_async(ctx, chain, req, on_dna, &tally, &ids[i]) == XMPPDNA_OK && ids[i] > 0);
        xmppdna_dna_request_free(req);
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
    CHECK(tally.called == N / 2 && tally.accepted == N / 2 && tally.failed == 0);
    CHECK(xmppdna_cancel(ctx, ids[1]) == XMPPDNA_ENOTFOUND);  /* delivered */
    CHECK(xmppdna_cancel(ctx, ids[0]) == XMPPDNA_ENOTFOUND);  /* cancelled already */
    CHECK(xmppdna_cancel(ctx, 0x7fffffff) == XMPPDNA_ENOTFOUND);

    /* Bad arguments are reported at submit time, never through the callback. */
    int id = -1;
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_verify_dna_async(ctx, chain, req, on_dna, &tally, &id) == XMPPDNA_EMISUSE && id == -1); /* empty chain */
    CHECK(xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
    CHECK(xmppdna_verify_dna_async(ctx, chain, req, NULL, &tally, &id) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify_dna_async(NULL, chain, req, on_dna, &tally, &id) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_verify_dna_async(ctx, chain, (const xmppdna_dna_request *)chain, on_dna, &tally, &id) == XMPPDNA_EMISUSE);
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_names, &tally, &id) == XMPPDNA_ENOSERVER);
    CHECK(xmppdna_names_lookup_async(ctx, "bad..name", XMPPDNA_SERVICE_XMPP_SERVER, on_names, &tally, &id) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", 9, on_names, &tally, &id) == XMPPDNA_EINVAL);
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, NULL, &tally, &id) == XMPPDNA_EMISUSE);
    CHECK(id == -1);

    /* A lookup against nothing: an answer (indeterminate), through xmppdna_wait. */
    struct tally names_tally = {0, 0, 0};
    CHECK(xmppdna_ctx_add_server(ctx, "127.0.0.1@1") == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_dns_timeout(ctx, 50, 0) == XMPPDNA_OK);
    CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_names, &names_tally, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_verify_dna_async(ctx, chain, req, on_dna, &tally, NULL) == XMPPDNA_OK);
    CHECK(xmppdna_wait(ctx) == 2);
    CHECK(names_tally.called == 1 && names_tally.accepted == 1);
    CHECK(xmppdna_wait(ctx) == 0 && xmppdna_process(ctx) == 0);

    /* Freed with queries pending: no callback, no leak (valgrind checks). */
    for (int i = 0; i < 20; i++) {
        CHECK(xmppdna_names_lookup_async(ctx, "example.com", XMPPDNA_SERVICE_XMPP_SERVER, on_names, &names_tally, NULL) == XMPPDNA_OK);
        CHECK(xmppdna_verify_dna_async(ctx, chain, req, on_dna, &tally, NULL) == XMPPDNA_OK);
    }
    int before = names_tally.called + tally.called;
    xmppdna_dna_request_free(req);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    CHECK(names_tally.called + tally.called == before);
    free(pem);
    free(host1_tlsa);
}

/* Hostile sizes: 10,000 SANs, a 1 MiB chain, 1 MiB names and garbage. Each
 * gets its documented code or a verdict, never a crash. */
static void test_huge_inputs(void) {
    xmppdna_ctx *ctx = NULL;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca_file(ctx, fixture_path("root.pem")) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    xmppdna_refs *refs = NULL, *other = NULL;
    CHECK(xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs) == XMPPDNA_OK);
    CHECK(xmppdna_refs_new("nomatch.example", XMPPDNA_SERVICE_XMPP_SERVER, &other) == XMPPDNA_OK);

    /* 10,000 SANs: all presented, the last one matches. */
    size_t der_len, inter_len;
    char *der = slurp("many-sans.der", &der_len);
    char *inter = slurp("inter.pem", &inter_len);
    xmppdna_chain *chain = NULL;
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_der(chain, der, der_len) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_pem(chain, inter, inter_len) == XMPPDNA_OK);
    xmppdna_idset *ids = NULL;
    CHECK(xmppdna_chain_idset(chain, &ids) == XMPPDNA_OK);
    CHECK(xmppdna_idset_count(ids) >= 10000);
    xmppdna_verdict *v = NULL;
    CHECK(xmppdna_verify_pki(ctx, chain, refs, XMPPDNA_DIR_OUTBOUND, &v) == XMPPDNA_OK && xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_verify_pki(ctx, chain, other, XMPPDNA_DIR_OUTBOUND, &v) == XMPPDNA_OK && xmppdna_verdict_accepted(v) == 0);
    char *json = NULL;
    CHECK(xmppdna_verdict_json(v, &json) == XMPPDNA_OK && strlen(json) > 10000 * 10);
    xmppdna_free(json);
    xmppdna_verdict_free(v);
    CHECK(xmppdna_match(ctx, ids, other, &v) == XMPPDNA_OK && xmppdna_verdict_accepted(v) == 0);
    xmppdna_verdict_free(v);
    xmppdna_idset_free(ids);
    xmppdna_chain_free(chain);

    /* A 1 MiB PEM bundle: the full chain over and over. */
    size_t one_len;
    char *one = slurp("full-chain.pem", &one_len);
    size_t copies = (1u << 20) / one_len + 1, big_len = copies * one_len;
    char *big = malloc(big_len);
    for (size_t i = 0; i < copies; i++) memcpy(big + i * one_len, one, one_len);
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK);
    CHECK(xmppdna_chain_add_pem(chain, big, big_len) == XMPPDNA_OK);
    CHECK(xmppdna_chain_length(chain) == copies * 2);
    CHECK(xmppdna_verify_pki(ctx, chain, refs, XMPPDNA_DIR_OUTBOUND, &v) == XMPPDNA_OK && xmppdna_verdict_accepted(v) == 1);
    xmppdna_verdict_free(v);
    /* 1 MiB of DER-looking garbage, and a bundle cut mid-certificate: refused whole. */
    memset(big, 0x30, big_len);
    CHECK(xmppdna_chain_add_der(chain, big, big_len) == XMPPDNA_EBADCERT);
    for (size_t i = 0; i < copies; i++) memcpy(big + i * one_len, one, one_len);
    CHECK(xmppdna_chain_add_pem(chain, big, big_len - one_len / 2) == XMPPDNA_EBADCERT);
    CHECK(xmppdna_chain_length(chain) == copies * 2);
    xmppdna_chain_free(chain);

    /* 1 MiB names, with and without NUL bytes inside. */
    memset(big, 'a', big_len);
    big[big_len - 1] = 0;
    xmppdna_refs *r = NULL;
    CHECK(xmppdna_refs_new(big, XMPPDNA_SERVICE_XMPP_SERVER, &r) == XMPPDNA_EBADNAME && r == NULL);
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_DNS, big, big_len - 1) == XMPPDNA_EBADNAME);
    big[1000] = 0; /* too long is found before the NUL: no scan of a megabyte */
    CHECK(xmppdna_refs_add(refs, XMPPDNA_ID_DNS, big, big_len - 1) == XMPPDNA_EBADNAME);
    xmppdna_names *names = NULL;
    big[1000] = 'a';
    CHECK(xmppdna_names_build(big, XMPPDNA_SERVICE_XMPP_SERVER, NULL, 0, &names) == XMPPDNA_EBADNAME && names == NULL);
    xmppdna_dna_request *req = NULL;
    CHECK(xmppdna_dna_request_new(big, XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_add_tlsa(req, NULL, 0, big, XMPPDNA_DNSSEC_SECURE) == XMPPDNA_EBADNAME);
    CHECK(xmppdna_dna_request_set_posh(req, big, big_len) == XMPPDNA_OK); /* judged, and refused, by the POSH attempt */
    xmppdna_dna_request_free(req);

    free(big);
    free(one);
    free(der);
    free(inter);
    xmppdna_refs_free(refs);
    xmppdna_refs_free(other);
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
    CHECK(xmppdna_names_build("example.com", XMPPDNA_SERVICE_XMPP_SERVER, records, 3, &names) == XMPPDNA_OK);
    CHECK(xmppdna_names_status(names) != XMPPDNA_DNSSEC_SECURE);
    CHECK(xmppdna_names_count(names) == 1); /* nothing delegated */
    xmppdna_names_free(names);
    free(records);

    xmppdna_ctx *ctx = NULL;
    xmppdna_chain *chain = NULL;
    xmppdna_dna_request *req = NULL;
    size_t len;
    char *pem = slurp("host1-chain.pem", &len), *host1_tlsa = exact_tlsa("host1.der");
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK && xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK && xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
    names = names_for("example.com", XMPPDNA_DNSSEC_SECURE);
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_set_names(req, names) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_set_endpoint(req, "host1.example.net", 5269) == XMPPDNA_OK);
    int zero = 0; /* a status nobody set */
    CHECK(xmppdna_dna_request_add_tlsa(req, "host1.example.net", 5269, host1_tlsa, zero) == XMPPDNA_OK);
    xmppdna_dna *v = dna(ctx, chain, req);
    CHECK(xmppdna_dna_accepted(v) == 0 && xmppdna_dna_prooftype(v) != XMPPDNA_PROOF_DANE);
    const char *what = NULL;
    int status = -9;
    for (size_t i = 0; i < xmppdna_dna_evidence_count(v); i++) {
        CHECK(xmppdna_dna_evidence(v, i, &what, &status) == XMPPDNA_OK);
        if (strstr(what, "TLSA") != NULL) CHECK(status != XMPPDNA_DNSSEC_SECURE);
    }
    xmppdna_dna_free(v);
    xmppdna_names_free(names);
    xmppdna_dna_request_free(req);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    free(pem);
    free(host1_tlsa);
}

/* Borrowed handles handed to a destructor are refused, not released: the
 * lender stays usable and frees them once. */
static void test_borrowed_handles_are_not_freed(void) {
    xmppdna_ctx *ctx = NULL;
    CHECK(xmppdna_ctx_new(&ctx) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_ca_file(ctx, fixture_path("root.pem")) == XMPPDNA_OK);
    CHECK(xmppdna_ctx_set_time(ctx, AT) == XMPPDNA_OK);
    xmppdna_verdict *v = verify(ctx, "full-chain.pem", "example.com", NULL);
    size_t count = xmppdna_idset_count(xmppdna_verdict_presented(v));
    for (int i = 0; i < 3; i++) xmppdna_idset_free((xmppdna_idset *)xmppdna_verdict_presented(v));
    CHECK(count >= 6 && xmppdna_idset_count(xmppdna_verdict_presented(v)) == count);
    xmppdna_verdict_free(v);

    xmppdna_chain *chain = NULL;
    xmppdna_dna_request *req = NULL;
    size_t len;
    char *pem = slurp("full-chain.pem", &len);
    CHECK(xmppdna_chain_new(&chain) == XMPPDNA_OK && xmppdna_chain_add_pem(chain, pem, len) == XMPPDNA_OK);
    CHECK(xmppdna_dna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req) == XMPPDNA_OK);
    xmppdna_dna *d = dna(ctx, chain, req);
    for (int i = 0; i < 3; i++) xmppdna_verdict_free((xmppdna_verdict *)xmppdna_dna_pki(d));
    CHECK(xmppdna_verdict_accepted(xmppdna_dna_pki(d)) == 1);
    xmppdna_idset_free((xmppdna_idset *)xmppdna_verdict_presented(xmppdna_dna_pki(d)));
    CHECK(xmppdna_idset_count(xmppdna_verdict_presented(xmppdna_dna_pki(d))) == count);
    xmppdna_dna_free(d);
    xmppdna_dna_request_free(req);
    xmppdna_chain_free(chain);
    xmppdna_ctx_free(ctx);
    free(pem);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s PKI_DIR\n", argv[0]); return 2; }
    pki = argv[1];
    test_version_and_errors();
    test_null_everywhere();
    test_bad_names();
    test_bad_certificates();
    test_context();
    test_verdicts();
    test_names_from_records();
    test_dns_settings();
    test_each_null_alone();
    test_context_strings();
    test_dna();
    test_async();
    test_huge_inputs();
    test_zero_status_is_not_secure();
    test_borrowed_handles_are_not_freed();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
