/*
 * xmppdna.h -- XMPP Domain Name Associations: delegation and identity.
 *
 * This header is the contract. Anything not declared here is not API.
 *
 * xmppdna answers two questions about a peer XMPP domain:
 *
 *   Delegation: which names may the peer's certificate carry?  (DNSSEC-
 *               secured SRV delegation, RFC 7673, validated inside the
 *               library with ldns: xmppdna_names_*.)
 *   Identity:   does the presented certificate prove the domain?  (RFC 7712
 *               prooftypes; this release implements PKI: RFC 6120 section
 *               13.7.2 with RFC 9525 matching and OpenSSL chain checks.)
 *
 * USAGE
 *
 *   1. Create a context once, configure it, share it between threads:
 *
 *        xmppdna_ctx *ctx;
 *        xmppdna_ctx_new(&ctx);
 *        xmppdna_ctx_set_ca_file(ctx, "/etc/ssl/certs/ca-certificates.crt");
 *
 *   2. For every connection, describe whom you expect (the reference
 *      identifiers) and what the peer presented (the chain):
 *
 *        xmppdna_refs *refs;
 *        xmppdna_refs_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER, &refs);
 *        xmppdna_refs_add_name(refs, "host1.example.net");   // delegated
 *
 *        xmppdna_chain *chain;
 *        xmppdna_chain_new(&chain);
 *        xmppdna_chain_add_der(chain, leaf_der, leaf_len);   // leaf first
 *        xmppdna_chain_add_der(chain, inter_der, inter_len);
 *
 *   3. Ask for a verdict, read it, free everything you created:
 *
 *        xmppdna_verdict *v;
 *        if (xmppdna_verify_pki(ctx, chain, refs, XMPPDNA_DIR_OUTBOUND, &v)
 *                == XMPPDNA_OK) {
 *            if (xmppdna_verdict_accepted(v) == 1) ...;
 *            char *json;
 *            if (xmppdna_verdict_json(v, &json) == XMPPDNA_OK) {
 *                log(json);
 *                xmppdna_free(json);
 *            }
 *            xmppdna_verdict_free(v);
 *        }
 *        xmppdna_chain_free(chain);
 *        xmppdna_refs_free(refs);
 *        ...
 *        xmppdna_ctx_free(ctx);
 *
 *   A server that already parsed the certificate itself can skip the chain
 *   and hand over the presented identifiers (xmppdna_idset_*), then call
 *   xmppdna_match(): the matcher is a pure function with no I/O.
 *
 *   4. Delegation: let the library find the names a domain delegates to,
 *      with DNSSEC, and verify against all of them:
 *
 *        xmppdna_ctx_add_server(ctx, "127.0.0.1@53");      // a resolver
 *        xmppdna_names *names;
 *        if (xmppdna_names_lookup(ctx, "example.com",
 *                XMPPDNA_SERVICE_XMPP_SERVER, &names) == XMPPDNA_OK) {
 *            xmppdna_refs *refs;
 *            xmppdna_names_refs(names, &refs);   // domain + delegated names
 *            ... xmppdna_verify_pki(ctx, chain, refs, ...) ...
 *        }
 *
 *      A server that does its own DNS (Prosody with luaunbound, say) hands
 *      the records and their DNSSEC status to xmppdna_names_build()
 *      instead; the list-building rules are the same pure function.
 *
 * RESULT CODES
 *
 *   Functions that can fail return an int: XMPPDNA_OK (0) or a negative
 *   XMPPDNA_E* code; xmppdna_strerror() names it. A verdict that rejects the
 *   peer is not an error: the call returns XMPPDNA_OK and the verdict says
 *   "rejected" with its reasons. More codes may be added in later releases.
 *
 * OWNERSHIP
 *
 *   Every handle made by a *_new function (or handed out through an "out"
 *   pointer) belongs to the caller and is released with its *_free
 *   function. Every *_free accepts NULL and does nothing then. Strings and
 *   handles returned as "const" are borrowed: they stay valid until the
 *   handle they came from is freed, and must not be freed by the caller; a
 *   borrowed handle passed to a *_free is refused (nothing happens), as is
 *   a handle of the wrong kind.
 *
 *   Out of memory is XMPPDNA_ENOMEM from a call that returns a code, and
 *   NULL from one that returns a borrowed string or handle; nothing is left
 *   half made, and the handles involved stay usable.
 *   Strings returned through a "char **" out pointer are owned by the
 *   caller and released with xmppdna_free(). Input buffers are copied when
 *   needed; the library keeps no pointer to caller memory after returning.
 *
 * THREADS
 *
 *   Calls on different handles may run on any threads at once. The one
 *   state the library shares across contexts is its threads, started on
 *   first use and kept for the life of the process: one thread that waits
 *   on every socket (epoll) and a few that run the lookups' CPU work
 *   (signatures, chains; at most max(8, 4 x CPUs)). No lookup or fetch
 *   holds a thread while it waits for a server.
 *
 *   A context may be shared by many threads: configuration setters and
 *   verifications may run concurrently. Each verification uses one
 *   consistent snapshot of the configuration, taken when it starts.
 *
 *   refs, chain, idset and verdict handles may be read (verify, match,
 *   accessors, json) by many threads at once. Calls that add to a handle
 *   (*_add*) must not run at the same time as any other call on that same
 *   handle.
 *
 *   Event loops use the async calls (see ASYNC below): lookups and
 *   verdicts run on the library's threads, and their callbacks run only
 *   inside xmppdna_process(), on the thread that calls it. Nothing else
 *   ever calls back into the application.
 *
 * LIMITS
 *
 *   Whoever connects to a server chooses the domains it looks up, so a
 *   domain whose DNS answers slowly must not delay the others:
 *     - DNS queries in flight per context: at most 256; per zone (the last
 *       two labels of the question's name): at most 16. Queries beyond
 *       either wait in a line per zone, and a freed slot goes to the zones
 *       in turn. A question that would make the lines longer than 100,000
 *       fails at once as indeterminate ("refused by a limit").
 *     - POSH fetches in flight per context: at most 64, and 4 per zone of
 *       the peer domain, in lines served in turn the same way.
 *     - Questions for the same name and type in flight at once share one
 *       resolution; verdicts that need the same POSH document share one
 *       fetch.
 *     - Each query: xmppdna_ctx_set_dns_timeout() per attempt (default
 *       2000 ms, 1 retry). Each whole lookup (a name list, a TLSA lookup,
 *       with every query of its chain of trust): 30 s, after which it is
 *       indeterminate. Each POSH fetch: its timeout from
 *       xmppdna_ctx_set_posh() (default 5000 ms) for the whole fetch.
 *
 * INPUT RULES
 *
 *   Every pointer argument may be NULL; a NULL where a value is required
 *   gives XMPPDNA_EMISUSE. Names are UTF-8; a name that is not valid UTF-8
 *   or contains a NUL byte gives XMPPDNA_EENCODING. A name longer than 253
 *   octets (after IDNA conversion) or that is not a valid host name gives
 *   XMPPDNA_EBADNAME.
 */
#ifndef XMPPDNA_H
#define XMPPDNA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- version */

/* Compile-time version. XMPPDNA_VERSION_NUMBER is X*1000000 + Y*1000 + Z.
 * Compare with the run-time xmppdna_version_number() to detect a header and
 * library mismatch.
 *
 * XMPPDNA_SOVERSION is the N of the SONAME libxmppdna.so.N. It goes up
 * whenever a program built against an earlier header could misbehave with
 * this library -- a constant renumbered, a signature or a promise changed --
 * so that such a program fails to load instead. Adding functions or
 * constants keeps it. 1 since 0.2.0 (the XMPPDNA_DNSSEC_* and XMPPDNA_ATTEMPT_*
 * values). */
#define XMPPDNA_VERSION        "0.2.0"
#define XMPPDNA_VERSION_NUMBER 2000
#define XMPPDNA_SOVERSION      1

/* The library's version string, e.g. "0.2.0". Static; never free it. */
const char *xmppdna_version(void);

/* The library's version as X*1000000 + Y*1000 + Z. */
int xmppdna_version_number(void);

/* ----------------------------------------------------------- result codes */

#define XMPPDNA_OK          0   /* success */
#define XMPPDNA_EMISUSE    -1   /* NULL handle or out pointer, wrong handle */
#define XMPPDNA_EINVAL     -2   /* unknown enum value or flag */
#define XMPPDNA_EBADNAME   -3   /* not a valid domain, IP, SRV name, JID or URI */
#define XMPPDNA_EENCODING  -4   /* not UTF-8, or a NUL byte inside a string */
#define XMPPDNA_EBADCERT   -5   /* malformed DER or PEM certificate data */
#define XMPPDNA_ETRUST     -6   /* the trust store could not be loaded */
#define XMPPDNA_ENOMEM     -7   /* out of memory */
#define XMPPDNA_ERANGE     -8   /* index out of range */
#define XMPPDNA_EINTERNAL  -9   /* a bug in xmppdna; please report it */
#define XMPPDNA_ENOSERVER -10   /* a DNS lookup was asked for, but no server is set */
#define XMPPDNA_EUNTRUSTED -11  /* TRUST_AD with a resolver that is neither loopback nor trusted */
#define XMPPDNA_ENOTFOUND -12   /* no such async query: delivered, cancelled or never made */

/* A short English text for a result code. Static; never free it. Unknown
 * codes give "unknown xmppdna result code". */
const char *xmppdna_strerror(int code);

/* Releases a string that the library handed out through a char ** out
 * pointer. NULL does nothing. */
void xmppdna_free(void *p);

/* -------------------------------------------------------------- constants */

/* The XMPP service the peer is reached on (RFC 6120; XEP-0368 for the
 * direct-TLS xmpps-* services). It selects the SRV-ID that is acceptable. */
#define XMPPDNA_SERVICE_XMPP_CLIENT   1
#define XMPPDNA_SERVICE_XMPP_SERVER   2
#define XMPPDNA_SERVICE_XMPPS_CLIENT  3
#define XMPPDNA_SERVICE_XMPPS_SERVER  4

/* Which side presented the certificate.
 * OUTBOUND: we connected to the peer; its certificate must be fit for TLS
 *           server authentication (EKU serverAuth, or no EKU).
 * INBOUND:  the peer connected to us and presented a client certificate.
 *           Real s2s certificates carry either EKU, so clientAuth or
 *           serverAuth is accepted (or no EKU at all). */
#define XMPPDNA_DIR_OUTBOUND  0
#define XMPPDNA_DIR_INBOUND   1

/* Identifier types, for reference identifiers (what we expect) and
 * presented identifiers (what the certificate carries). */
#define XMPPDNA_ID_DNS   1  /* DNS-ID: dNSName SAN, RFC 9525 */
#define XMPPDNA_ID_SRV   2  /* SRV-ID: id-on-dnsSRV otherName, "_service.domain" */
#define XMPPDNA_ID_XMPP  3  /* XmppAddr: id-on-xmppAddr otherName, domain or JID */
#define XMPPDNA_ID_URI   4  /* URI-ID: uniformResourceIdentifier SAN */
#define XMPPDNA_ID_IP    5  /* iPAddress SAN; matches IP references only */
#define XMPPDNA_ID_CN    6  /* subject commonName; presented side only, and
                               used only with XMPPDNA_FLAG_CN_FALLBACK */

/* Context policy flags. */
#define XMPPDNA_FLAG_CN_FALLBACK  0x1u  /* legacy: match the subject CN when
                                          the certificate has no DNS, SRV,
                                          URI or XmppAddr identifier */
#define XMPPDNA_FLAG_NO_PKIX      0x2u  /* check names only; skip the chain
                                          (xmppdna_verify_pki only: a DNA
                                          verdict always verifies it) */

/* Pass to xmppdna_ctx_set_time() to verify at the current time again. */
#define XMPPDNA_TIME_NOW INT64_MIN

/* Chain status in a verdict. */
#define XMPPDNA_CHAIN_NOT_CHECKED  0  /* XMPPDNA_FLAG_NO_PKIX, or xmppdna_match */
#define XMPPDNA_CHAIN_VALID        1
#define XMPPDNA_CHAIN_INVALID      2

/* ---------------------------------------------------------------- handles */

#ifndef XMPPDNA_HANDLES_AS_VOID
typedef struct xmppdna_ctx     xmppdna_ctx;      /* configuration, shareable */
typedef struct xmppdna_refs    xmppdna_refs;     /* reference identifiers */
typedef struct xmppdna_chain   xmppdna_chain;    /* presented certificates */
typedef struct xmppdna_idset   xmppdna_idset;    /* presented identifiers */
typedef struct xmppdna_verdict xmppdna_verdict;  /* outcome of a check */
typedef struct xmppdna_names   xmppdna_names;    /* acceptable names, candidates */
typedef struct xmppdna_dna_request xmppdna_dna_request; /* a DNA question */
typedef struct xmppdna_dna     xmppdna_dna;      /* a DNA verdict */
#else
/* Only for the build's signature check against the Swift-generated header,
 * which spells every handle as void. */
typedef void xmppdna_ctx, xmppdna_refs, xmppdna_chain, xmppdna_idset,
             xmppdna_verdict, xmppdna_names, xmppdna_dna_request, xmppdna_dna;
#endif

/* ---------------------------------------------------------------- context */

/* CONSTRUCTOR. Makes a context with the defaults: the system trust store,
 * the current time, no flags. On success *out is a new context the caller
 * frees with xmppdna_ctx_free(); on failure *out is set to NULL. */
int xmppdna_ctx_new(xmppdna_ctx **out);

/* DESTRUCTOR. NULL does nothing. No call may use the context after this.
 * Cancels the context's async queries and returns once their tasks have
 * stopped (at their next wait: at once for one waiting on a server). */
void xmppdna_ctx_free(xmppdna_ctx *ctx);

/* Trust anchors from a PEM file (path NULL: back to the system store for
 * the file part). The file is read now: XMPPDNA_ETRUST if it cannot be read
 * or holds no certificate, and the previous setting stays. Setting a CA
 * file or directory replaces the system store. The path is copied. */
int xmppdna_ctx_set_ca_file(xmppdna_ctx *ctx, const char *path);

/* Trust anchors from an OpenSSL hashed directory (c_rehash layout); path
 * NULL clears it. XMPPDNA_ETRUST if it is not a readable directory. */
int xmppdna_ctx_set_ca_dir(xmppdna_ctx *ctx, const char *path);

/* Verification time as seconds since the Unix epoch, or XMPPDNA_TIME_NOW
 * (the default) for the time of each verification. */
int xmppdna_ctx_set_time(xmppdna_ctx *ctx, int64_t unix_time);

/* Replaces the policy flags (XMPPDNA_FLAG_*). XMPPDNA_EINVAL for unknown
 * bits, and the flags stay as they were. */
int xmppdna_ctx_set_flags(xmppdna_ctx *ctx, unsigned int flags);

/* The current policy flags; 0 for NULL. */
unsigned int xmppdna_ctx_flags(const xmppdna_ctx *ctx);

/* -------------------------------------------------------- DNS settings */

/* Adds a DNS server to ask, "ADDR" or "ADDR@PORT" (IPv4 or IPv6; "[::1]@53"
 * works too). Servers are asked in the order added. The library never reads
 * /etc/resolv.conf: a context without servers cannot look names up
 * (xmppdna_names_lookup() then gives XMPPDNA_ENOSERVER). */
int xmppdna_ctx_add_server(xmppdna_ctx *ctx, const char *server);

/* Forgets every server added so far. */
int xmppdna_ctx_clear_servers(xmppdna_ctx *ctx);

/* Trust modes for DNSSEC. VALIDATE (the default) validates inside the
 * library from the trust anchors, asking with CD=1; any resolver or
 * authoritative server will do, even an untrusted one. TRUST_AD believes
 * the AD bit of a validating resolver; it is allowed only for servers on
 * loopback or added with xmppdna_ctx_add_trusted_resolver(), because the
 * AD bit means nothing on a path an attacker can touch. */
#define XMPPDNA_TRUST_VALIDATE  0
#define XMPPDNA_TRUST_AD        1

int xmppdna_ctx_set_trust_mode(xmppdna_ctx *ctx, int mode);

/* Marks a server ("ADDR[@PORT]") whose AD bit may be trusted in TRUST_AD
 * mode although it is not on loopback. */
int xmppdna_ctx_add_trusted_resolver(xmppdna_ctx *ctx, const char *server);

/* Trust anchors from a file of DS or DNSKEY records in zone-file syntax,
 * replacing the built-in IANA root KSKs (key tags 20326 and 38696); NULL
 * goes back to them. The file is read now: XMPPDNA_ETRUST if it cannot be
 * read or holds no DS or DNSKEY record. */
int xmppdna_ctx_set_anchor_file(xmppdna_ctx *ctx, const char *path);

/* Per-attempt timeout in milliseconds (1..60000, default 2000) and extra
 * rounds over the server list (0..10, default 1). */
int xmppdna_ctx_set_dns_timeout(xmppdna_ctx *ctx, int milliseconds, int retries);

/* Bounds for the context's DNS cache, in seconds (defaults 5 and 3600).
 * Every validated answer and denial is cached for its TTL clamped to
 * [min, max], with its DNSSEC status, so a warm lookup does no
 * cryptography; bogus answers stay for min only, failures not at all. The
 * cache is shared by all threads using the context and emptied whenever
 * servers, trust mode or anchors change. XMPPDNA_EINVAL if min > max. */
int xmppdna_ctx_set_cache_ttl(xmppdna_ctx *ctx, unsigned int min_seconds,
                              unsigned int max_seconds);

/* Empties the DNS cache. */
int xmppdna_ctx_flush_cache(xmppdna_ctx *ctx);

/* ---------------------------------------------- reference identifiers */

/* CONSTRUCTOR. The reference identifiers for an XMPP domain reached on a
 * service (RFC 6120 section 13.7.2.1): DNS-ID domain, SRV-ID
 * _service.domain (for xmpps-* services also the xmpp-* SRV-ID of the same
 * role, XEP-0368), and XmppAddr domain. The domain may use U-labels; it is
 * converted to A-labels (IDNA2008, libidn2), lowercased, and one trailing
 * dot is removed. An IP literal is not a domain: XMPPDNA_EBADNAME. */
int xmppdna_refs_new(const char *domain, int service, xmppdna_refs **out);

/* CONSTRUCTOR. An empty list, for callers that add every identifier
 * themselves with xmppdna_refs_add(). */
int xmppdna_refs_new_empty(xmppdna_refs **out);

/* DESTRUCTOR. NULL does nothing. */
void xmppdna_refs_free(xmppdna_refs *refs);

/* Adds one typed reference identifier; value is len bytes of UTF-8 (no NUL
 * needed, none allowed). Forms:
 *   XMPPDNA_ID_DNS   "example.com"
 *   XMPPDNA_ID_SRV   "_xmpp-server.example.com"
 *   XMPPDNA_ID_XMPP  "example.com" or "user@example.com"
 *   XMPPDNA_ID_URI   "xmpp:example.com" or "https://example.com/"
 *   XMPPDNA_ID_IP    "192.0.2.1" or "2001:db8::1"
 * XMPPDNA_ID_CN is not a reference type: XMPPDNA_EINVAL. */
int xmppdna_refs_add(xmppdna_refs *refs, int id_type,
                     const char *value, size_t len);

/* Adds an extra acceptable name, such as a host the domain delegated to
 * with secure SRV records: an IP literal becomes an IP reference,
 * anything else a DNS-ID. value is NUL-terminated UTF-8. */
int xmppdna_refs_add_name(xmppdna_refs *refs, const char *name_or_ip);

/* The number of reference identifiers; 0 for NULL. */
size_t xmppdna_refs_count(const xmppdna_refs *refs);

/* Reads entry i in its normalised form. Either out pointer may be NULL.
 * *value is borrowed from refs. XMPPDNA_ERANGE if i is too large. */
int xmppdna_refs_get(const xmppdna_refs *refs, size_t i,
                     int *id_type, const char **value);

/* -------------------------------------------------------------- the chain */

/* CONSTRUCTOR. An empty chain of presented certificates. */
int xmppdna_chain_new(xmppdna_chain **out);

/* DESTRUCTOR. NULL does nothing. */
void xmppdna_chain_free(xmppdna_chain *chain);

/* Appends one DER certificate; the first one added is the peer's own
 * (leaf) certificate, the rest are untrusted intermediates. The bytes are
 * parsed now and copied: XMPPDNA_EBADCERT for malformed DER or trailing
 * bytes, and the chain is unchanged. */
int xmppdna_chain_add_der(xmppdna_chain *chain, const void *der, size_t len);

/* Appends every certificate of a PEM bundle, in order. XMPPDNA_EBADCERT if
 * the text holds no certificate or a damaged one; then nothing is added. */
int xmppdna_chain_add_pem(xmppdna_chain *chain, const char *pem, size_t len);

/* The number of certificates; 0 for NULL. */
size_t xmppdna_chain_length(const xmppdna_chain *chain);

/* Extracts the leaf's presented identifiers (SANs and subject CNs) into a
 * new set the caller frees with xmppdna_idset_free(). XMPPDNA_EMISUSE for an
 * empty chain. */
int xmppdna_chain_idset(const xmppdna_chain *chain, xmppdna_idset **out);

/* ------------------------------------------------ presented identifiers */

/* CONSTRUCTOR. An empty set, for callers that parse certificates
 * themselves. */
int xmppdna_idset_new(xmppdna_idset **out);

/* DESTRUCTOR. NULL does nothing. */
void xmppdna_idset_free(xmppdna_idset *ids);

/* Adds one presented identifier exactly as the certificate carries it:
 * len raw bytes (IP: 4 or 16 octets, network order; others: the string's
 * bytes). Hostile content is accepted and recorded as unusable (a NUL
 * byte, bad syntax, a bad wildcard); it never matches. Only an unknown
 * type or a NULL pointer is an error. */
int xmppdna_idset_add(xmppdna_idset *ids, int id_type,
                      const void *value, size_t len);

/* The number of identifiers; 0 for NULL. */
size_t xmppdna_idset_count(const xmppdna_idset *ids);

/* Reads entry i. *value is a borrowed, NUL-terminated, printable form (IP
 * addresses in text, unprintable bytes escaped as \xHH); *usable is 1 if
 * the identifier can take part in matching, 0 if it was set aside, and
 * then *problem (borrowed) says why, else *problem is NULL. Any out
 * pointer may be NULL. XMPPDNA_ERANGE if i is too large. */
int xmppdna_idset_get(const xmppdna_idset *ids, size_t i, int *id_type,
                      const char **value, int *usable, const char **problem);

/* ---------------------------------------------------------- verification */

/* The PKI prooftype (RFC 7712 section 4, RFC 6120 section 13.7.2): the
 * leaf must carry an identifier that matches one of refs under RFC 9525,
 * and unless the context has XMPPDNA_FLAG_NO_PKIX the chain must verify
 * with OpenSSL against the context's trust anchors at the context's time,
 * for the purpose that suits direction (XMPPDNA_DIR_*).
 *
 * Returns XMPPDNA_OK with a verdict -- accepted or rejected -- in *out,
 * which the caller frees with xmppdna_verdict_free(). An empty chain or a
 * NULL argument gives XMPPDNA_EMISUSE, an unloadable trust store
 * XMPPDNA_ETRUST; then *out is NULL. */
int xmppdna_verify_pki(xmppdna_ctx *ctx, const xmppdna_chain *chain,
                       const xmppdna_refs *refs, int direction,
                       xmppdna_verdict **out);

/* Name matching only (no chain): does any identifier in ids match any
 * reference in refs? Honours XMPPDNA_FLAG_CN_FALLBACK of ctx. The verdict's
 * chain status is XMPPDNA_CHAIN_NOT_CHECKED. */
int xmppdna_match(xmppdna_ctx *ctx, const xmppdna_idset *ids,
                  const xmppdna_refs *refs, xmppdna_verdict **out);

/* ---------------------------------------------------------------- verdict */

/* DESTRUCTOR. NULL does nothing. */
void xmppdna_verdict_free(xmppdna_verdict *v);

/* 1 if the peer is accepted, 0 if rejected, XMPPDNA_EMISUSE for NULL. */
int xmppdna_verdict_accepted(const xmppdna_verdict *v);

/* XMPPDNA_CHAIN_*, or XMPPDNA_EMISUSE for NULL. */
int xmppdna_verdict_chain_status(const xmppdna_verdict *v);

/* For XMPPDNA_CHAIN_INVALID: OpenSSL's X509_V_ERR_* code, the depth of the
 * certificate it concerns, and OpenSSL's text (borrowed). Otherwise code
 * and depth are 0 and the text is NULL. Any out pointer may be NULL. */
int xmppdna_verdict_chain_error(const xmppdna_verdict *v, int *openssl_code,
                                int *depth, const char **text);

/* The number of (reference, presented) pairs that matched. */
size_t xmppdna_verdict_match_count(const xmppdna_verdict *v);

/* Reads matched pair i: the reference identifier and the presented one
 * that matched it, each with its XMPPDNA_ID_* type. Strings are borrowed.
 * Any out pointer may be NULL. XMPPDNA_ERANGE if i is too large. */
int xmppdna_verdict_match(const xmppdna_verdict *v, size_t i,
                          int *ref_type, const char **ref_value,
                          int *presented_type, const char **presented_value);

/* The number of reasons. A rejection has at least one; an acceptance may
 * carry notes (for example, unusable identifiers that were ignored). */
size_t xmppdna_verdict_reason_count(const xmppdna_verdict *v);

/* Reason i as one English sentence (borrowed), or NULL if out of range
 * (or out of memory). */
const char *xmppdna_verdict_reason(const xmppdna_verdict *v, size_t i);

/* The identifiers the leaf presented (borrowed; freed with the verdict,
 * never with xmppdna_idset_free(), which refuses it). NULL for NULL or out
 * of memory. */
const xmppdna_idset *xmppdna_verdict_presented(const xmppdna_verdict *v);

/* The whole verdict as one JSON object (UTF-8, no trailing newline):
 *   { "accepted": bool, "prooftype": "pki",
 *     "references": [{"type","value"}...],
 *     "presented":  [{"type","value","usable","problem"?}...],
 *     "matches":    [{"reference":{...},"presented":{...}}...],
 *     "chain": {"status":"valid"|"invalid"|"not_checked",
 *               "error"?, "openssl_code"?, "depth"?},
 *     "reasons": ["..."] }
 * *out is owned by the caller: release it with xmppdna_free(). */
int xmppdna_verdict_json(const xmppdna_verdict *v, char **out);

/* ----------------------------------------------------------- delegation */

/* The DNSSEC status of an answer or of a whole name list, from least to
 * most trusted. Zero is BOGUS, so a status nobody set (a record from calloc,
 * a field left out) is refused everywhere: no delegation from a record, a
 * DANE rejection from a TLSA record. Since 0.2.0; SECURE was 0 before. */
#define XMPPDNA_DNSSEC_BOGUS          0  /* should have validated and did not */
#define XMPPDNA_DNSSEC_INDETERMINATE  1  /* no usable answer: timeout, SERVFAIL, ... */
#define XMPPDNA_DNSSEC_INSECURE       2  /* proven unsigned, or unsupported algorithm */
#define XMPPDNA_DNSSEC_SECURE         3  /* validated from a trust anchor */

/* What the SRV lookup found. */
#define XMPPDNA_NAMES_SRV          0  /* SRV records (see the status) */
#define XMPPDNA_NAMES_NO_SRV       1  /* none: connect to the domain itself (RFC 6120) */
#define XMPPDNA_NAMES_UNAVAILABLE  2  /* a lone "SRV 0 0 0 .": the service is not offered */

/* Looks up the delegation of domain for service, with DNSSEC, through the
 * context's servers and trust mode, at the context's time (RFC 7673,
 * draft-hildebrand-xmpp-dnssec; XEP-0368 for the xmpps-* twin).
 *
 * The acceptable name list L starts with the domain itself. A secure SRV
 * RRset adds its targets, the names on secure CNAME chains from them and
 * their secure addresses. An insecure answer adds nothing (its targets are
 * still candidates). A bogus answer anywhere empties L down to the domain,
 * drops the candidates and makes the status BOGUS with the reason. At most
 * 16 distinct SRV targets count (the first by priority, then name), so a
 * hostile RRset of a thousand costs no more than sixteen; the same holds
 * for xmppdna_names_build().
 *
 * Returns XMPPDNA_OK with a names handle even when the lookup failed: the
 * status tells secure, insecure, bogus and indeterminate apart. Refuses to
 * look anything up with XMPPDNA_ENOSERVER (no server) or XMPPDNA_EUNTRUSTED
 * (TRUST_AD mode with a server whose AD bit cannot be believed). Blocks for
 * at most about (retries + 1) * servers * timeout per query. Free with
 * xmppdna_names_free(). */
int xmppdna_names_lookup(xmppdna_ctx *ctx, const char *domain, int service,
                         xmppdna_names **out);

/* Record types for xmppdna_names_build(). */
#define XMPPDNA_RR_A      1
#define XMPPDNA_RR_CNAME  5
#define XMPPDNA_RR_AAAA  28
#define XMPPDNA_RR_SRV   33

/* One DNS record the caller resolved itself, with its DNSSEC status
 * (XMPPDNA_DNSSEC_*; a zeroed status is BOGUS, never secure).
 * data is the presentation form of the rdata: "5 0 5269 host1.example.net."
 * for SRV, "192.0.2.1" / "2001:db8::1" for A / AAAA, "host1.example.net."
 * for CNAME. data NULL means "no records of this type at owner" (a denial)
 * with the denial's status; type XMPPDNA_RR_SRV with owner
 * "_xmpp-server._tcp.example.com" and data NULL is "no SRV". */
typedef struct xmppdna_record {
    const char *owner;
    int type;
    int status;
    const char *data;
} xmppdna_record;

/* The same list building as xmppdna_names_lookup(), from count records the
 * caller supplies (sans I/O). Lookups that are missing from the records
 * count as indeterminate. XMPPDNA_EBADNAME for a record whose owner or data
 * does not parse; XMPPDNA_EINVAL for an unknown type or status. */
int xmppdna_names_build(const char *domain, int service,
                        const xmppdna_record *records, size_t count,
                        xmppdna_names **out);

/* DESTRUCTOR. NULL does nothing. */
void xmppdna_names_free(xmppdna_names *names);

/* XMPPDNA_DNSSEC_* of the whole list, or XMPPDNA_EMISUSE for NULL. SECURE
 * means a delegation was proven and nothing on any path was bogus. */
int xmppdna_names_status(const xmppdna_names *names);

/* XMPPDNA_NAMES_*, or XMPPDNA_EMISUSE for NULL. */
int xmppdna_names_kind(const xmppdna_names *names);

/* How the statuses were obtained: XMPPDNA_TRUST_VALIDATE or XMPPDNA_TRUST_AD
 * for xmppdna_names_lookup(), -1 for xmppdna_names_build() (the caller's
 * own statuses), XMPPDNA_EMISUSE for NULL. */
int xmppdna_names_trust_mode(const xmppdna_names *names);

/* Why the status is BOGUS or INDETERMINATE (borrowed), else NULL. For
 * BOGUS, *extended_error is the RFC 8914 Extended DNS Error code (6 DNSSEC
 * Bogus, 7 Signature Expired, 8 Signature Not Yet Valid, 9 DNSKEY Missing,
 * 10 RRSIGs Missing, 12 NSEC Missing, ...), else 0. extended_error may be
 * NULL. */
const char *xmppdna_names_reason(const xmppdna_names *names, int *extended_error);

/* The number of entries in L (at least 1: the domain itself). */
size_t xmppdna_names_count(const xmppdna_names *names);

/* Entry i of L: XMPPDNA_ID_DNS or XMPPDNA_ID_IP, the name or address, its
 * status (XMPPDNA_DNSSEC_*, or -1 for the domain itself, which needs no
 * DNS), and the record that put it there. Strings are borrowed. Any out
 * pointer may be NULL. XMPPDNA_ERANGE if i is too large. */
int xmppdna_names_get(const xmppdna_names *names, size_t i, int *id_type,
                      const char **value, int *status, const char **source);

/* The number of connection candidates, in connection order. */
size_t xmppdna_names_candidate_count(const xmppdna_names *names);

/* Candidate i: host (borrowed), port, 1 for direct TLS (xmpps-*), and the
 * weakest status of the records behind it. Any out pointer may be NULL. */
int xmppdna_names_candidate(const xmppdna_names *names, size_t i,
                            const char **host, int *port, int *direct_tls,
                            int *status);

/* Reference identifiers for xmppdna_verify_pki(): the domain's own (as
 * xmppdna_refs_new() makes them) plus a DNS-ID or IP for every delegated
 * entry of L. The caller frees *out with xmppdna_refs_free(). */
int xmppdna_names_refs(const xmppdna_names *names, xmppdna_refs **out);

/* The list as JSON: {"domain","service","status","kind","trust_mode","reason"?,
 *   "acceptable_names":[{"name","type":"dns"|"ip","status","source"}...],
 *   "candidates":[{"host","port","direct_tls","status","records":[...]}...]}
 * Release *out with xmppdna_free(). */
int xmppdna_names_json(const xmppdna_names *names, char **out);

/* ------------------------------------------------------------------ POSH */

/* Where and how POSH documents (RFC 7711) are fetched for the DNA verdict:
 * https://DOMAIN/.well-known/posh/xmpp-server.json (or xmpp-client.json),
 * over HTTPS whose certificate must pass PKIX for DOMAIN under this
 * context's trust store and time. Host names are resolved through the
 * context's DNS servers only; with none, POSH is not fetched. url_base
 * "https://HOST[:PORT]" sends the first request there instead (a staging
 * server, a test world) while SNI, Host and the certificate check still use
 * DOMAIN; NULL restores the default. timeout_ms bounds a whole fetch,
 * reference and redirects included (1..60000; default 5000). Results are
 * cached for their "expires" (at most a day) and flushed with
 * xmppdna_ctx_flush_cache(). XMPPDNA_EBADNAME for a url_base that is not
 * https, XMPPDNA_EINVAL for a timeout out of range. */
int xmppdna_ctx_set_posh(xmppdna_ctx *ctx, const char *url_base, int timeout_ms);

/* ------------------------------------------------------------ DNA verdict */

/* The prooftypes of RFC 7712, for xmppdna_dna_request_set_prooftypes(). */
#define XMPPDNA_PROOF_DANE      1  /* TLSA records (RFC 6698, 7671, 7673) */
#define XMPPDNA_PROOF_PKI       2  /* PKIX + RFC 9525 names, with delegated names */
#define XMPPDNA_PROOF_POSH      3  /* fingerprints over HTTPS (RFC 7711) */
#define XMPPDNA_PROOF_DIALBACK  4  /* the caller's XEP-0220 result */

/* The caller's dialback result, for xmppdna_dna_request_set_dialback(). */
#define XMPPDNA_DIALBACK_NONE      0
#define XMPPDNA_DIALBACK_VERIFIED  1
#define XMPPDNA_DIALBACK_FAILED    2

/* Request flags. */
#define XMPPDNA_DNA_REFUSE_WEAK_DIALBACK 0x1u /* dialback over DNS that is
                                                 not DNSSEC-secure rejects */

/* What one prooftype concluded (xmppdna_dna_attempt). As with the DNSSEC
 * statuses, an outcome nobody set (zero) never reads as accepted; the
 * values changed in 0.2.0. */
#define XMPPDNA_ATTEMPT_REJECTED        0  /* for DANE this rejects the peer */
#define XMPPDNA_ATTEMPT_NOT_TRIED       1  /* not needed, or after a DANE rejection */
#define XMPPDNA_ATTEMPT_NOT_APPLICABLE  2  /* no evidence of this kind */
#define XMPPDNA_ATTEMPT_ACCEPTED        3

/* Dialback strength (xmppdna_dna_dialback_strength). */
#define XMPPDNA_DIALBACK_STRONG  1  /* the DNS behind it was DNSSEC-secure */
#define XMPPDNA_DIALBACK_WEAK    2  /* only as good as unsigned DNS */

/* CONSTRUCTOR. A question for xmppdna_verify_dna(): may a chain speak for
 * domain (XMPPDNA_SERVICE_*, XMPPDNA_DIR_*)? Outbound: we connected to
 * domain. Inbound: a peer server connected and presented a client
 * certificate for domain (the stream's "from"). Defaults: prooftypes DANE,
 * PKI, POSH, dialback in that order; no endpoint; names and TLSA looked up
 * with the context's DNS servers. Free with xmppdna_dna_request_free().
 * XMPPDNA_EBADNAME / XMPPDNA_EENCODING for a bad domain, XMPPDNA_EINVAL for
 * an unknown service or direction. */
int xmppdna_dna_request_new(const char *domain, int service, int direction,
                            xmppdna_dna_request **out);

/* DESTRUCTOR. NULL does nothing. */
void xmppdna_dna_request_free(xmppdna_dna_request *req);

/* Outbound: the SRV target and port that presented the chain. Its TLSA
 * records, at _PORT._tcp.HOST, are the ones that count, and only if the
 * SRV, A and AAAA records leading to it are secure (RFC 7673). Without an
 * endpoint every secure connection candidate's TLSA is consulted. */
int xmppdna_dna_request_set_endpoint(xmppdna_dna_request *req, const char *host, int port);

/* The prooftypes to try, in order (XMPPDNA_PROOF_*, count 1..4, no
 * repeats; XMPPDNA_EINVAL otherwise). The first that accepts decides, but a
 * DANE rejection -- secure TLSA the chain does not match, or bogus TLSA --
 * always rejects, wherever DANE is in the list. */
int xmppdna_dna_request_set_prooftypes(xmppdna_dna_request *req, const int *prooftypes,
                                       size_t count);

/* Uses this name list (from xmppdna_names_lookup() or _build(); copied)
 * instead of looking it up. It must be for the request's domain and the
 * same role (client or server), else XMPPDNA_EINVAL. */
int xmppdna_dna_request_set_names(xmppdna_dna_request *req, const xmppdna_names *names);

/* Supplies one TLSA record ("USAGE SELECTOR MTYPE HEX", e.g. "3 1 1 ab12...")
 * for _PORT._tcp.HOST with its XMPPDNA_DNSSEC_* status: SECURE only for a
 * record that validated; 0 is BOGUS, which rejects the peer. Supplied
 * locations are never looked up; call once per record of the RRset. host
 * NULL and port 0 supply the record for every location (test records before
 * publishing them). XMPPDNA_EBADNAME for unparsable rdata. */
int xmppdna_dna_request_add_tlsa(xmppdna_dna_request *req, const char *host, int port,
                                 const char *rdata, int status);

/* Supplies the domain's POSH document (JSON bytes, need not be
 * NUL-terminated) instead of fetching it. A malformed document is not an
 * error here: the POSH attempt reports it. */
int xmppdna_dna_request_set_posh(xmppdna_dna_request *req, const char *json, size_t len);

/* The caller's XEP-0220 outcome, XMPPDNA_DIALBACK_*. */
int xmppdna_dna_request_set_dialback(xmppdna_dna_request *req, int result);

/* One more name the certificate may carry (a configured alias); it counts
 * for PKI and for the DANE-TA name check. Like xmppdna_refs_add_name(). */
int xmppdna_dna_request_add_name(xmppdna_dna_request *req, const char *name_or_ip);

/* XMPPDNA_DNA_* flags; XMPPDNA_EINVAL for unknown bits. */
int xmppdna_dna_request_set_flags(xmppdna_dna_request *req, unsigned int flags);

/* The RFC 7712 Domain Name Association verdict for chain and req. Missing
 * evidence is looked up with the context: the name list and TLSA through
 * its DNS servers (skipped, and said so in the verdict, when none are set),
 * POSH over HTTPS (xmppdna_ctx_set_posh; only if no earlier prooftype
 * accepted). The chain was parsed once when it was added; verify it for
 * another domain of the same stream (RFC 7712 multiplexing) by calling
 * again with the same chain and a request for that domain.
 * The chain is always verified: XMPPDNA_FLAG_NO_PKIX does not apply here.
 * XMPPDNA_OK with the verdict in *out (free with xmppdna_dna_free());
 * XMPPDNA_EMISUSE for NULL or an empty chain; XMPPDNA_ETRUST if the trust
 * store cannot be loaded; XMPPDNA_EUNTRUSTED as for xmppdna_names_lookup().
 * Blocks for as long as the lookups take. Thread-safe on a shared ctx. */
int xmppdna_verify_dna(xmppdna_ctx *ctx, const xmppdna_chain *chain,
                       const xmppdna_dna_request *req, xmppdna_dna **out);

/* DESTRUCTOR. NULL does nothing. */
void xmppdna_dna_free(xmppdna_dna *v);

/* 1 if accepted, 0 if rejected, XMPPDNA_EMISUSE for NULL. */
int xmppdna_dna_accepted(const xmppdna_dna *v);

/* The XMPPDNA_PROOF_* that accepted, 0 if rejected, XMPPDNA_EMISUSE for NULL. */
int xmppdna_dna_prooftype(const xmppdna_dna *v);

/* One English sentence with the deciding reason (borrowed). */
const char *xmppdna_dna_summary(const xmppdna_dna *v);

/* One attempt per requested prooftype, in the requested order. */
size_t xmppdna_dna_attempt_count(const xmppdna_dna *v);

/* Attempt i: its XMPPDNA_PROOF_*, XMPPDNA_ATTEMPT_* and reason (borrowed).
 * Any out pointer may be NULL. XMPPDNA_ERANGE if i is too large. */
int xmppdna_dna_attempt(const xmppdna_dna *v, size_t i, int *prooftype, int *outcome,
                        const char **reason);

/* The PKI part: which reference matched which presented identifier, the
 * chain status, the presented identifiers (borrowed; freed with v; read it
 * with the xmppdna_verdict_* functions; xmppdna_verdict_free() refuses it). */
const xmppdna_verdict *xmppdna_dna_pki(const xmppdna_dna *v);

/* XMPPDNA_DIALBACK_STRONG or _WEAK when a dialback result was judged, else 0. */
int xmppdna_dna_dialback_strength(const xmppdna_dna *v);

/* The records and documents the verdict relied on. */
size_t xmppdna_dna_evidence_count(const xmppdna_dna *v);

/* Evidence i: what it is (borrowed, e.g. "_5269._tcp.host1.example.net
 * TLSA") and its XMPPDNA_DNSSEC_* status, or -1 for a POSH document. Any out
 * pointer may be NULL. XMPPDNA_ERANGE if i is too large. */
int xmppdna_dna_evidence(const xmppdna_dna *v, size_t i, const char **what, int *status);

/* The verdict as JSON:
 *   { "accepted", "domain", "direction": "outbound"|"inbound",
 *     "prooftype": "dane"|"pki"|"posh"|"dialback"|null, "summary",
 *     "attempts": [{"prooftype","outcome":"accepted"|"rejected"|
 *                   "not_applicable"|"not_tried","reason"}...],
 *     "pki": <the xmppdna_verdict_json() object>,
 *     "tlsa_match": "3 1 1 ..."|null, "dialback": "strong"|"weak"|null,
 *     "evidence": [{"what","status":"secure"|...|null}...] }
 * Release *out with xmppdna_free(). */
int xmppdna_dna_json(const xmppdna_dna *v, char **out);

/* ------------------------------------------------------------------ ASYNC */

/* The libunbound model (ub_resolve_async, ub_fd, ub_process): submit a
 * query and return at once; the library's threads run it, and a query
 * waiting for a server holds no thread; the event loop watches
 * xmppdna_fd() and calls xmppdna_process(), which runs the callbacks of
 * finished queries. Outstanding queries are bounded by memory and the
 * LIMITS above, not by threads.
 *
 *   Which thread: submit, cancel, fd, process and wait may be called from
 *   any thread, but callbacks run only inside xmppdna_process() (or
 *   xmppdna_wait()), on the calling thread. A callback may submit or
 *   cancel queries; it must not call xmppdna_ctx_free().
 *
 *   Inputs are copied at submit time: the chain and request may be freed
 *   as soon as the submit call returns.
 *
 *   xmppdna_cancel() and xmppdna_ctx_free() stop a query at its next
 *   wait: its sockets close at once, its callback never runs, nothing
 *   leaks. xmppdna_ctx_free() returns when every query has stopped, which
 *   takes at most the CPU work a query is doing at that moment. */

/* A finished name-list query: rc is XMPPDNA_OK with a list the callback
 * owns (free it with xmppdna_names_free()), or an error code as from
 * xmppdna_names_lookup() with names NULL. */
typedef void (*xmppdna_names_callback)(void *userdata, int rc, xmppdna_names *names);

/* A finished DNA verdict: rc XMPPDNA_OK with a verdict the callback owns
 * (xmppdna_dna_free()), or an error as from xmppdna_verify_dna(). */
typedef void (*xmppdna_dna_callback)(void *userdata, int rc, xmppdna_dna *verdict);

/* Kept for existing callers: accepts 1..64 (XMPPDNA_EINVAL otherwise) and
 * has no effect, as queries no longer hold threads while they wait
 * (THREADS). */
int xmppdna_ctx_set_threads(xmppdna_ctx *ctx, int threads);

/* xmppdna_names_lookup() as a query. On XMPPDNA_OK *query_id (may be
 * NULL) identifies the query for xmppdna_cancel(), and callback will be
 * called exactly once from xmppdna_process() unless the query is
 * cancelled. Bad arguments are reported here, synchronously, and then
 * the callback is never called. XMPPDNA_ENOMEM while the context is being
 * freed. */
int xmppdna_names_lookup_async(xmppdna_ctx *ctx, const char *domain, int service,
                               xmppdna_names_callback callback, void *userdata,
                               int *query_id);

/* xmppdna_verify_dna() as a query, with the same rules. */
int xmppdna_verify_dna_async(xmppdna_ctx *ctx, const xmppdna_chain *chain,
                             const xmppdna_dna_request *req,
                             xmppdna_dna_callback callback, void *userdata,
                             int *query_id);

/* A file descriptor that is readable while finished queries wait for
 * xmppdna_process() (an eventfd; level-triggered, for poll, epoll or
 * Prosody's server.watchfd). Owned by the context: never close it. Made
 * with the context; XMPPDNA_EMISUSE for NULL. */
int xmppdna_fd(xmppdna_ctx *ctx);

/* Runs the callbacks of every finished query, on this thread, and returns
 * how many ran (0 if none was ready; it never blocks). */
int xmppdna_process(xmppdna_ctx *ctx);

/* Blocks until no query is pending, running callbacks as results arrive;
 * returns how many ran. For programs without an event loop and for tests. */
int xmppdna_wait(xmppdna_ctx *ctx);

/* Forgets query_id: its callback will never be called. XMPPDNA_ENOTFOUND
 * if the query already ran its callback, was cancelled, or never existed. */
int xmppdna_cancel(xmppdna_ctx *ctx, int query_id);

#ifdef __cplusplus
}
#endif

#endif /* XMPPDNA_H */
