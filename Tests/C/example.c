/* The README's example: does CHAIN.pem prove DOMAIN by PKI (optionally
 * through a delegated NAME)?   Usage: example CHAIN.pem DOMAIN CA.pem UNIX_TIME [NAME]
 * Build: cc example.c $(pkg-config --cflags --libs xmppdna) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xmppdna.h>

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size);
    if (data && fread(data, 1, (size_t)size, f) != (size_t)size) { free(data); data = NULL; }
    fclose(f);
    *len = (size_t)size;
    return data;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s CHAIN.pem DOMAIN CA.pem UNIX_TIME [NAME]\n", argv[0]); return 2; }
    size_t len = 0;
    char *pem = slurp(argv[1], &len);
    if (!pem) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }

    xmppdna_ctx *ctx = NULL;
    xmppdna_request *req = NULL;
    xmppdna_chain *chain = NULL;
    xmppdna_verdict *verdict = NULL;
    const int pki_only[] = {XMPPDNA_PROOF_PKI};
    int rc, accepted = 0;

    if ((rc = xmppdna_ctx_new(&ctx)) != XMPPDNA_OK ||
        (rc = xmppdna_ctx_set_ca(ctx, argv[3], NULL)) != XMPPDNA_OK ||
        (rc = xmppdna_ctx_set_time(ctx, strtoll(argv[4], NULL, 10))) != XMPPDNA_OK ||
        (rc = xmppdna_request_new(argv[2], XMPPDNA_SERVICE_XMPP_SERVER, XMPPDNA_DIR_OUTBOUND, &req)) != XMPPDNA_OK ||
        (rc = xmppdna_request_set_prooftypes(req, pki_only, 1)) != XMPPDNA_OK ||
        (rc = xmppdna_request_set_flags(req, XMPPDNA_REQUEST_NO_LOOKUPS)) != XMPPDNA_OK ||
        (argc > 5 && (rc = xmppdna_request_add_ref(req, XMPPDNA_ID_NAME, argv[5], strlen(argv[5]))) != XMPPDNA_OK) ||
        (rc = xmppdna_chain_new(&chain)) != XMPPDNA_OK ||
        (rc = xmppdna_chain_add_pem(chain, pem, len)) != XMPPDNA_OK ||
        (rc = xmppdna_verify(ctx, chain, req, &verdict)) != XMPPDNA_OK) {
        fprintf(stderr, "error: %s\n", xmppdna_strerror(rc));
    } else {
        char *json = NULL;
        xmppdna_finding finding;
        accepted = xmppdna_verdict_accepted(verdict) == 1;
        printf("%s\n", xmppdna_verdict_summary(verdict));
        for (size_t i = 0; i < xmppdna_verdict_finding_count(verdict); i++)
            if (xmppdna_verdict_finding_get(verdict, i, &finding) == XMPPDNA_OK)
                printf("  [%d] %s\n", finding.code, finding.text);
        if (xmppdna_verdict_json(verdict, &json) == XMPPDNA_OK) {
            printf("%s\n", json);
            xmppdna_free(json);
        }
    }
    xmppdna_verdict_free(verdict);
    xmppdna_chain_free(chain);
    xmppdna_request_free(req);
    xmppdna_ctx_free(ctx);
    free(pem);
    return accepted ? 0 : 1;
}
