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
