#include "xmppdna_shim.h"
#include <sys/eventfd.h>

int xdna_shim_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

GENERAL_NAME *xdna_shim_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int i) {
    return sk_GENERAL_NAME_value(names, i);
}

void xdna_shim_GENERAL_NAMES_free(GENERAL_NAMES *names) {
    GENERAL_NAMES_free(names);
}

void xdna_shim_OPENSSL_free(void *p) {
    OPENSSL_free(p);
}

GENERAL_NAMES *xdna_shim_X509_get_subject_alt_names(const X509 *cert, int *crit) {
    return X509_get_ext_d2i(cert, NID_subject_alt_name, crit, NULL);
}

NAME_CONSTRAINTS *xdna_shim_X509_get_name_constraints(const X509 *cert, int *crit) {
    return X509_get_ext_d2i(cert, NID_name_constraints, crit, NULL);
}

void xdna_shim_NAME_CONSTRAINTS_free(NAME_CONSTRAINTS *constraints) {
    NAME_CONSTRAINTS_free(constraints);
}

int xdna_shim_sk_GENERAL_SUBTREE_num(const STACK_OF(GENERAL_SUBTREE) *subtrees) {
    return sk_GENERAL_SUBTREE_num(subtrees);
}

GENERAL_SUBTREE *xdna_shim_sk_GENERAL_SUBTREE_value(const STACK_OF(GENERAL_SUBTREE) *subtrees, int i) {
    return sk_GENERAL_SUBTREE_value(subtrees, i);
}

STACK_OF(X509) *xdna_shim_sk_X509_new_null(void) {
    return sk_X509_new_null();
}

int xdna_shim_sk_X509_push(STACK_OF(X509) *stack, X509 *cert) {
    return sk_X509_push(stack, cert);
}

void xdna_shim_sk_X509_free(STACK_OF(X509) *stack) {
    sk_X509_free(stack);
}

int xdna_shim_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
X509 *xdna_shim_sk_X509_value(const STACK_OF(X509) *stack, int i) { return sk_X509_value(stack, i); }

int xdna_shim_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

int xdna_shim_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

void xdna_shim_SSL_CTX_ignore_unexpected_eof(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
}

int xdna_shim_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/* The subtrees of `from` that are not otherNames of the XMPP kinds, as a
 * shallow stack (the subtrees stay `from`'s). */
static STACK_OF(GENERAL_SUBTREE) *xdna_without_xmpp_othernames(STACK_OF(GENERAL_SUBTREE) *from,
                                                               const ASN1_OBJECT *srv, const ASN1_OBJECT *xmpp) {
    STACK_OF(GENERAL_SUBTREE) *kept = sk_GENERAL_SUBTREE_new_null();
    if (kept == NULL || from == NULL) return kept;
    for (int i = 0; i < sk_GENERAL_SUBTREE_num(from); i++) {
        GENERAL_SUBTREE *subtree = sk_GENERAL_SUBTREE_value(from, i);
        const GENERAL_NAME *base = subtree->base;
        if (base != NULL && base->type == GEN_OTHERNAME && base->d.otherName != NULL
            && (OBJ_cmp(base->d.otherName->type_id, srv) == 0 || OBJ_cmp(base->d.otherName->type_id, xmpp) == 0))
            continue;
        if (!sk_GENERAL_SUBTREE_push(kept, subtree)) {
            sk_GENERAL_SUBTREE_free(kept);
            return NULL;
        }
    }
    return kept;
}

static int xdna_has_dns_san(const X509 *cert) {
    GENERAL_NAMES *names = xdna_shim_X509_get_subject_alt_names(cert, NULL);
    int found = 0;
    for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names); i++)
        found |= sk_GENERAL_NAME_value(names, i)->type == GEN_DNS;
    GENERAL_NAMES_free(names);
    return found;
}

int xdna_shim_verify_callback(int ok, X509_STORE_CTX *ctx) {
    if (ok) return 1;
    if (X509_STORE_CTX_get_error(ctx) != X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE) return 0;
    int depth = X509_STORE_CTX_get_error_depth(ctx);
    X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    /* Static objects: nothing to free. */
    const ASN1_OBJECT *srv = OBJ_nid2obj(NID_SRVName), *xmpp = OBJ_nid2obj(NID_XmppAddr);
    int result = cert != NULL && chain != NULL && srv != NULL && xmpp != NULL;
    /* Every CA above: its constraints, less the XMPP otherName subtrees that
     * the library evaluates itself, as OpenSSL's check_name_constraints
     * would have applied them (the CN too, for a leaf without a DNS SAN). */
    for (int j = depth + 1; result && j < sk_X509_num(chain); j++) {
        int critical = 0;
        NAME_CONSTRAINTS *nc = xdna_shim_X509_get_name_constraints(sk_X509_value(chain, j), &critical);
        if (nc == NULL) {
            if (critical != -1) result = 0;
            continue;
        }
        NAME_CONSTRAINTS reduced = { 0 };
        reduced.permittedSubtrees = xdna_without_xmpp_othernames(nc->permittedSubtrees, srv, xmpp);
        reduced.excludedSubtrees = xdna_without_xmpp_othernames(nc->excludedSubtrees, srv, xmpp);
        int rv = X509_V_ERR_OUT_OF_MEM;
        if (reduced.permittedSubtrees != NULL && reduced.excludedSubtrees != NULL) {
            rv = NAME_CONSTRAINTS_check(cert, &reduced);
            if (rv == X509_V_OK && depth == 0 && !xdna_has_dns_san(cert)) rv = NAME_CONSTRAINTS_check_CN(cert, &reduced);
        }
        sk_GENERAL_SUBTREE_free(reduced.permittedSubtrees);
        sk_GENERAL_SUBTREE_free(reduced.excludedSubtrees);
        NAME_CONSTRAINTS_free(nc);
        if (rv != X509_V_OK) {
            X509_STORE_CTX_set_error(ctx, rv);
            result = 0;
        }
    }
    return result;
}

/* One TLV at *cursor within end: its tag and constructed flag must be as
 * asked, its length definite and inside end. Moves *cursor to the content. */
static int xdna_der_header(const unsigned char **cursor, const unsigned char *end, int tag, int constructed,
                           long *content_length) {
    int got_tag, got_class;
    long length;
    const unsigned char *p = *cursor;
    int flags = ASN1_get_object(&p, &length, &got_tag, &got_class, end - *cursor);
    if (flags & 0x80) return 0;                               /* malformed or longer than the input */
    if (flags == (V_ASN1_CONSTRUCTED | 1)) return 0;          /* indefinite length: BER, not DER */
    if (got_class != V_ASN1_UNIVERSAL || got_tag != tag || ((flags & V_ASN1_CONSTRUCTED) != 0) != constructed) return 0;
    *cursor = p;
    *content_length = length;
    return 1;
}

static int xdna_der_certificate_shaped(const unsigned char *der, long length) {
    const unsigned char *cursor = der, *end = der + length;
    long content;
    if (!xdna_der_header(&cursor, end, V_ASN1_SEQUENCE, 1, &content) || cursor + content != end) return 0;
    static const int parts[][2] = {{V_ASN1_SEQUENCE, 1}, {V_ASN1_SEQUENCE, 1}, {V_ASN1_BIT_STRING, 0}};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!xdna_der_header(&cursor, end, parts[i][0], parts[i][1], &content)) return 0;
        cursor += content;
    }
    return cursor == end;
}

int xdna_shim_der_is_certificate_shaped(const unsigned char *der, long length) {
    if (der == NULL || length <= 0) return 0;
    /* ASN1_get_object queues errors; the answer is the return value. */
    ERR_set_mark();
    int shaped = xdna_der_certificate_shaped(der, length);
    ERR_pop_to_mark();
    return shaped;
}
