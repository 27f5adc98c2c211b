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
 *   Identity:   does the presented certificate prove the domain?  (the
 *               RFC 7712 prooftypes: DANE, PKI with RFC 9525 matching and
 *               the delegated names, POSH, and the caller's dialback
 *               result: xmppdna_verify.)
 *
 * USAGE
 *
 *   1. Create a context once, configure it, share it between threads:
 *
 *        xmppdna_ctx *ctx;
 *        xmppdna_ctx_new(&ctx);
 *        xmppdna_ctx_set_ca(ctx, "/etc/ssl/certs/ca-certificates.crt", NULL);
 *        xmppdna_ctx_add_server(ctx, "127.0.0.1@53", 0);   // a resolver
 *
 *   2. For every peer certificate, say what you ask (a request) and what
 *      the peer presented (a chain):
 *
 *        xmppdna_request *req;
 *        xmppdna_request_new("example.com", XMPPDNA_SERVICE_XMPP_SERVER,
 *                            XMPPDNA_DIR_INBOUND, &req);
 *        xmppdna_chain *chain;
 *        xmppdna_chain_new(&chain);
 *        xmppdna_chain_add_der(chain, leaf_der, leaf_len);   // leaf first
 *        xmppdna_chain_add_der(chain, inter_der, inter_len);
 *
 *   3. Ask for the verdict, read it, free everything you created:
 *
 *        xmppdna_verdict *v;
 *        if (xmppdna_verify(ctx, chain, req, &v) == XMPPDNA_OK) {
 *            if (xmppdna_verdict_accepted(v) == 1) ...;
 *            log(xmppdna_verdict_summary(v));
 *            xmppdna_finding f;
 *            for (size_t i = 0; i < xmppdna_verdict_finding_count(v); i++)
 *                if (xmppdna_verdict_finding_get(v, i, &f) == XMPPDNA_OK &&
 *                    f.code == XMPPDNA_FINDING_TLSA_MISMATCH) ...;
 *            xmppdna_verdict_free(v);
 *        }
 *        xmppdna_chain_free(chain);
 *        xmppdna_request_free(req);
 *        ...
 *        xmppdna_ctx_free(ctx);
 *
 *      The verdict looks up what it needs with the context: the domain's
 *      DNSSEC-delegated names, the TLSA records, the POSH document (only
 *      when no earlier prooftype accepted). A PKI-only request is the same
 *      call with xmppdna_request_set_prooftypes(); a server that parsed the
 *      certificate itself hands over its identifiers with
 *      xmppdna_request_add_presented() and no chain.
 *
 *   4. Event loops submit with xmppdna_verify_async() and watch
 *      xmppdna_fd() (ASYNC below). A server that does its own DNS (Prosody
 *      with luaunbound, say) builds the name list from its records with
 *      xmppdna_names_build() and hands it over with
 *      xmppdna_request_set_names().
 *
 * RESULT CODES
 *
 *   Functions that can fail return an int: XMPPDNA_OK (0) or a negative
 *   XMPPDNA_E* code; xmppdna_strerror() names it. A verdict that rejects the
 *   peer is not an error: the call returns XMPPDNA_OK and the verdict says
 *   "rejected" with its findings. Accessors that return a value return the
 *   value, or a negative code for a NULL handle; no value is ever negative.
 *   More codes may be added in later releases.
 *
 * OWNERSHIP
 *
 *   Every handle made by a *_new function (or handed out through an "out"
 *   pointer) belongs to the caller and is released with its *_free
 *   function. Every *_free accepts NULL and does nothing then; a handle of
 *   the wrong kind is refused (nothing happens). Strings returned as
 *   "const char *" are borrowed: they stay valid until the handle they came
 *   from is freed, and must not be freed by the caller. Strings returned
 *   through a "char **" out pointer are owned by the caller and released
 *   with xmppdna_free(). Input buffers are copied when needed; the library
 *   keeps no pointer to caller memory after returning.
 *
 *   Out of memory is XMPPDNA_ENOMEM from a call that returns a code, and
 *   NULL from one that returns a borrowed string; nothing is left half
 *   made, and the handles involved stay usable.
 *
 * THREADS
 *
 *   Any function may be called from any thread. Calls on different handles
 *   may run at once. What the library shares across contexts is its
 *   threads, started on first use and kept for the life of the process
 *   (one that waits on every socket (epoll) and a few that run the
 *   lookups' CPU work: signatures, chains; at most max(8, 4 x CPUs)), and
 *   its cache of decoded certificates (xmppdna_set_certificate_cache_limit).
 *   No lookup or fetch holds a thread while it waits for a server.
 *
 *   A context may be shared by many threads: its setters and verifications
 *   may run concurrently, and each verification uses one consistent
 *   snapshot of the configuration, taken when it starts.
 *
 *   chain, request, names and verdict handles may be read (verify,
 *   accessors, json) by many threads at once. Calls that change a handle
 *   (*_add*, *_set*) must not run at the same time as any other call on
 *   that same handle.
 *
 *   Callbacks run only inside xmppdna_process() or xmppdna_wait(), on the
 *   thread that calls it. Nothing else ever calls back into the
 *   application.
 *
 * LIMITS
 *
 *   Whoever connects to a server chooses the domains it looks up, so a
 *   domain whose DNS answers slowly must not delay the others. Defaults,
 *   each settable per context (xmppdna_ctx_set_dns_timeout,
 *   xmppdna_ctx_set_posh, xmppdna_ctx_set_limits):
 *     - DNS queries in flight per context: at most 256; per zone (the
 *       question name's registrable domain under the Public Suffix List,
 *       libpsl's built-in copy: evil.co.uk, not co.uk): at most 16. Beyond
 *       either, queries wait in a line per zone, and a freed slot goes to
 *       the zones in turn. A question that would make the lines longer
 *       than 100,000 fails at once as indeterminate ("refused by a limit").
 *     - POSH fetches in flight per context: at most 64, and 4 per zone of
 *       the peer domain, in lines served in turn the same way.
 *     - Questions for the same name and type in flight at once share one
 *       resolution; verdicts that need the same POSH document share one
 *       fetch.
 *     - Each query: 2000 ms per attempt, 1 retry. Each whole lookup (a
 *       name list, a TLSA lookup, with every query of its chain of trust):
 *       30 s, after which it is indeterminate. Each POSH fetch: 5000 ms for
 *       the whole fetch, reference and redirects included.
 *     - What is kept: 10,000 DNS answers and 10,000 name lists, 1,000
 *       POSH documents and 1,024 verified chains per context
 *       (xmppdna_ctx_set_cache_limits); 2,048 decoded certificates per
 *       process (xmppdna_set_certificate_cache_limit).
 *
 * INPUT RULES
 *
 *   Every pointer argument may be NULL; a NULL where a value is required
 *   gives XMPPDNA_EMISUSE. Names are UTF-8; a name that is not valid UTF-8
 *   or contains a NUL byte gives XMPPDNA_EENCODING. A name longer than 253
 *   octets (after IDNA conversion) or that is not a valid host name gives
 *   XMPPDNA_EBADNAME.
 *
 * VERSIONS
 *
 *   Each function says since which version it exists with this signature
 *   and meaning. 0.3.0 (SONAME libxmppdna.so.2) replaced the two verdict
 *   types and the reference-identifier handles of 0.2.0 with one request
 *   and one verdict; CHANGELOG.md maps every 0.2.0 function to its
 *   successor.
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
 * this library -- a function removed, a constant renumbered, a signature or
 * a promise changed -- so that such a program fails to load instead.
 * Adding functions or constants keeps it. 2 since 0.3.0. */
#define XMPPDNA_VERSION        "0.3.0"
#define XMPPDNA_VERSION_NUMBER 3000
#define XMPPDNA_SOVERSION      2

/* The library's version string, e.g. "0.3.0". Static; never free it.
 * Since 0.1.0. */
const char *xmppdna_version(void);

/* The library's version as X*1000000 + Y*1000 + Z. Since 0.1.0. */
int xmppdna_version_number(void);

/* ----------------------------------------------------------- result codes */

#define XMPPDNA_OK          0   /* success */
#define XMPPDNA_EMISUSE    -1   /* NULL handle or out pointer, wrong handle */
#define XMPPDNA_EINVAL     -2   /* unknown enum value or flag, a value out of range */
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
 * codes give "unknown xmppdna result code". Since 0.1.0. */
const char *xmppdna_strerror(int code);

/* Releases a string that the library handed out through a char ** out
 * pointer. NULL does nothing. Since 0.1.0. */
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

/* Identifier types, for the names a request accepts (reference
 * identifiers) and the identifiers a certificate presents. */
#define XMPPDNA_ID_NAME  0  /* request only: an IP literal becomes an IP
                               reference, anything else a DNS-ID */
#define XMPPDNA_ID_DNS   1  /* DNS-ID: dNSName SAN, RFC 9525 */
#define XMPPDNA_ID_SRV   2  /* SRV-ID: id-on-dnsSRV otherName, "_service.domain" */
#define XMPPDNA_ID_XMPP  3  /* XmppAddr: id-on-xmppAddr otherName, domain or JID */
#define XMPPDNA_ID_URI   4  /* URI-ID: uniformResourceIdentifier SAN */
#define XMPPDNA_ID_IP    5  /* iPAddress SAN; matches IP references only */
#define XMPPDNA_ID_CN    6  /* subject commonName; presented side only, and
                               used only with XMPPDNA_FLAG_CN_FALLBACK */

/* The DNSSEC status of an answer or of a whole name list, from least to
 * most trusted. Zero is BOGUS, so a status nobody set (a record from calloc,
 * a field left out) is refused everywhere: no delegation from a record, a
 * DANE rejection from a TLSA record. NONE is not a DNSSEC outcome but "no
 * DNS was involved" (the domain itself in its name list, a POSH document, a
 * finding about no records): compare statuses with ==, never with >=. */
#define XMPPDNA_DNSSEC_BOGUS          0  /* should have validated and did not */
#define XMPPDNA_DNSSEC_INDETERMINATE  1  /* no usable answer: timeout, SERVFAIL, ... */
#define XMPPDNA_DNSSEC_INSECURE       2  /* proven unsigned, or unsupported algorithm */
#define XMPPDNA_DNSSEC_SECURE         3  /* validated from a trust anchor */
#define XMPPDNA_DNSSEC_NONE           4  /* no DNS answer is concerned */

/* ---------------------------------------------------------------- handles */

#ifndef XMPPDNA_HANDLES_AS_VOID
typedef struct xmppdna_ctx     xmppdna_ctx;      /* configuration, caches; shareable */
typedef struct xmppdna_chain   xmppdna_chain;    /* presented certificates */
typedef struct xmppdna_request xmppdna_request;  /* a question about a peer domain */
typedef struct xmppdna_verdict xmppdna_verdict;  /* the answer, with its findings */
typedef struct xmppdna_names   xmppdna_names;    /* acceptable names, candidates */
#else
/* Only for the build's signature check against the Swift-generated header,
 * which spells every handle as void. */
typedef void xmppdna_ctx, xmppdna_chain, xmppdna_request, xmppdna_verdict, xmppdna_names;
#endif

/* ---------------------------------------------------------------- context */

/* Context policy flags. */
#define XMPPDNA_FLAG_CN_FALLBACK  0x1u  /* legacy: match the subject CN when
                                          the certificate has no DNS, SRV,
                                          URI or XmppAddr identifier */

/* Pass to xmppdna_ctx_set_time() to verify at the current time again. */
#define XMPPDNA_TIME_NOW INT64_MIN

/* CONSTRUCTOR. Makes a context with the defaults: the system trust store,
 * the current time, no flags, no DNS server, the LIMITS above. On success
 * *out is a new context the caller frees with xmppdna_ctx_free(); on
 * failure *out is set to NULL. Since 0.1.0. */
int xmppdna_ctx_new(xmppdna_ctx **out);

/* DESTRUCTOR. NULL does nothing. No call may use the context after this,
 * and it must not be called from a callback. Cancels the context's async
 * queries and returns once their tasks have stopped (at their next wait: at
 * once for one waiting on a server). Since 0.1.0. */
void xmppdna_ctx_free(xmppdna_ctx *ctx);

/* The trust anchors for PKIX, from a PEM file and/or an OpenSSL hashed
 * directory (c_rehash layout); both NULL: the system store again. Both are
 * read now: XMPPDNA_ETRUST if the file cannot be read or holds no
 * certificate, or the directory is not readable, and then the previous
 * setting stays. The paths are copied. Since 0.3.0. */
int xmppdna_ctx_set_ca(xmppdna_ctx *ctx, const char *file, const char *dir);

/* Verification time as seconds since the Unix epoch, or XMPPDNA_TIME_NOW
 * (the default) for the time of each verification. Since 0.1.0. */
int xmppdna_ctx_set_time(xmppdna_ctx *ctx, int64_t unix_time);

/* Replaces the policy flags (XMPPDNA_FLAG_*). XMPPDNA_EINVAL for unknown
 * bits, and the flags stay as they were. Since 0.1.0. */
int xmppdna_ctx_set_flags(xmppdna_ctx *ctx, unsigned int flags);

/* Server flags for xmppdna_ctx_add_server(). */
#define XMPPDNA_SERVER_TRUST_AD  0x1u  /* its AD bit may be believed in
                                          XMPPDNA_TRUST_AD mode although it
                                          is not on loopback */

/* Adds a DNS server to ask, "ADDR" or "ADDR@PORT" (IPv4 or IPv6; "[::1]@53"
 * works too), with XMPPDNA_SERVER_* flags. Servers are asked in the order
 * added. The library never reads /etc/resolv.conf: a context without
 * servers looks nothing up (verdicts then say so; xmppdna_names_lookup()
 * gives XMPPDNA_ENOSERVER). Empties the DNS cache. Since 0.3.0. */
int xmppdna_ctx_add_server(xmppdna_ctx *ctx, const char *server, unsigned int flags);

/* Forgets every server added so far. Since 0.1.0. */
int xmppdna_ctx_clear_servers(xmppdna_ctx *ctx);

/* Trust modes for DNSSEC. VALIDATE (the default) validates inside the
 * library from the trust anchors, asking with CD=1; any resolver or
 * authoritative server will do, even an untrusted one. TRUST_AD believes
 * the AD bit of a validating resolver; it is allowed only for servers on
 * loopback or added with XMPPDNA_SERVER_TRUST_AD, because the AD bit means
 * nothing on a path an attacker can touch. CALLER is never set: it marks a
 * name list built from the caller's own statuses (xmppdna_names_build). */
#define XMPPDNA_TRUST_VALIDATE  0
#define XMPPDNA_TRUST_AD        1
#define XMPPDNA_TRUST_CALLER    2

/* XMPPDNA_TRUST_VALIDATE or XMPPDNA_TRUST_AD; XMPPDNA_EINVAL otherwise.
 * Since 0.1.0. */
int xmppdna_ctx_set_trust_mode(xmppdna_ctx *ctx, int mode);

/* DNSSEC trust anchors from a file of DS or DNSKEY records in zone-file
 * syntax, replacing the built-in IANA root KSKs (key tags 20326 and 38696);
 * NULL goes back to them. The file is read now: XMPPDNA_ETRUST if it cannot
 * be read or holds no DS or DNSKEY record. Since 0.1.0. */
int xmppdna_ctx_set_anchor_file(xmppdna_ctx *ctx, const char *path);

/* Per-query timeout in milliseconds (1..60000, default 2000), extra rounds
 * over the server list (0..10, default 1), and the deadline of a whole
 * lookup with every query of its chain of trust (100..600000 ms, default
 * 30000), after which it is indeterminate. XMPPDNA_EINVAL out of range.
 * Since 0.3.0. */
int xmppdna_ctx_set_dns_timeout(xmppdna_ctx *ctx, int query_ms, int retries, int lookup_deadline_ms);

/* Bounds for the context's DNS cache, in seconds (defaults 5 and 3600).
 * Every validated answer and denial is cached for its TTL clamped to
 * [min, max], with its DNSSEC status, so a warm lookup does no
 * cryptography; bogus answers stay for min only, failures not at all. The
 * cache is shared by all threads using the context and emptied whenever
 * servers, trust mode or anchors change. XMPPDNA_EINVAL if min > max.
 * Since 0.1.0. */
int xmppdna_ctx_set_cache_ttl(xmppdna_ctx *ctx, unsigned int min_seconds,
                              unsigned int max_seconds);

/* Empties the DNS and POSH caches. Since 0.1.0. */
int xmppdna_ctx_flush_cache(xmppdna_ctx *ctx);

/* Where and how POSH documents (RFC 7711) are fetched:
 * https://DOMAIN/.well-known/posh/xmpp-server.json (or xmpp-client.json),
 * over HTTPS whose certificate must pass PKIX for DOMAIN under this
 * context's trust store and time. Host names are resolved through the
 * context's DNS servers only; with none, POSH is not fetched. url_base
 * "https://HOST[:PORT]" sends the first request there instead (a staging
 * server, a test world) while SNI, Host and the certificate check still use
 * DOMAIN; NULL restores the default. timeout_ms bounds a whole fetch,
 * reference and redirects included (1..60000; default 5000). Results are
 * cached for their "expires" (at most a day). XMPPDNA_EBADNAME for a
 * url_base that is not https, XMPPDNA_EINVAL for a timeout out of range.
 * Since 0.2.0. */
int xmppdna_ctx_set_posh(xmppdna_ctx *ctx, const char *url_base, int timeout_ms);

/* The LIMITS: DNS queries in flight per context (1..65536, default 256) and
 * per zone (1..dns_in_flight, default 16); POSH fetches in flight per
 * context (1..4096, default 64) and per zone (1..posh_in_flight, default
 * 4). Work beyond them waits its turn. XMPPDNA_EINVAL out of range; then
 * nothing changes. Raising a limit admits waiting work at once; lowering
 * one lets the work in flight finish. Since 0.3.0. */
int xmppdna_ctx_set_limits(xmppdna_ctx *ctx, int dns_in_flight, int dns_per_zone,
                           int posh_in_flight, int posh_per_zone);

/* Bounds on what the context keeps, in entries:
 *   dns_entries      validated DNS answers, and name lists, each
 *                    (1..1000000, default 10000); at the bound the expired
 *                    go, and all of them if that is not enough;
 *   posh_documents   POSH documents (1..100000, default 1000); at the bound
 *                    the one that expires soonest goes;
 *   verified_chains  presented chains whose PKIX path was verified, whose
 *                    result is reused while it holds (see "reused" in
 *                    xmppdna_verdict_json) (1..1000000, default 1024); at
 *                    the bound the least recently used quarter goes.
 * Lowering a bound drops entries at once. A trust store change starts an
 * empty chain cache with the same bound. XMPPDNA_EINVAL out of range; then
 * nothing changes. Since 0.3.0. */
int xmppdna_ctx_set_cache_limits(xmppdna_ctx *ctx, int dns_entries, int posh_documents,
                                 int verified_chains);

/* The one cache shared by every context of the process: certificates
 * already taken by xmppdna_chain_add_der or _add_pem, by their DER bytes,
 * each decoded once, when a verdict first reads it (1..1000000, default
 * 2048; at the bound the least recently used quarter goes, at once when
 * the bound is lowered). Chains and verdicts that hold a certificate keep
 * it whatever the cache drops. XMPPDNA_EINVAL out of range; then nothing
 * changes. Since 0.3.0. */
int xmppdna_set_certificate_cache_limit(int certificates);

/* -------------------------------------------------------------- the chain */

/* CONSTRUCTOR. An empty chain of presented certificates. Since 0.1.0. */
int xmppdna_chain_new(xmppdna_chain **out);

/* DESTRUCTOR. NULL does nothing. Since 0.1.0. */
void xmppdna_chain_free(xmppdna_chain *chain);

/* Appends one DER certificate; the first one added is the peer's own
 * (leaf) certificate, the rest are untrusted intermediates. The bytes are
 * copied and their shape is checked now: XMPPDNA_EBADCERT for anything but
 * one DER SEQUENCE of TBSCertificate, algorithm and signature (truncated
 * input, trailing bytes, BER), and the chain is unchanged. The rest is
 * decoded when a verdict first reads the certificate, once per process for
 * the same bytes, so a DANE-EE verdict never decodes the intermediates. A
 * certificate that does not decode fails whatever reads it: the chain does
 * not verify, a leaf presents no usable identifier. Since 0.1.0; decoded
 * on first read since 0.3.0. */
int xmppdna_chain_add_der(xmppdna_chain *chain, const void *der, size_t len);

/* Appends every certificate of a PEM bundle, in order. XMPPDNA_EBADCERT if
 * the text holds no certificate or a damaged one; then nothing is added.
 * Since 0.1.0. */
int xmppdna_chain_add_pem(xmppdna_chain *chain, const char *pem, size_t len);

/* The number of certificates; 0 for NULL. Since 0.3.0. */
size_t xmppdna_chain_count(const xmppdna_chain *chain);

/* ---------------------------------------------------------------- request */

/* The prooftypes of RFC 7712, for xmppdna_request_set_prooftypes(). */
#define XMPPDNA_PROOF_DANE      1  /* TLSA records (RFC 6698, 7671, 7673) */
#define XMPPDNA_PROOF_PKI       2  /* PKIX + RFC 9525 names, with delegated names */
#define XMPPDNA_PROOF_POSH      3  /* fingerprints over HTTPS (RFC 7711) */
#define XMPPDNA_PROOF_DIALBACK  4  /* the caller's XEP-0220 result */

/* The caller's dialback result, for xmppdna_request_set_dialback(). */
#define XMPPDNA_DIALBACK_NONE      0
#define XMPPDNA_DIALBACK_VERIFIED  1
#define XMPPDNA_DIALBACK_FAILED    2

/* Request flags. */
#define XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK 0x1u /* dialback over DNS that is
                                                     not DNSSEC-secure rejects */
#define XMPPDNA_REQUEST_NO_LOOKUPS  0x2u  /* use only what the request
                                             carries: no DNS, no POSH fetch
                                             (missing evidence is absent) */
#define XMPPDNA_REQUEST_NAMES_ONLY  0x4u  /* PKI by names alone: the chain is
                                             not verified; only with the
                                             prooftypes {PKI} */

/* CONSTRUCTOR. A question for xmppdna_verify(): may a certificate speak
 * for domain (XMPPDNA_SERVICE_*, XMPPDNA_DIR_*)? Outbound: we connected to
 * domain. Inbound: a peer server connected and presented a client
 * certificate for domain (the stream's "from"). The domain may use
 * U-labels; it is converted to A-labels (IDNA2008, libidn2). Its reference
 * identifiers (RFC 6120 section 13.7.2.1) are the DNS-ID domain, the
 * SRV-ID _service.domain (for xmpps-* also the xmpp-* SRV-ID of the same
 * role, XEP-0368) and the XmppAddr domain. Defaults: prooftypes DANE, PKI,
 * POSH, dialback in that order; no endpoint; the name list and TLSA looked
 * up with the context's DNS servers. Free with xmppdna_request_free().
 * XMPPDNA_EBADNAME / XMPPDNA_EENCODING for a bad domain (an IP literal is
 * not a domain), XMPPDNA_EINVAL for an unknown service or direction.
 * Since 0.3.0. */
int xmppdna_request_new(const char *domain, int service, int direction,
                        xmppdna_request **out);

/* DESTRUCTOR. NULL does nothing. Since 0.3.0. */
void xmppdna_request_free(xmppdna_request *req);

/* Outbound: the SRV target and port that presented the chain. Its TLSA
 * records, at _PORT._tcp.HOST, are the ones that count, and only if the
 * SRV, A and AAAA records leading to it are secure (RFC 7673). Without an
 * endpoint every secure connection candidate's TLSA is consulted.
 * Since 0.3.0. */
int xmppdna_request_set_endpoint(xmppdna_request *req, const char *host, int port);

/* The prooftypes to try, in order (XMPPDNA_PROOF_*, count 1..4, no
 * repeats; XMPPDNA_EINVAL otherwise). The first that accepts decides, but a
 * DANE rejection -- secure TLSA the chain does not match, or bogus TLSA --
 * always rejects, wherever DANE is in the list. {PKI} alone is the RFC
 * 6120 check, with the DNSSEC-delegated names. Since 0.3.0. */
int xmppdna_request_set_prooftypes(xmppdna_request *req, const int *prooftypes, size_t count);

/* Uses this name list (from xmppdna_names_lookup() or _build(); copied)
 * instead of looking it up. It must be for the request's domain and the
 * same role (client or server), else XMPPDNA_EINVAL. Since 0.3.0. */
int xmppdna_request_set_names(xmppdna_request *req, const xmppdna_names *names);

/* Supplies one TLSA record ("USAGE SELECTOR MTYPE HEX", e.g. "3 1 1 ab12...")
 * for _PORT._tcp.HOST with its XMPPDNA_DNSSEC_* status: SECURE only for a
 * record that validated; 0 is BOGUS, which rejects the peer. Supplied
 * locations are never looked up; call once per record of the RRset. host
 * NULL and port 0 supply the record for every location (test records before
 * publishing them). XMPPDNA_EBADNAME for unparsable rdata, XMPPDNA_EINVAL
 * for NONE or an unknown status. Since 0.3.0. */
int xmppdna_request_add_tlsa(xmppdna_request *req, const char *host, int port,
                             const char *rdata, int status);

/* Supplies the domain's POSH document (JSON bytes, need not be
 * NUL-terminated) instead of fetching it. A malformed document is not an
 * error here: the POSH attempt reports it. Since 0.3.0. */
int xmppdna_request_set_posh(xmppdna_request *req, const char *json, size_t len);

/* The caller's XEP-0220 outcome, XMPPDNA_DIALBACK_*. Since 0.3.0. */
int xmppdna_request_set_dialback(xmppdna_request *req, int result);

/* One more name the certificate may carry (a configured alias, a host the
 * caller knows the domain delegated to): value is len bytes of UTF-8 (no
 * NUL needed, none allowed), as a typed reference identifier:
 *   XMPPDNA_ID_NAME  "host1.example.net" or "192.0.2.1" (DNS-ID or IP)
 *   XMPPDNA_ID_DNS   "example.com"
 *   XMPPDNA_ID_SRV   "_xmpp-server.example.com"
 *   XMPPDNA_ID_XMPP  "example.com" or "user@example.com"
 *   XMPPDNA_ID_URI   "xmpp:example.com" or "https://example.com/"
 *   XMPPDNA_ID_IP    "192.0.2.1" or "2001:db8::1"
 * It counts for PKI and for the DANE-TA name check. XMPPDNA_ID_CN is not a
 * reference type: XMPPDNA_EINVAL; a value that does not parse as its type,
 * or is over 65,536 bytes, is XMPPDNA_EBADNAME (XMPPDNA_EENCODING for bad
 * UTF-8). Since 0.3.0. */
int xmppdna_request_add_ref(xmppdna_request *req, int id_type, const char *value, size_t len);

/* For a server that parsed the certificate itself and calls
 * xmppdna_verify() without a chain: one identifier the leaf presents,
 * exactly as the certificate carries it: len raw bytes (IP: 4 or 16
 * octets, network order; others: the string's bytes). Hostile content is
 * accepted and recorded as unusable (a NUL byte, bad syntax, a bad
 * wildcard); it never matches. Only an unknown type (XMPPDNA_EINVAL) and a
 * value over 65,536 bytes (XMPPDNA_EBADNAME) are errors. Without a
 * chain nothing is verified but names: PKI accepts only with
 * XMPPDNA_REQUEST_NAMES_ONLY, and DANE and POSH find no certificate.
 * Since 0.3.0. */
int xmppdna_request_add_presented(xmppdna_request *req, int id_type, const void *value, size_t len);

/* XMPPDNA_REQUEST_* flags; XMPPDNA_EINVAL for unknown bits. Since 0.3.0. */
int xmppdna_request_set_flags(xmppdna_request *req, unsigned int flags);

/* ----------------------------------------------------------- verification */

/* The RFC 7712 Domain Name Association verdict for what the peer presented
 * (chain, or NULL for a peer without a certificate or with the request's
 * presented identifiers) and req. Missing evidence is gathered with the
 * context: the name list and TLSA through its DNS servers (skipped, and said
 * so in the verdict, when none are set or the request says
 * XMPPDNA_REQUEST_NO_LOOKUPS), POSH over HTTPS (only if no earlier
 * prooftype accepted). Verify the same chain for another domain of the same
 * stream (RFC 7712 multiplexing) by calling again with a request for that
 * domain. XMPPDNA_OK with the verdict in *out (free with
 * xmppdna_verdict_free()); XMPPDNA_EMISUSE for a NULL ctx, req or out;
 * XMPPDNA_EINVAL for XMPPDNA_REQUEST_NAMES_ONLY with other prooftypes than
 * {PKI}; XMPPDNA_ETRUST if the trust store cannot be loaded;
 * XMPPDNA_EUNTRUSTED as for xmppdna_names_lookup(). Blocks for as long as
 * the lookups take (LIMITS). Since 0.3.0. */
int xmppdna_verify(xmppdna_ctx *ctx, const xmppdna_chain *chain,
                   const xmppdna_request *req, xmppdna_verdict **out);

/* ---------------------------------------------------------------- verdict */

/* What one prooftype concluded (xmppdna_verdict_attempt_get). As with the
 * DNSSEC statuses, an outcome nobody set (zero) never reads as accepted. */
#define XMPPDNA_ATTEMPT_REJECTED        0  /* for DANE this rejects the peer */
#define XMPPDNA_ATTEMPT_NOT_TRIED       1  /* not needed, or after a DANE rejection */
#define XMPPDNA_ATTEMPT_NOT_APPLICABLE  2  /* no evidence of this kind */
#define XMPPDNA_ATTEMPT_ACCEPTED        3

/* Chain status (xmppdna_verdict_chain). */
#define XMPPDNA_CHAIN_NOT_CHECKED  0  /* no chain, or XMPPDNA_REQUEST_NAMES_ONLY */
#define XMPPDNA_CHAIN_VALID        1
#define XMPPDNA_CHAIN_INVALID      2

/* What a prooftype found (xmppdna_finding.code), grouped by hundreds: any
 * prooftype, PKI, DANE, POSH, dialback. The numbers never change; new ones
 * may be added, so treat an unknown code by its prooftype and outcome. The
 * JSON carries the same codes as lowercase tags ("tlsa_mismatch"). */
#define XMPPDNA_FINDING_ALREADY_ACCEPTED           1  /* seen: the prooftype that accepted */
#define XMPPDNA_FINDING_AFTER_DANE_REJECTION       2  /* not tried: DANE rejected */
#define XMPPDNA_FINDING_NO_CERTIFICATE             3  /* nothing was presented */
#define XMPPDNA_FINDING_PKI_NAME_MATCHED         100  /* expected: the reference, seen: the presented id */
#define XMPPDNA_FINDING_PKI_CHAIN_INVALID        101  /* openssl_code, depth; seen: OpenSSL's text */
#define XMPPDNA_FINDING_PKI_NO_NAME_MATCHES      102  /* expected: the references, seen: the usable ids */
#define XMPPDNA_FINDING_PKI_NAME_ONLY_IN_CN      103  /* the host is only in the subject CN */
#define XMPPDNA_FINDING_PKI_IDENTIFIER_IGNORED   104  /* seen: the id, detail: why it is unusable */
#define XMPPDNA_FINDING_DELEGATION_NOT_SECURE    105  /* dnssec: the SRV delegation's status */
#define XMPPDNA_FINDING_PKI_CHAIN_NOT_CHECKED    106  /* accepted by names only */
#define XMPPDNA_FINDING_DANE_MATCHED             200  /* subject: TLSA owner, seen: the record, depth */
#define XMPPDNA_FINDING_TLSA_BOGUS               201  /* dnssec BOGUS, extended_error */
#define XMPPDNA_FINDING_TLSA_INSECURE            202  /* unsigned TLSA: DANE does not apply */
#define XMPPDNA_FINDING_TLSA_INDETERMINATE       203  /* no answer: the DANE veto holds */
#define XMPPDNA_FINDING_TLSA_NONE                204  /* a secure denial of TLSA */
#define XMPPDNA_FINDING_TLSA_UNUSABLE            205  /* only unusable TLSA records */
#define XMPPDNA_FINDING_TLSA_MISMATCH            206  /* expected: the records; nothing matched */
#define XMPPDNA_FINDING_DANE_CHAIN_INVALID       207  /* PKIX-TA/EE failure: openssl_code, depth */
#define XMPPDNA_FINDING_DANE_NAME_MISMATCH       208  /* a TA matched; the leaf names none of expected */
#define XMPPDNA_FINDING_DANE_NOT_CHECKED         209  /* the chain was not checked against the TLSA */
#define XMPPDNA_FINDING_ENDPOINT_NOT_CANDIDATE   210  /* seen: HOST:PORT, not a candidate of expected */
#define XMPPDNA_FINDING_ENDPOINT_PATH_NOT_SECURE 211  /* seen: HOST:PORT, dnssec of its path */
#define XMPPDNA_FINDING_NO_SECURE_CANDIDATE      212  /* no candidate's path is secure */
#define XMPPDNA_FINDING_TLSA_NOT_LOOKED_UP       213  /* subject: the owner nobody looked up */
#define XMPPDNA_FINDING_TLSA_FAILED_IN_UNSIGNED_ZONE 214 /* no answer, but the zone is proven unsigned */
#define XMPPDNA_FINDING_TLSA_NO_LOCATION         215  /* no TLSA location applies */
#define XMPPDNA_FINDING_POSH_MATCHED             300  /* subject: URL, expected: hash, seen: what matched */
#define XMPPDNA_FINDING_POSH_UNAVAILABLE         301  /* no fetcher and no document */
#define XMPPDNA_FINDING_POSH_MALFORMED           302  /* detail: why */
#define XMPPDNA_FINDING_POSH_BAD_URL             303  /* detail: why */
#define XMPPDNA_FINDING_POSH_REFERENCE_NOT_FOLLOWED 304 /* detail: why */
#define XMPPDNA_FINDING_POSH_FETCH_FAILED        305  /* detail: connection, TLS, HTTP, size */
#define XMPPDNA_FINDING_POSH_MISMATCH            306  /* expected: the published hashes */
#define XMPPDNA_FINDING_POSH_REFERENCE_UNFETCHED 307  /* a supplied reference document */
#define XMPPDNA_FINDING_POSH_NOT_PUBLISHED       308  /* HTTP 404 */
#define XMPPDNA_FINDING_DIALBACK_STRONG          400  /* verified over secure DNS */
#define XMPPDNA_FINDING_DIALBACK_WEAK            401  /* verified over DNS not proven secure */
#define XMPPDNA_FINDING_DIALBACK_FAILED          402
#define XMPPDNA_FINDING_DIALBACK_WEAK_REFUSED    403  /* XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK */
#define XMPPDNA_FINDING_DIALBACK_NOT_SUPPLIED    404

/* One finding, read with xmppdna_verdict_finding_get(). Strings are
 * borrowed from the verdict; those a finding lacks are NULL. */
typedef struct xmppdna_finding {
    int code;             /* XMPPDNA_FINDING_* */
    int prooftype;        /* XMPPDNA_PROOF_* of the attempt it belongs to */
    int outcome;          /* that attempt's XMPPDNA_ATTEMPT_* */
    int dnssec;           /* XMPPDNA_DNSSEC_* of the records concerned, or NONE */
    int extended_error;   /* RFC 8914 code when dnssec is BOGUS, else 0 */
    int openssl_code;     /* X509_V_ERR_* of a failed chain, else 0 */
    int depth;            /* the certificate concerned (0: the leaf) */
    const char *subject;  /* what it is about: a TLSA owner, a POSH URL */
    const char *expected;
    const char *seen;
    const char *detail;   /* the rest: an error's own text */
    const char *text;     /* one English sentence, rendered from the above */
} xmppdna_finding;

/* DESTRUCTOR. NULL does nothing. Since 0.3.0. */
void xmppdna_verdict_free(xmppdna_verdict *v);

/* 1 if the peer is accepted, 0 if rejected, XMPPDNA_EMISUSE for NULL.
 * Since 0.3.0. */
int xmppdna_verdict_accepted(const xmppdna_verdict *v);

/* The XMPPDNA_PROOF_* that accepted, 0 if rejected, XMPPDNA_EMISUSE for
 * NULL. Since 0.3.0. */
int xmppdna_verdict_prooftype(const xmppdna_verdict *v);

/* One English sentence with the deciding reason (borrowed), for logs.
 * Since 0.3.0. */
const char *xmppdna_verdict_summary(const xmppdna_verdict *v);

/* One attempt per requested prooftype, in the requested order; 0 for NULL.
 * Since 0.3.0. */
size_t xmppdna_verdict_attempt_count(const xmppdna_verdict *v);

/* Attempt i: its XMPPDNA_PROOF_*, XMPPDNA_ATTEMPT_* and its findings' text
 * (borrowed). Any out pointer may be NULL. XMPPDNA_ERANGE if i is too
 * large. Since 0.3.0. */
int xmppdna_verdict_attempt_get(const xmppdna_verdict *v, size_t i, int *prooftype, int *outcome,
                                const char **reason);

/* Every attempt's findings, in attempt order; 0 for NULL. Since 0.3.0. */
size_t xmppdna_verdict_finding_count(const xmppdna_verdict *v);

/* Fills *out with finding i. XMPPDNA_ERANGE if i is too large. The struct
 * keeps its layout for this SONAME. Since 0.3.0. */
int xmppdna_verdict_finding_get(const xmppdna_verdict *v, size_t i, xmppdna_finding *out);

/* The PKI chain check: XMPPDNA_CHAIN_* (NOT_CHECKED also when PKI was not
 * tried, as after a DANE decision), and for XMPPDNA_CHAIN_INVALID
 * OpenSSL's X509_V_ERR_* code, the depth of the certificate it concerns and
 * OpenSSL's text (borrowed); otherwise code and depth are 0 and the text is
 * NULL. Any out pointer may be NULL. Since 0.3.0. */
int xmppdna_verdict_chain(const xmppdna_verdict *v, int *status, int *openssl_code, int *depth,
                          const char **text);

/* The (reference, presented) pairs that matched for PKI; 0 for NULL.
 * Since 0.3.0. */
size_t xmppdna_verdict_match_count(const xmppdna_verdict *v);

/* Matched pair i: the reference identifier and the presented one that
 * matched it, each with its XMPPDNA_ID_* type. Strings are borrowed. Any out
 * pointer may be NULL. XMPPDNA_ERANGE if i is too large. Since 0.3.0. */
int xmppdna_verdict_match_get(const xmppdna_verdict *v, size_t i, int *ref_type, const char **ref_value,
                              int *presented_type, const char **presented_value);

/* The identifiers the leaf presented (from the chain, or the request's);
 * 0 for NULL. Since 0.3.0. */
size_t xmppdna_verdict_presented_count(const xmppdna_verdict *v);

/* Presented identifier i: its type, a borrowed, NUL-terminated, printable
 * form (IP addresses in text, unprintable bytes escaped as \xHH), 1 in
 * *usable if it can take part in matching, else 0 and *problem (borrowed)
 * says why (NULL when usable). Any out pointer may be NULL. XMPPDNA_ERANGE
 * if i is too large. Since 0.3.0. */
int xmppdna_verdict_presented_get(const xmppdna_verdict *v, size_t i, int *id_type, const char **value,
                                  int *usable, const char **problem);

/* The records and documents the verdict relied on; 0 for NULL.
 * Since 0.3.0. */
size_t xmppdna_verdict_evidence_count(const xmppdna_verdict *v);

/* Evidence i: what it is (borrowed, e.g. "_5269._tcp.host1.example.net
 * TLSA") and its XMPPDNA_DNSSEC_* status (NONE for a POSH document). Any
 * out pointer may be NULL. XMPPDNA_ERANGE if i is too large. Since 0.3.0. */
int xmppdna_verdict_evidence_get(const xmppdna_verdict *v, size_t i, const char **what, int *status);

/* The verdict as JSON (UTF-8, no trailing newline):
 *   { "schema_version": 1, "accepted", "domain",
 *     "direction": "outbound"|"inbound",
 *     "prooftype": "dane"|"pki"|"posh"|"dialback"|null, "summary",
 *     "attempts": [{"prooftype","outcome":"accepted"|"rejected"|
 *                   "not_applicable"|"not_tried","reason",
 *                   "findings":[{"code":"tlsa_mismatch","number":206,
 *                     "prooftype","subject"?,"expected"?,"seen"?,"dnssec"?,
 *                     "extended_error"?,"openssl_code"?,"depth"?,"detail"?,
 *                     "text"}...]}...],
 *     "pki": {"accepted","prooftype":"pki","references":[{"type","value"}...],
 *             "presented":[{"type","value","usable","problem"?}...],
 *             "matches":[{"reference":{...},"presented":{...}}...],
 *             "chain":{"status":"valid"|"invalid"|"not_checked",
 *                      "error"?,"openssl_code"?,"depth"?,"reused"?},
 *             "reasons":["..."], "findings":[...]},
 *     "tlsa_match": "3 1 1 ..."|null, "dialback": "strong"|"weak"|null,
 *     "evidence": [{"what","status":"secure"|...|null}...] }
 * "chain" is "not_checked" when PKI was not tried: a DANE decision verifies
 * no chain. "reused": true when the context verified the same chain before
 * and that result still holds (the same trust store and direction, and a
 * verification time inside every path certificate's validity).
 * schema_version goes up when a field is removed or changes meaning;
 * fields may be added without it. Release *out with xmppdna_free().
 * Since 0.3.0. */
int xmppdna_verdict_json(const xmppdna_verdict *v, char **out);

/* ----------------------------------------------------------- delegation */

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
 * at most the lookup deadline (LIMITS). Free with xmppdna_names_free().
 * Since 0.1.0. */
int xmppdna_names_lookup(xmppdna_ctx *ctx, const char *domain, int service,
                         xmppdna_names **out);

/* Record types for xmppdna_names_build(). */
#define XMPPDNA_RR_A      1
#define XMPPDNA_RR_CNAME  5
#define XMPPDNA_RR_AAAA  28
#define XMPPDNA_RR_SRV   33

/* One DNS record the caller resolved itself, with its DNSSEC status
 * (XMPPDNA_DNSSEC_*; a zeroed status is BOGUS, never secure; NONE is
 * refused). data is the presentation form of the rdata: "5 0 5269
 * host1.example.net." for SRV, "192.0.2.1" / "2001:db8::1" for A / AAAA,
 * "host1.example.net." for CNAME. data NULL means "no records of this type
 * at owner" (a denial) with the denial's status; type XMPPDNA_RR_SRV with
 * owner "_xmpp-server._tcp.example.com" and data NULL is "no SRV". */
typedef struct xmppdna_record {
    const char *owner;
    int type;
    int status;
    const char *data;
} xmppdna_record;

/* The same list building as xmppdna_names_lookup(), from count records the
 * caller supplies (sans I/O). Lookups that are missing from the records
 * count as indeterminate. XMPPDNA_EBADNAME for a record whose owner or data
 * does not parse; XMPPDNA_EINVAL for an unknown type or status.
 * Since 0.2.0. */
int xmppdna_names_build(const char *domain, int service,
                        const xmppdna_record *records, size_t count,
                        xmppdna_names **out);

/* DESTRUCTOR. NULL does nothing. Since 0.1.0. */
void xmppdna_names_free(xmppdna_names *names);

/* The list as a whole: its XMPPDNA_DNSSEC_* status (SECURE means a
 * delegation was proven and nothing on any path was bogus), its
 * XMPPDNA_NAMES_* kind, how the statuses were obtained (XMPPDNA_TRUST_*;
 * CALLER for xmppdna_names_build()), and for BOGUS or INDETERMINATE the
 * reason (borrowed; else NULL) with, for BOGUS, the RFC 8914 Extended DNS
 * Error code (6 DNSSEC Bogus, 7 Signature Expired, 8 Signature Not Yet
 * Valid, 9 DNSKEY Missing, 10 RRSIGs Missing, 12 NSEC Missing, ...; else
 * 0). Any out pointer may be NULL. Since 0.3.0. */
int xmppdna_names_status(const xmppdna_names *names, int *status, int *kind, int *trust_mode,
                         int *extended_error, const char **reason);

/* The number of entries in L (at least 1: the domain itself); 0 for NULL.
 * Since 0.1.0. */
size_t xmppdna_names_count(const xmppdna_names *names);

/* Entry i of L: XMPPDNA_ID_DNS or XMPPDNA_ID_IP, the name or address, its
 * status (XMPPDNA_DNSSEC_*; NONE for the domain itself, which needs no
 * DNS), and the record that put it there. Strings are borrowed. Any out
 * pointer may be NULL. XMPPDNA_ERANGE if i is too large. Since 0.3.0. */
int xmppdna_names_get(const xmppdna_names *names, size_t i, int *id_type,
                      const char **value, int *status, const char **source);

/* The number of connection candidates, in connection order; 0 for NULL.
 * Since 0.1.0. */
size_t xmppdna_names_candidate_count(const xmppdna_names *names);

/* Candidate i: host (borrowed), port, 1 for direct TLS (xmpps-*), and the
 * weakest status of the records behind it. Any out pointer may be NULL.
 * XMPPDNA_ERANGE if i is too large. Since 0.3.0. */
int xmppdna_names_candidate_get(const xmppdna_names *names, size_t i,
                                const char **host, int *port, int *direct_tls,
                                int *status);

/* The list as JSON: {"schema_version":1,"domain","service","status","kind",
 *   "trust_mode","reason"?,"extended_error"?,
 *   "acceptable_names":[{"name","type":"dns"|"ip","status","source"}...],
 *   "candidates":[{"host","port","direct_tls","service","priority",
 *                  "weight","status","addresses":[...],
 *                  "records":[{"record","status","reason"?,
 *                               "extended_error"?}...]}...]}
 * "reason" comes with a bogus or indeterminate status, "extended_error"
 * (its RFC 8914 code) with a bogus one.
 * Release *out with xmppdna_free(). Since 0.3.0. */
int xmppdna_names_json(const xmppdna_names *names, char **out);

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

/* A finished verdict: rc XMPPDNA_OK with a verdict the callback owns
 * (xmppdna_verdict_free()), or an error as from xmppdna_verify(). */
typedef void (*xmppdna_verdict_callback)(void *userdata, int rc, xmppdna_verdict *verdict);

/* xmppdna_names_lookup() as a query. On XMPPDNA_OK *query_id (may be
 * NULL) identifies the query for xmppdna_cancel(), and callback will be
 * called exactly once from xmppdna_process() unless the query is
 * cancelled. Bad arguments are reported here, synchronously, and then
 * the callback is never called. XMPPDNA_ENOMEM while the context is being
 * freed. Since 0.2.0. */
int xmppdna_names_lookup_async(xmppdna_ctx *ctx, const char *domain, int service,
                               xmppdna_names_callback callback, void *userdata,
                               int *query_id);

/* xmppdna_verify() as a query, with the same rules. Since 0.3.0. */
int xmppdna_verify_async(xmppdna_ctx *ctx, const xmppdna_chain *chain,
                         const xmppdna_request *req,
                         xmppdna_verdict_callback callback, void *userdata,
                         int *query_id);

/* A file descriptor that is readable while finished queries wait for
 * xmppdna_process() (an eventfd; level-triggered, for poll, epoll or
 * Prosody's server.watchfd). Owned by the context: never close it. Made
 * with the context; XMPPDNA_EMISUSE for NULL. Since 0.2.0. */
int xmppdna_fd(xmppdna_ctx *ctx);

/* Runs the callbacks of every finished query, on this thread, and returns
 * how many ran (0 if none was ready; it never blocks); XMPPDNA_EMISUSE for
 * NULL. Since 0.2.0. */
int xmppdna_process(xmppdna_ctx *ctx);

/* Blocks until no query is pending, running callbacks as results arrive;
 * returns how many ran. For programs without an event loop and for tests.
 * Since 0.2.0. */
int xmppdna_wait(xmppdna_ctx *ctx);

/* Forgets query_id: its callback will never be called. XMPPDNA_ENOTFOUND
 * if the query already ran its callback, was cancelled, or never existed.
 * Since 0.2.0. */
int xmppdna_cancel(xmppdna_ctx *ctx, int query_id);

#ifdef __cplusplus
}
#endif

#endif /* XMPPDNA_H */
