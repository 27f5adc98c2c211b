#ifndef XMPPDNA_SHIM_H
#define XMPPDNA_SHIM_H
/* OpenSSL for Swift: the headers, plus real functions for the macros and
 * type-generic stack helpers that the Swift importer cannot see; and the
 * one Linux call Swift's Glibc module lacks (eventfd). */
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

int xdna_shim_sk_GENERAL_NAME_num(const GENERAL_NAMES *names);
GENERAL_NAME *xdna_shim_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int i);
void xdna_shim_GENERAL_NAMES_free(GENERAL_NAMES *names);
void xdna_shim_OPENSSL_free(void *p);
/* The leaf's subjectAltName, or NULL (none, or undecodable: *crit says
 * which, as X509_get_ext_d2i does). Free with ..._GENERAL_NAMES_free. */
GENERAL_NAMES *xdna_shim_X509_get_subject_alt_names(const X509 *cert, int *crit);

/* A CA's nameConstraints, or NULL (none, or undecodable: *crit says which).
 * Free with ..._NAME_CONSTRAINTS_free. */
NAME_CONSTRAINTS *xdna_shim_X509_get_name_constraints(const X509 *cert, int *crit);
void xdna_shim_NAME_CONSTRAINTS_free(NAME_CONSTRAINTS *constraints);
int xdna_shim_sk_GENERAL_SUBTREE_num(const STACK_OF(GENERAL_SUBTREE) *subtrees);
GENERAL_SUBTREE *xdna_shim_sk_GENERAL_SUBTREE_value(const STACK_OF(GENERAL_SUBTREE) *subtrees, int i);

/* A verify callback that takes "unsupported name constraint type" back when
 * only SRVName or XmppAddr subtrees caused it: it reruns OpenSSL's name
 * constraint check of that certificate without them (the library judges
 * those forms itself, in NameConstraints), and fails with what that says. */
int xdna_shim_verify_callback(int ok, X509_STORE_CTX *ctx);

STACK_OF(X509) *xdna_shim_sk_X509_new_null(void);
int xdna_shim_sk_X509_push(STACK_OF(X509) *stack, X509 *cert);
void xdna_shim_sk_X509_free(STACK_OF(X509) *stack);

int xdna_shim_sk_X509_num(const STACK_OF(X509) *stack);
X509 *xdna_shim_sk_X509_value(const STACK_OF(X509) *stack, int i);

/* TLS client pieces for the POSH fetch that OpenSSL defines as macros. */
int xdna_shim_SSL_set_tlsext_host_name(SSL *ssl, const char *name);
int xdna_shim_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
void xdna_shim_SSL_CTX_ignore_unexpected_eof(SSL_CTX *ctx);

/* 1 when der is exactly one definite-length DER SEQUENCE holding a
 * SEQUENCE (the TBSCertificate), a SEQUENCE (the signature algorithm) and
 * a BIT STRING, nothing after it; 0 otherwise. A check of the shape only,
 * by OpenSSL's ASN1_get_object: the full decode (d2i_X509) waits until a
 * verdict reads the certificate. */
int xdna_shim_der_is_certificate_shaped(const unsigned char *der, long length);

/* An eventfd (non-blocking, close-on-exec) for the async completion
 * queue; <sys/eventfd.h> is not in Swift's Glibc module. */
int xdna_shim_eventfd(void);

#endif
