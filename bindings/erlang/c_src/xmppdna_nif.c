/*
 * The xmppdna NIF: contexts, name lists and DNA verdicts for Erlang.
 *
 * Nothing here blocks a normal scheduler. Lookups and verdicts are the
 * library's async queries: the context's xmppdna_fd() is watched with
 * enif_select() on behalf of the context's pump process (xmppdna.erl),
 * which calls process/1 on a dirty I/O scheduler when answers wait; each
 * answer goes to the process that asked, as {xmppdna, Ref, Result}.
 * Submits and readers run on dirty CPU schedulers, setters (which may
 * read files) and context creation on dirty I/O ones; what stays on a
 * normal scheduler (cancel, pending and the constants) is metered.
 *
 * Handles are resources: a verdict or a name list is freed when the last
 * term that holds it is garbage-collected. A context is freed by
 * close/1 (or when its pump dies); its pending queries are cancelled then
 * and their callers hear nothing more.
 */
#define _POSIX_C_SOURCE 200809L  /* clock_gettime in C11 */
#include <erl_nif.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <xmppdna.h>

/* A chain or an identifier larger than these is refused as badarg before
 * anything is parsed: no certificate comes near them. */
#define MAX_CHAIN_CERTS 32
#define MAX_CHAIN_BYTES (1024 * 1024)
#define MAX_LIST 1024
#define QUERY_BUCKETS 1024

/* ------------------------------------------------------------ atoms */

static ERL_NIF_TERM atom_ok, atom_error, atom_true, atom_false, atom_undefined, atom_xmppdna, atom_closed;
static ERL_NIF_TERM atom_dane, atom_pki, atom_posh, atom_dialback;
static ERL_NIF_TERM atom_outbound, atom_inbound, atom_xmpp_server, atom_xmpp_client, atom_xmpps_server,
    atom_xmpps_client;
static ERL_NIF_TERM atom_bogus, atom_indeterminate, atom_insecure, atom_secure, atom_none;
static ERL_NIF_TERM atom_accepted, atom_rejected, atom_not_tried, atom_not_applicable;
static ERL_NIF_TERM atom_dns, atom_srv, atom_xmpp, atom_uri, atom_ip, atom_cn, atom_name;
static ERL_NIF_TERM atom_verified, atom_failed, atom_no_srv, atom_unavailable, atom_validate, atom_ad, atom_caller;
static ERL_NIF_TERM atom_valid, atom_invalid, atom_not_checked;
static ERL_NIF_TERM key_accepted, key_prooftype, key_summary, key_attempts, key_findings, key_outcome, key_reason,
    key_code, key_tag, key_dnssec, key_extended_error, key_openssl_code, key_depth, key_subject, key_expected,
    key_seen, key_detail, key_text, key_matches, key_presented, key_chain, key_status, key_kind, key_trust_mode,
    key_names, key_candidates, key_host, key_port, key_direct_tls, key_type, key_value, key_source, key_usable,
    key_problem, key_evidence, key_domain, key_service, key_direction, key_prooftypes, key_endpoint,
    key_names_only, key_no_lookups, key_refuse_weak_dialback, key_extra_names, key_posh, key_tlsa;

/* The result codes of the header, as the atoms {error, Reason} carries. */
static struct { int code; const char *name; ERL_NIF_TERM atom; } error_atoms[] = {
    {XMPPDNA_EMISUSE, "misuse", 0},       {XMPPDNA_EINVAL, "invalid", 0},
    {XMPPDNA_EBADNAME, "bad_name", 0},    {XMPPDNA_EENCODING, "bad_encoding", 0},
    {XMPPDNA_EBADCERT, "bad_certificate", 0}, {XMPPDNA_ETRUST, "trust_store", 0},
    {XMPPDNA_ENOMEM, "no_memory", 0},     {XMPPDNA_ERANGE, "range", 0},
    {XMPPDNA_EINTERNAL, "internal", 0},   {XMPPDNA_ENOSERVER, "no_server", 0},
    {XMPPDNA_EUNTRUSTED, "untrusted_resolver", 0}, {XMPPDNA_ENOTFOUND, "not_found", 0},
};

/* Finding codes and their tags ("tlsa_mismatch"), from the header's names. */
#define FINDINGS(X) \
    X(XMPPDNA_FINDING_ALREADY_ACCEPTED) X(XMPPDNA_FINDING_AFTER_DANE_REJECTION)                                \
    X(XMPPDNA_FINDING_NO_CERTIFICATE) X(XMPPDNA_FINDING_PKI_NAME_MATCHED)                                      \
    X(XMPPDNA_FINDING_PKI_CHAIN_INVALID) X(XMPPDNA_FINDING_PKI_NO_NAME_MATCHES)                                \
    X(XMPPDNA_FINDING_PKI_NAME_ONLY_IN_CN) X(XMPPDNA_FINDING_PKI_IDENTIFIER_IGNORED)                           \
    X(XMPPDNA_FINDING_DELEGATION_NOT_SECURE) X(XMPPDNA_FINDING_PKI_CHAIN_NOT_CHECKED)                          \
    X(XMPPDNA_FINDING_DANE_MATCHED) X(XMPPDNA_FINDING_TLSA_BOGUS) X(XMPPDNA_FINDING_TLSA_INSECURE)             \
    X(XMPPDNA_FINDING_TLSA_INDETERMINATE) X(XMPPDNA_FINDING_TLSA_NONE) X(XMPPDNA_FINDING_TLSA_UNUSABLE)        \
    X(XMPPDNA_FINDING_TLSA_MISMATCH) X(XMPPDNA_FINDING_DANE_CHAIN_INVALID)                                     \
    X(XMPPDNA_FINDING_DANE_NAME_MISMATCH) X(XMPPDNA_FINDING_DANE_NOT_CHECKED)                                  \
    X(XMPPDNA_FINDING_ENDPOINT_NOT_CANDIDATE) X(XMPPDNA_FINDING_ENDPOINT_PATH_NOT_SECURE)                      \
    X(XMPPDNA_FINDING_NO_SECURE_CANDIDATE) X(XMPPDNA_FINDING_TLSA_NOT_LOOKED_UP)                               \
    X(XMPPDNA_FINDING_TLSA_FAILED_IN_UNSIGNED_ZONE) X(XMPPDNA_FINDING_TLSA_NO_LOCATION)                        \
    X(XMPPDNA_FINDING_POSH_MATCHED) X(XMPPDNA_FINDING_POSH_UNAVAILABLE) X(XMPPDNA_FINDING_POSH_MALFORMED)      \
    X(XMPPDNA_FINDING_POSH_BAD_URL) X(XMPPDNA_FINDING_POSH_REFERENCE_NOT_FOLLOWED)                             \
    X(XMPPDNA_FINDING_POSH_FETCH_FAILED) X(XMPPDNA_FINDING_POSH_MISMATCH)                                      \
    X(XMPPDNA_FINDING_POSH_REFERENCE_UNFETCHED) X(XMPPDNA_FINDING_POSH_NOT_PUBLISHED)                          \
    X(XMPPDNA_FINDING_DIALBACK_STRONG) X(XMPPDNA_FINDING_DIALBACK_WEAK) X(XMPPDNA_FINDING_DIALBACK_FAILED)     \
    X(XMPPDNA_FINDING_DIALBACK_WEAK_REFUSED) X(XMPPDNA_FINDING_DIALBACK_NOT_SUPPLIED)

#define FINDING_ENTRY(name) {name, #name, 0},
static struct { int code; const char *macro; ERL_NIF_TERM tag; } finding_tags[] = {FINDINGS(FINDING_ENTRY)};
#define FINDING_COUNT (sizeof finding_tags / sizeof finding_tags[0])

/* ------------------------------------------------------------ resources */

typedef struct query query;

/* The lock is a plain pthread mutex, held only for a few table operations
 * and never across a call into the library: a waiter sleeps rather than
 * spins, and no scheduler waits behind a submit. */
typedef struct {
    pthread_mutex_t lock;
    xmppdna_ctx *ctx;        /* NULL once freed */
    int fd;
    ErlNifPid pump;
    bool has_pump;
    bool stopping;           /* close/1 or the pump's death: no new work */
    int running;             /* calls inside the library (submit, process) */
    unsigned next_key;
    size_t pending;
    query *buckets[QUERY_BUCKETS];
} ctx_res;

/* One outstanding async query: whom to answer, with which reference. */
struct query {
    ErlNifPid owner;
    ErlNifEnv *env;          /* holds ref until the answer is sent */
    ERL_NIF_TERM ref;
    unsigned key;            /* this binding's: the handle {Ref, Key} */
    int id;                  /* the library's, for xmppdna_cancel() */
    ctx_res *res;            /* kept (enif_keep_resource) while pending */
    query *next;
};

typedef struct { xmppdna_verdict *v; } verdict_res;
typedef struct { xmppdna_names *n; } names_res;

static ErlNifResourceType *ctx_type, *verdict_type, *names_type;

/* What this binding holds now, for memory_stats/0: a leak shows here as a
 * count that does not return to zero. */
static _Atomic long live_queries, live_verdicts, live_names;

static void query_free(query *q) {
    live_queries--;
    enif_free_env(q->env);
    enif_release_resource(q->res);
    enif_free(q);
}

/* Under res->lock. */
static void table_insert(ctx_res *res, query *q) {
    query **bucket = &res->buckets[q->key % QUERY_BUCKETS];
    q->next = *bucket;
    *bucket = q;
    res->pending++;
}

/* Under res->lock: the pending query with this key, or NULL. */
static query *table_find(ctx_res *res, unsigned key) {
    for (query *q = res->buckets[key % QUERY_BUCKETS]; q; q = q->next) {
        if (q->key == key) return q;
    }
    return NULL;
}

/* Under res->lock: a key no pending query holds. */
static unsigned table_new_key(ctx_res *res) {
    do { res->next_key++; } while (table_find(res, res->next_key) != NULL);
    return res->next_key;
}

/* Under res->lock: unlinks q if it is in the table; true if it was. */
static bool table_remove(ctx_res *res, query *q) {
    for (query **at = &res->buckets[q->key % QUERY_BUCKETS]; *at; at = &(*at)->next) {
        if (*at == q) {
            *at = q->next;
            res->pending--;
            return true;
        }
    }
    return false;
}

/* Under res->lock: frees the library context once nothing runs inside it,
 * and every query it still held (their callbacks never run). Returns how
 * many it dropped: each held a reference on res, which the caller releases
 * once the lock is free (release_dropped). */
static size_t ctx_release_locked(ctx_res *res) {
    if (res->ctx == NULL || res->running > 0) return 0;
    xmppdna_ctx_free(res->ctx);
    res->ctx = NULL;
    size_t dropped = 0;
    for (size_t b = 0; b < QUERY_BUCKETS; b++) {
        query *q = res->buckets[b];
        res->buckets[b] = NULL;
        while (q) {
            query *next = q->next;
            enif_free_env(q->env);
            enif_free(q);
            live_queries--;
            q = next;
            dropped++;
        }
    }
    res->pending -= dropped;
    return dropped;
}

static void release_dropped(ctx_res *res, size_t dropped) {
    for (size_t i = 0; i < dropped; i++) enif_release_resource(res);
}

static void ctx_dtor(ErlNifEnv *env, void *obj) {
    (void)env;
    ctx_res *res = obj;
    /* Every pending query keeps res alive, so none is left here. */
    if (res->ctx) xmppdna_ctx_free(res->ctx);
    pthread_mutex_destroy(&res->lock);
}

/* enif_select is done with the descriptor: the library may close it now. */
static void ctx_stop(ErlNifEnv *env, void *obj, ErlNifEvent event, int is_direct_call) {
    (void)env; (void)event; (void)is_direct_call;
    ctx_res *res = obj;
    pthread_mutex_lock(&res->lock);
    size_t dropped = ctx_release_locked(res);
    pthread_mutex_unlock(&res->lock);
    release_dropped(res, dropped);
}

/* Stops selecting and frees the context (now, or when process/1 returns). */
static void ctx_shut(ErlNifEnv *env, ctx_res *res) {
    pthread_mutex_lock(&res->lock);
    bool first = !res->stopping && res->ctx != NULL;
    res->stopping = true;
    pthread_mutex_unlock(&res->lock);
    if (first) enif_select(env, (ErlNifEvent)res->fd, ERL_NIF_SELECT_STOP, res, NULL, atom_undefined);
}

/* The pump died: no one will run the callbacks any more. */
static void ctx_down(ErlNifEnv *env, void *obj, ErlNifPid *pid, ErlNifMonitor *monitor) {
    (void)pid; (void)monitor;
    ctx_shut(env, obj);
}

static void verdict_dtor(ErlNifEnv *env, void *obj) {
    (void)env;
    live_verdicts--;
    xmppdna_verdict_free(((verdict_res *)obj)->v);
}

static void names_dtor(ErlNifEnv *env, void *obj) {
    (void)env;
    live_names--;
    xmppdna_names_free(((names_res *)obj)->n);
}

/* ------------------------------------------------------------ helpers */

static ERL_NIF_TERM error_term(ErlNifEnv *env, int code) {
    for (size_t i = 0; i < sizeof error_atoms / sizeof error_atoms[0]; i++) {
        if (error_atoms[i].code == code) return enif_make_tuple2(env, atom_error, error_atoms[i].atom);
    }
    return enif_make_tuple2(env, atom_error, enif_make_int(env, code));
}

static ERL_NIF_TERM ok_or_error(ErlNifEnv *env, int rc) {
    return rc == XMPPDNA_OK ? atom_ok : error_term(env, rc);
}

static ERL_NIF_TERM string_or_undefined(ErlNifEnv *env, const char *text) {
    if (text == NULL) return atom_undefined;
    size_t len = strlen(text);
    ERL_NIF_TERM term;
    unsigned char *bytes = enif_make_new_binary(env, len, &term);
    if (bytes == NULL) return atom_undefined;
    memcpy(bytes, text, len);
    return term;
}

/* A binary or iolist as a NUL-terminated C string in buf (or a heap
 * copy); false for anything else, an embedded NUL, or more than max
 * bytes. The library itself refuses bad UTF-8. */
static bool c_string(ErlNifEnv *env, ERL_NIF_TERM term, size_t max, char *buf, size_t buflen, char **out) {
    ErlNifBinary bin;
    if (!enif_inspect_iolist_as_binary(env, term, &bin)) return false;
    if (bin.size > max || memchr(bin.data, 0, bin.size) != NULL) return false;
    char *target = buf;
    if (bin.size + 1 > buflen) {
        target = enif_alloc(bin.size + 1);
        if (target == NULL) return false;
    }
    memcpy(target, bin.data, bin.size);
    target[bin.size] = 0;
    *out = target;
    return true;
}

static void c_string_free(char *text, char *buf) {
    if (text != buf) enif_free(text);
}

static ctx_res *get_ctx(ErlNifEnv *env, ERL_NIF_TERM term) {
    ctx_res *res;
    return enif_get_resource(env, term, ctx_type, (void **)&res) ? res : NULL;
}

static ERL_NIF_TERM prooftype_atom(int p) {
    switch (p) {
    case XMPPDNA_PROOF_DANE: return atom_dane;
    case XMPPDNA_PROOF_PKI: return atom_pki;
    case XMPPDNA_PROOF_POSH: return atom_posh;
    case XMPPDNA_PROOF_DIALBACK: return atom_dialback;
    default: return atom_undefined;
    }
}

static ERL_NIF_TERM dnssec_atom(int s) {
    switch (s) {
    case XMPPDNA_DNSSEC_BOGUS: return atom_bogus;
    case XMPPDNA_DNSSEC_INDETERMINATE: return atom_indeterminate;
    case XMPPDNA_DNSSEC_INSECURE: return atom_insecure;
    case XMPPDNA_DNSSEC_SECURE: return atom_secure;
    default: return atom_none;
    }
}

static ERL_NIF_TERM outcome_atom(int o) {
    switch (o) {
    case XMPPDNA_ATTEMPT_ACCEPTED: return atom_accepted;
    case XMPPDNA_ATTEMPT_REJECTED: return atom_rejected;
    case XMPPDNA_ATTEMPT_NOT_TRIED: return atom_not_tried;
    default: return atom_not_applicable;
    }
}

static ERL_NIF_TERM id_atom(int t) {
    switch (t) {
    case XMPPDNA_ID_DNS: return atom_dns;
    case XMPPDNA_ID_SRV: return atom_srv;
    case XMPPDNA_ID_XMPP: return atom_xmpp;
    case XMPPDNA_ID_URI: return atom_uri;
    case XMPPDNA_ID_IP: return atom_ip;
    case XMPPDNA_ID_CN: return atom_cn;
    default: return atom_name;
    }
}

static bool id_type_of(ErlNifEnv *env, ERL_NIF_TERM atom, int *type) {
    if (enif_is_identical(atom, atom_name)) *type = XMPPDNA_ID_NAME;
    else if (enif_is_identical(atom, atom_dns)) *type = XMPPDNA_ID_DNS;
    else if (enif_is_identical(atom, atom_srv)) *type = XMPPDNA_ID_SRV;
    else if (enif_is_identical(atom, atom_xmpp)) *type = XMPPDNA_ID_XMPP;
    else if (enif_is_identical(atom, atom_uri)) *type = XMPPDNA_ID_URI;
    else if (enif_is_identical(atom, atom_ip)) *type = XMPPDNA_ID_IP;
    else if (enif_is_identical(atom, atom_cn)) *type = XMPPDNA_ID_CN;
    else return false;
    (void)env;
    return true;
}

static bool service_of(ERL_NIF_TERM atom, int *service) {
    if (enif_is_identical(atom, atom_xmpp_server)) *service = XMPPDNA_SERVICE_XMPP_SERVER;
    else if (enif_is_identical(atom, atom_xmpp_client)) *service = XMPPDNA_SERVICE_XMPP_CLIENT;
    else if (enif_is_identical(atom, atom_xmpps_server)) *service = XMPPDNA_SERVICE_XMPPS_SERVER;
    else if (enif_is_identical(atom, atom_xmpps_client)) *service = XMPPDNA_SERVICE_XMPPS_CLIENT;
    else return false;
    return true;
}

static ERL_NIF_TERM finding_tag(int code) {
    for (size_t i = 0; i < FINDING_COUNT; i++) {
        if (finding_tags[i].code == code) return finding_tags[i].tag;
    }
    return atom_undefined;
}

/* A NIF costs one reduction whatever it does, so a process that calls
 * many in a row would keep its scheduler for milliseconds: each call on a
 * normal scheduler reports the share of a 1 ms timeslice it used. The
 * longest such call is kept, in the thread's CPU time (what the NIF itself
 * held the scheduler for, without the time the OS or a hypervisor took the
 * core away) and in wall time, for scheduler_stats/0. */
typedef struct { uint64_t wall, cpu; } clocks;

static clocks clocks_now(void) {
    struct timespec cpu;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    return (clocks){(uint64_t)enif_monotonic_time(ERL_NIF_NSEC), (uint64_t)cpu.tv_sec * 1000000000u + (uint64_t)cpu.tv_nsec};
}

static _Atomic uint64_t longest_cpu_ns, longest_wall_ns;

static void keep_longest(_Atomic uint64_t *longest, uint64_t value) {
    uint64_t seen = atomic_load(longest);
    while (value > seen && !atomic_compare_exchange_weak(longest, &seen, value)) {}
}

static ERL_NIF_TERM charged(ErlNifEnv *env, clocks started, ERL_NIF_TERM result) {
    if (enif_thread_type() == ERL_NIF_THR_NORMAL_SCHEDULER) {
        clocks now = clocks_now();
        keep_longest(&longest_cpu_ns, now.cpu - started.cpu);
        keep_longest(&longest_wall_ns, now.wall - started.wall);
        uint64_t percent = (now.wall - started.wall) / 10000u + 1;
        enif_consume_timeslice(env, percent > 100 ? 100 : (int)percent);
    }
    return result;
}

/* scheduler_stats() -> {LongestCpuNs, LongestWallNs} of the metered calls
 * on normal schedulers since the last call; resets both. */
static ERL_NIF_TERM scheduler_stats_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc; (void)argv;
    return enif_make_tuple2(env, enif_make_uint64(env, atomic_exchange(&longest_cpu_ns, 0)),
                            enif_make_uint64(env, atomic_exchange(&longest_wall_ns, 0)));
}

/* memory_stats() -> {Queries, Verdicts, Names, MallocBytes}: the queries
 * pending in this binding, the verdict and name-list resources alive, and
 * the bytes the C heap holds (the library's and OpenSSL's; the VM's own
 * allocators are erlang:memory/0's), or undefined without glibc. RSS moves
 * by megabytes as arenas and carriers are kept or returned, so a leak test
 * reads these instead. */
static ERL_NIF_TERM memory_stats_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc; (void)argv;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    struct mallinfo2 heap = mallinfo2();
    ERL_NIF_TERM in_use = enif_make_uint64(env, heap.uordblks + heap.hblkhd);
#else
    ERL_NIF_TERM in_use = atom_undefined;
#endif
    return enif_make_tuple4(env, enif_make_long(env, live_queries), enif_make_long(env, live_verdicts),
                            enif_make_long(env, live_names), in_use);
}

/* ------------------------------------------------------------ context */

static ERL_NIF_TERM ctx_new_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc; (void)argv;
    ctx_res *res = enif_alloc_resource(ctx_type, sizeof *res);
    if (res == NULL) return error_term(env, XMPPDNA_ENOMEM);
    memset(res, 0, sizeof *res);
    pthread_mutex_init(&res->lock, NULL);
    int rc = xmppdna_ctx_new(&res->ctx);
    if (rc == XMPPDNA_OK) res->fd = xmppdna_fd(res->ctx);
    if (rc != XMPPDNA_OK || res->fd < 0) {
        if (res->ctx) { xmppdna_ctx_free(res->ctx); res->ctx = NULL; }
        enif_release_resource(res);
        return error_term(env, rc != XMPPDNA_OK ? rc : XMPPDNA_EINTERNAL);
    }
    ERL_NIF_TERM term = enif_make_resource(env, res);
    enif_release_resource(res);
    return enif_make_tuple2(env, atom_ok, term);
}

/* set_pump(Ctx, Pid): the process that receives the select messages; the
 * context is shut when it dies. */
static ERL_NIF_TERM set_pump_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    ctx_res *res = get_ctx(env, argv[0]);
    ErlNifPid pid;
    if (res == NULL || !enif_get_local_pid(env, argv[1], &pid)) return enif_make_badarg(env);
    pthread_mutex_lock(&res->lock);
    bool taken = res->has_pump || res->stopping;
    if (!taken) { res->pump = pid; res->has_pump = true; }
    pthread_mutex_unlock(&res->lock);
    if (taken) return error_term(env, XMPPDNA_EMISUSE);
    if (enif_monitor_process(env, res, &pid, NULL) != 0) {
        ctx_shut(env, res);
        return error_term(env, XMPPDNA_EMISUSE);
    }
    return atom_ok;
}

static ERL_NIF_TERM close_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    ctx_res *res = get_ctx(env, argv[0]);
    if (res == NULL) return enif_make_badarg(env);
    ctx_shut(env, res);
    return atom_ok;
}

/* Arms the select for the pump; under res->lock. */
static void arm_locked(ErlNifEnv *env, ctx_res *res) {
    if (res->has_pump && res->ctx && !res->stopping && res->pending > 0) {
        enif_select(env, (ErlNifEvent)res->fd, ERL_NIF_SELECT_READ, res, &res->pump, atom_undefined);
    }
}

/* Marks a call into the library: the context stays alive until
 * ctx_leave(), even if close/1 comes meanwhile. false if it is closed. */
static bool ctx_enter(ctx_res *res) {
    pthread_mutex_lock(&res->lock);
    bool usable = res->ctx != NULL && !res->stopping;
    if (usable) res->running++;
    pthread_mutex_unlock(&res->lock);
    return usable;
}

/* Ends a call into the library: frees the context if close/1 came while
 * it ran, and re-arms the select for answers still pending. */
static void ctx_leave(ErlNifEnv *env, ctx_res *res) {
    pthread_mutex_lock(&res->lock);
    res->running--;
    size_t dropped = res->stopping ? ctx_release_locked(res) : 0;
    arm_locked(env, res);
    pthread_mutex_unlock(&res->lock);
    release_dropped(res, dropped);
}

/* ctx_setting(Ctx, Name, Args): one setter of the context, on a dirty I/O
 * scheduler (set_ca and set_anchor_file read files). */
static ERL_NIF_TERM ctx_set_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    ctx_res *res = get_ctx(env, argv[0]);
    char setting[32];
    int arity;
    const ERL_NIF_TERM *args;
    if (res == NULL || enif_get_atom(env, argv[1], setting, sizeof setting, ERL_NIF_LATIN1) <= 0 ||
        !enif_get_tuple(env, argv[2], &arity, &args)) {
        return enif_make_badarg(env);
    }
    char b1[512], b2[512], *s1 = NULL, *s2 = NULL;
    int i1, i2, i3, i4;
    ErlNifSInt64 t;
    int rc = XMPPDNA_EINVAL;
    bool bad = false;
    if (!ctx_enter(res)) return enif_make_tuple2(env, atom_error, atom_closed);
    if (strcmp(setting, "ca") == 0 && arity == 2) {
        /* undefined for either path: not set. */
        bool f = enif_is_identical(args[0], atom_undefined) || c_string(env, args[0], 4096, b1, sizeof b1, &s1);
        bool d = enif_is_identical(args[1], atom_undefined) || c_string(env, args[1], 4096, b2, sizeof b2, &s2);
        if (f && d) rc = xmppdna_ctx_set_ca(res->ctx, s1, s2); else bad = true;
    } else if (strcmp(setting, "time") == 0 && arity == 1) {
        if (enif_is_identical(args[0], atom_undefined)) rc = xmppdna_ctx_set_time(res->ctx, XMPPDNA_TIME_NOW);
        else if (enif_get_int64(env, args[0], &t) && t > 0) rc = xmppdna_ctx_set_time(res->ctx, t);
        else bad = true;
    } else if (strcmp(setting, "server") == 0 && arity == 2) {
        /* {Server, TrustAD} */
        if (c_string(env, args[0], 256, b1, sizeof b1, &s1) && enif_is_atom(env, args[1])) {
            rc = xmppdna_ctx_add_server(res->ctx, s1, enif_is_identical(args[1], atom_true) ? XMPPDNA_SERVER_TRUST_AD : 0);
        } else bad = true;
    } else if (strcmp(setting, "clear_servers") == 0 && arity == 0) {
        rc = xmppdna_ctx_clear_servers(res->ctx);
    } else if (strcmp(setting, "trust_mode") == 0 && arity == 1) {
        if (enif_is_identical(args[0], atom_validate)) rc = xmppdna_ctx_set_trust_mode(res->ctx, XMPPDNA_TRUST_VALIDATE);
        else if (enif_is_identical(args[0], atom_ad)) rc = xmppdna_ctx_set_trust_mode(res->ctx, XMPPDNA_TRUST_AD);
        else bad = true;
    } else if (strcmp(setting, "anchor_file") == 0 && arity == 1) {
        if (c_string(env, args[0], 4096, b1, sizeof b1, &s1)) rc = xmppdna_ctx_set_anchor_file(res->ctx, s1); else bad = true;
    } else if (strcmp(setting, "dns_timeout") == 0 && arity == 3) {
        if (enif_get_int(env, args[0], &i1) && enif_get_int(env, args[1], &i2) && enif_get_int(env, args[2], &i3)) {
            rc = xmppdna_ctx_set_dns_timeout(res->ctx, i1, i2, i3);
        } else bad = true;
    } else if (strcmp(setting, "posh") == 0 && arity == 2) {
        bool u = enif_is_identical(args[0], atom_undefined) || c_string(env, args[0], 4096, b1, sizeof b1, &s1);
        if (u && enif_get_int(env, args[1], &i1)) rc = xmppdna_ctx_set_posh(res->ctx, s1, i1); else bad = true;
    } else if (strcmp(setting, "limits") == 0 && arity == 4) {
        if (enif_get_int(env, args[0], &i1) && enif_get_int(env, args[1], &i2) && enif_get_int(env, args[2], &i3) &&
            enif_get_int(env, args[3], &i4)) {
            rc = xmppdna_ctx_set_limits(res->ctx, i1, i2, i3, i4);
        } else bad = true;
    } else if (strcmp(setting, "cache_limits") == 0 && arity == 3) {
        if (enif_get_int(env, args[0], &i1) && enif_get_int(env, args[1], &i2) && enif_get_int(env, args[2], &i3)) {
            rc = xmppdna_ctx_set_cache_limits(res->ctx, i1, i2, i3);
        } else bad = true;
    } else {
        bad = true;
    }
    ctx_leave(env, res);
    if (s1) c_string_free(s1, b1);
    if (s2) c_string_free(s2, b2);
    return bad ? enif_make_badarg(env) : ok_or_error(env, rc);
}

/* ------------------------------------------------------------ async */

static void send_answer(query *q, ERL_NIF_TERM result) {
    ERL_NIF_TERM message = enif_make_tuple3(q->env, atom_xmppdna, q->ref, result);
    /* A caller that is gone is no error: the answer is dropped. */
    enif_send(NULL, &q->owner, q->env, message);
}

/* Runs on the thread inside xmppdna_process(): process/1's. */
static void answer_removed(query *q) {
    ctx_res *res = q->res;
    pthread_mutex_lock(&res->lock);
    table_remove(res, q);
    pthread_mutex_unlock(&res->lock);
    query_free(q);
}

/* Answers q with {ok, Resource} (the resource holding the handle), or
 * with the error when there is none: rc, or no_memory if rc was OK. */
static void answer(query *q, int rc, void *resource) {
    ERL_NIF_TERM result;
    if (resource) {
        result = enif_make_tuple2(q->env, atom_ok, enif_make_resource(q->env, resource));
        enif_release_resource(resource);
    } else {
        result = error_term(q->env, rc == XMPPDNA_OK ? XMPPDNA_ENOMEM : rc);
    }
    send_answer(q, result);
    answer_removed(q);
}

static void on_verdict(void *userdata, int rc, xmppdna_verdict *verdict) {
    verdict_res *vr = rc == XMPPDNA_OK ? enif_alloc_resource(verdict_type, sizeof *vr) : NULL;
    if (vr) { vr->v = verdict; live_verdicts++; } else { xmppdna_verdict_free(verdict); }
    answer(userdata, rc, vr);
}

static void on_names(void *userdata, int rc, xmppdna_names *names) {
    names_res *nr = rc == XMPPDNA_OK ? enif_alloc_resource(names_type, sizeof *nr) : NULL;
    if (nr) { nr->n = names; live_names++; } else { xmppdna_names_free(names); }
    answer(userdata, rc, nr);
}

/* A query for the calling process; *ref is its reference in the caller's
 * env (q->env gets a copy: once submitted, q belongs to the callback). */
static query *query_new(ErlNifEnv *env, ctx_res *res, ERL_NIF_TERM *ref) {
    query *q = enif_alloc(sizeof *q);
    if (q == NULL) return NULL;
    memset(q, 0, sizeof *q);
    q->env = enif_alloc_env();
    if (q->env == NULL) { enif_free(q); return NULL; }
    live_queries++;
    enif_self(env, &q->owner);
    *ref = enif_make_ref(env);
    q->ref = enif_make_copy(q->env, *ref);
    q->res = res;
    enif_keep_resource(res);
    return q;
}

/* Puts q in the table before the library sees it, so its callback always
 * finds it; false if the context is closed (q is then freed). */
static bool query_register(ctx_res *res, query *q) {
    if (!ctx_enter(res)) { query_free(q); return false; }
    pthread_mutex_lock(&res->lock);
    q->key = table_new_key(res);
    table_insert(res, q);
    pthread_mutex_unlock(&res->lock);
    return true;
}

/* After the library's submit: records its id, or takes q back out if the
 * submit failed (its callback never runs then). The answer to the caller:
 * {ok, {Ref, Key}}, the handle cancel/2 takes. */
static ERL_NIF_TERM query_submitted(ErlNifEnv *env, ctx_res *res, query *q, ERL_NIF_TERM ref, int rc, int id) {
    unsigned key = q->key;  /* q may be answered and freed once the lock is released */
    pthread_mutex_lock(&res->lock);
    query *still = table_find(res, key);
    if (still != NULL && rc == XMPPDNA_OK) still->id = id;
    if (still != NULL && rc != XMPPDNA_OK) table_remove(res, still);
    pthread_mutex_unlock(&res->lock);
    if (rc != XMPPDNA_OK && still != NULL) query_free(still);
    ctx_leave(env, res);
    if (rc != XMPPDNA_OK) return error_term(env, rc);
    return enif_make_tuple2(env, atom_ok, enif_make_tuple2(env, ref, enif_make_uint(env, key)));
}

/* names_lookup(Ctx, Domain, Service) */
static ERL_NIF_TERM names_lookup_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    ctx_res *res = get_ctx(env, argv[0]);
    char buf[256], *domain;
    int service;
    if (res == NULL || !service_of(argv[2], &service)) return enif_make_badarg(env);
    if (!c_string(env, argv[1], 1024, buf, sizeof buf, &domain)) return enif_make_badarg(env);
    ERL_NIF_TERM ref;
    query *q = query_new(env, res, &ref);
    if (q == NULL) { c_string_free(domain, buf); return error_term(env, XMPPDNA_ENOMEM); }
    if (!query_register(res, q)) {
        c_string_free(domain, buf);
        return enif_make_tuple2(env, atom_error, atom_closed);
    }
    int id = 0;
    int rc = xmppdna_names_lookup_async(res->ctx, domain, service, on_names, q, &id);
    c_string_free(domain, buf);
    return query_submitted(env, res, q, ref, rc, id);
}



/* The request map as a request handle; false (badarg) for a malformed
 * map, *rc for what the library refused. */
static bool build_request(ErlNifEnv *env, ERL_NIF_TERM map, xmppdna_request **out, int *rc) {
    ERL_NIF_TERM value, head, tail;
    char buf[1024], *domain;
    if (!enif_is_map(env, map) || !enif_get_map_value(env, map, key_domain, &value)) return false;
    if (!c_string(env, value, 1024, buf, sizeof buf, &domain)) return false;
    int service = XMPPDNA_SERVICE_XMPP_SERVER, direction = XMPPDNA_DIR_OUTBOUND;
    if (enif_get_map_value(env, map, key_service, &value) && !service_of(value, &service)) goto bad_domain;
    if (enif_get_map_value(env, map, key_direction, &value)) {
        if (enif_is_identical(value, atom_inbound)) direction = XMPPDNA_DIR_INBOUND;
        else if (!enif_is_identical(value, atom_outbound)) goto bad_domain;
    }
    *rc = xmppdna_request_new(domain, service, direction, out);
    c_string_free(domain, buf);
    if (*rc != XMPPDNA_OK) return true;
    xmppdna_request *req = *out;

    if (enif_get_map_value(env, map, key_prooftypes, &value)) {
        int list[8];
        size_t count = 0;
        for (tail = value; enif_get_list_cell(env, tail, &head, &tail);) {
            int p = enif_is_identical(head, atom_dane) ? XMPPDNA_PROOF_DANE : enif_is_identical(head, atom_pki) ? XMPPDNA_PROOF_PKI
                  : enif_is_identical(head, atom_posh) ? XMPPDNA_PROOF_POSH : enif_is_identical(head, atom_dialback) ? XMPPDNA_PROOF_DIALBACK : 0;
            if (p == 0 || count == 8) goto bad;
            list[count++] = p;
        }
        if (!enif_is_empty_list(env, tail)) goto bad;
        if ((*rc = xmppdna_request_set_prooftypes(req, list, count)) != XMPPDNA_OK) return true;
    }
    if (enif_get_map_value(env, map, key_endpoint, &value)) {
        int arity, port;
        const ERL_NIF_TERM *pair;
        char hbuf[256], *host;
        if (!enif_get_tuple(env, value, &arity, &pair) || arity != 2 || !enif_get_int(env, pair[1], &port)) goto bad;
        if (!c_string(env, pair[0], 1024, hbuf, sizeof hbuf, &host)) goto bad;
        *rc = xmppdna_request_set_endpoint(req, host, port);
        c_string_free(host, hbuf);
        if (*rc != XMPPDNA_OK) return true;
    }
    unsigned int flags = 0;
    struct { ERL_NIF_TERM key; unsigned int flag; } bools[] = {
        {key_names_only, XMPPDNA_REQUEST_NAMES_ONLY}, {key_no_lookups, XMPPDNA_REQUEST_NO_LOOKUPS},
        {key_refuse_weak_dialback, XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK}};
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
        if (!enif_get_map_value(env, map, bools[i].key, &value)) continue;
        if (enif_is_identical(value, atom_true)) flags |= bools[i].flag;
        else if (!enif_is_identical(value, atom_false)) goto bad;
    }
    if ((*rc = xmppdna_request_set_flags(req, flags)) != XMPPDNA_OK) return true;
    if (enif_get_map_value(env, map, atom_dialback, &value)) {
        int result = enif_is_identical(value, atom_verified) ? XMPPDNA_DIALBACK_VERIFIED
                   : enif_is_identical(value, atom_failed) ? XMPPDNA_DIALBACK_FAILED
                   : enif_is_identical(value, atom_none) ? XMPPDNA_DIALBACK_NONE : -1;
        if (result < 0) goto bad;
        if ((*rc = xmppdna_request_set_dialback(req, result)) != XMPPDNA_OK) return true;
    }
    /* extra_names and presented: [{Type, Binary}]; the library refuses bad values by code. */
    ERL_NIF_TERM lists[2] = {key_extra_names, key_presented};
    for (int which = 0; which < 2; which++) {
        if (!enif_get_map_value(env, map, lists[which], &value)) continue;
        size_t count = 0;
        for (tail = value; enif_get_list_cell(env, tail, &head, &tail);) {
            int arity, type;
            const ERL_NIF_TERM *pair;
            ErlNifBinary bin;
            if (++count > MAX_LIST || !enif_get_tuple(env, head, &arity, &pair) || arity != 2 ||
                !id_type_of(env, pair[0], &type) || !enif_inspect_binary(env, pair[1], &bin)) {
                goto bad;
            }
            *rc = which == 0 ? xmppdna_request_add_ref(req, type, (const char *)bin.data, bin.size)
                             : xmppdna_request_add_presented(req, type, bin.data, bin.size);
            if (*rc != XMPPDNA_OK) return true;
        }
        if (!enif_is_empty_list(env, tail)) goto bad;
    }
    if (enif_get_map_value(env, map, key_posh, &value)) {
        ErlNifBinary bin;
        if (!enif_inspect_binary(env, value, &bin)) goto bad;
        if ((*rc = xmppdna_request_set_posh(req, (const char *)bin.data, bin.size)) != XMPPDNA_OK) return true;
    }
    if (enif_get_map_value(env, map, key_tlsa, &value)) {
        /* [{Host | undefined, Port, <<"3 1 1 HEX">>, Status}] */
        size_t count = 0;
        for (tail = value; enif_get_list_cell(env, tail, &head, &tail);) {
            int arity, port, status;
            const ERL_NIF_TERM *item;
            char hbuf[256], rbuf[512], *host = NULL, *rdata;
            if (++count > MAX_LIST || !enif_get_tuple(env, head, &arity, &item) || arity != 4 || !enif_get_int(env, item[1], &port)) goto bad;
            status = enif_is_identical(item[3], atom_secure) ? XMPPDNA_DNSSEC_SECURE : enif_is_identical(item[3], atom_insecure) ? XMPPDNA_DNSSEC_INSECURE
                   : enif_is_identical(item[3], atom_bogus) ? XMPPDNA_DNSSEC_BOGUS : enif_is_identical(item[3], atom_indeterminate) ? XMPPDNA_DNSSEC_INDETERMINATE : -1;
            if (status < 0) goto bad;
            if (!enif_is_identical(item[0], atom_undefined) && !c_string(env, item[0], 1024, hbuf, sizeof hbuf, &host)) goto bad;
            if (!c_string(env, item[2], 65536, rbuf, sizeof rbuf, &rdata)) { if (host) c_string_free(host, hbuf); goto bad; }
            *rc = xmppdna_request_add_tlsa(req, host, port, rdata, status);
            if (host) c_string_free(host, hbuf);
            c_string_free(rdata, rbuf);
            if (*rc != XMPPDNA_OK) return true;
        }
        if (!enif_is_empty_list(env, tail)) goto bad;
    }
    *rc = XMPPDNA_OK;
    return true;
bad:
    xmppdna_request_free(*out);
    *out = NULL;
    return false;
bad_domain:
    c_string_free(domain, buf);
    return false;
}

/* [DER binary], leaf first, as a chain handle (none for []). */
static bool build_chain(ErlNifEnv *env, ERL_NIF_TERM list, xmppdna_chain **out, int *rc) {
    ERL_NIF_TERM head, tail;
    unsigned length;
    *out = NULL;
    *rc = XMPPDNA_OK;
    if (!enif_get_list_length(env, list, &length) || length > MAX_CHAIN_CERTS) return false;
    if (length == 0) return true;
    size_t total = 0;
    for (tail = list; enif_get_list_cell(env, tail, &head, &tail);) {
        ErlNifBinary bin;
        if (!enif_inspect_binary(env, head, &bin) || (total += bin.size) > MAX_CHAIN_BYTES) return false;
    }
    if ((*rc = xmppdna_chain_new(out)) != XMPPDNA_OK) return true;
    for (tail = list; enif_get_list_cell(env, tail, &head, &tail);) {
        ErlNifBinary bin;
        enif_inspect_binary(env, head, &bin);
        if ((*rc = xmppdna_chain_add_der(*out, bin.data, bin.size)) != XMPPDNA_OK) {
            xmppdna_chain_free(*out);
            *out = NULL;
            return true;
        }
    }
    return true;
}

/* verify(Ctx, [DER], RequestMap), on a dirty CPU scheduler like
 * names_lookup/3: parsing a certificate is CPU work (OpenSSL 3 decodes
 * its key: about 150 us each), and even a submit without a chain, which
 * is microseconds, sometimes takes milliseconds (the library's tables of
 * pending queries grow by doubling; the allocator returns and faults in
 * pages), which a normal scheduler must never wait for. */
static ERL_NIF_TERM verify_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    ctx_res *res = get_ctx(env, argv[0]);
    if (res == NULL) return enif_make_badarg(env);
    xmppdna_chain *chain;
    xmppdna_request *req = NULL;
    int rc;
    if (!build_chain(env, argv[1], &chain, &rc)) return enif_make_badarg(env);
    if (rc != XMPPDNA_OK) return error_term(env, rc);
    if (!build_request(env, argv[2], &req, &rc)) {
        xmppdna_chain_free(chain);
        return enif_make_badarg(env);
    }
    ERL_NIF_TERM ref = atom_undefined, result;
    query *q = rc == XMPPDNA_OK ? query_new(env, res, &ref) : NULL;
    if (rc != XMPPDNA_OK || q == NULL) {
        result = error_term(env, rc != XMPPDNA_OK ? rc : XMPPDNA_ENOMEM);
    } else if (!query_register(res, q)) {
        result = enif_make_tuple2(env, atom_error, atom_closed);
    } else {
        int id = 0;
        rc = xmppdna_verify_async(res->ctx, chain, req, on_verdict, q, &id);
        result = query_submitted(env, res, q, ref, rc, id);
    }
    xmppdna_chain_free(chain);
    xmppdna_request_free(req);
    return result;
}

/* cancel(Ctx, {Ref, Key}): ok, or {error, not_found} if it already
 * answered. The query leaves the table first, so an answer racing the
 * cancel finds nothing to send and is dropped. */
static ERL_NIF_TERM cancel_unmetered(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    ctx_res *res = get_ctx(env, argv[0]);
    int arity;
    unsigned key;
    const ERL_NIF_TERM *handle;
    if (res == NULL || !enif_get_tuple(env, argv[1], &arity, &handle) || arity != 2 || !enif_is_ref(env, handle[0]) ||
        !enif_get_uint(env, handle[1], &key)) {
        return enif_make_badarg(env);
    }
    if (!ctx_enter(res)) return error_term(env, XMPPDNA_ENOTFOUND);
    pthread_mutex_lock(&res->lock);
    query *found = table_find(res, key);
    if (found && enif_compare(found->ref, handle[0]) != 0) found = NULL;
    int id = found ? found->id : 0;
    pthread_mutex_unlock(&res->lock);
    int rc = found ? xmppdna_cancel(res->ctx, id) : XMPPDNA_ENOTFOUND;
    bool removed = false;
    if (rc == XMPPDNA_OK) {
        pthread_mutex_lock(&res->lock);
        removed = table_find(res, key) == found && table_remove(res, found);
        pthread_mutex_unlock(&res->lock);
    }
    if (removed) query_free(found);
    ctx_leave(env, res);
    return ok_or_error(env, rc);
}

static ERL_NIF_TERM cancel_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    clocks started = clocks_now();
    return charged(env, started, cancel_unmetered(env, argc, argv));
}

/* process(Ctx): runs the callbacks of finished queries (dirty I/O). */
static ERL_NIF_TERM process_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    ctx_res *res = get_ctx(env, argv[0]);
    if (res == NULL) return enif_make_badarg(env);
    if (!ctx_enter(res)) return enif_make_int(env, 0);
    int ran = xmppdna_process(res->ctx);
    ctx_leave(env, res);
    return enif_make_int(env, ran);
}

static ERL_NIF_TERM pending_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    clocks started = clocks_now();
    ctx_res *res = get_ctx(env, argv[0]);
    if (res == NULL) return enif_make_badarg(env);
    pthread_mutex_lock(&res->lock);
    size_t pending = res->pending;
    pthread_mutex_unlock(&res->lock);
    return charged(env, started, enif_make_uint64(env, pending));
}

/* ------------------------------------------------------------ readers */

/* The readers run on a dirty CPU scheduler: a verdict is read in
 * microseconds, but one from a hostile certificate carries thousands of
 * identifiers, and a names-only verdict is made on first read. */
static ERL_NIF_TERM verdict_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    verdict_res *vr;
    if (!enif_get_resource(env, argv[0], verdict_type, (void **)&vr)) return enif_make_badarg(env);
    const xmppdna_verdict *v = vr->v;
    ERL_NIF_TERM attempts = enif_make_list(env, 0), findings = enif_make_list(env, 0), matches = enif_make_list(env, 0),
                 presented = enif_make_list(env, 0), evidence = enif_make_list(env, 0);
    for (size_t i = xmppdna_verdict_attempt_count(v); i-- > 0;) {
        int p, o;
        const char *reason;
        if (xmppdna_verdict_attempt_get(v, i, &p, &o, &reason) != XMPPDNA_OK) continue;
        ERL_NIF_TERM keys[] = {key_prooftype, key_outcome, key_reason};
        ERL_NIF_TERM values[] = {prooftype_atom(p), outcome_atom(o), string_or_undefined(env, reason)};
        ERL_NIF_TERM item;
        enif_make_map_from_arrays(env, keys, values, 3, &item);
        attempts = enif_make_list_cell(env, item, attempts);
    }
    for (size_t i = xmppdna_verdict_finding_count(v); i-- > 0;) {
        xmppdna_finding f;
        if (xmppdna_verdict_finding_get(v, i, &f) != XMPPDNA_OK) continue;
        ERL_NIF_TERM keys[] = {key_code, key_tag, key_prooftype, key_outcome, key_dnssec, key_extended_error,
                               key_openssl_code, key_depth, key_subject, key_expected, key_seen, key_detail, key_text};
        ERL_NIF_TERM values[] = {enif_make_int(env, f.code), finding_tag(f.code), prooftype_atom(f.prooftype),
                                 outcome_atom(f.outcome), dnssec_atom(f.dnssec), enif_make_int(env, f.extended_error),
                                 enif_make_int(env, f.openssl_code), enif_make_int(env, f.depth),
                                 string_or_undefined(env, f.subject), string_or_undefined(env, f.expected),
                                 string_or_undefined(env, f.seen), string_or_undefined(env, f.detail),
                                 string_or_undefined(env, f.text)};
        ERL_NIF_TERM item;
        enif_make_map_from_arrays(env, keys, values, sizeof keys / sizeof keys[0], &item);
        findings = enif_make_list_cell(env, item, findings);
    }
    for (size_t i = xmppdna_verdict_match_count(v); i-- > 0;) {
        int rt, pt;
        const char *rv, *pv;
        if (xmppdna_verdict_match_get(v, i, &rt, &rv, &pt, &pv) != XMPPDNA_OK) continue;
        ERL_NIF_TERM item = enif_make_tuple2(env, enif_make_tuple2(env, id_atom(rt), string_or_undefined(env, rv)),
                                             enif_make_tuple2(env, id_atom(pt), string_or_undefined(env, pv)));
        matches = enif_make_list_cell(env, item, matches);
    }
    for (size_t i = xmppdna_verdict_presented_count(v); i-- > 0;) {
        int t, usable;
        const char *value, *problem;
        if (xmppdna_verdict_presented_get(v, i, &t, &value, &usable, &problem) != XMPPDNA_OK) continue;
        ERL_NIF_TERM keys[] = {key_type, key_value, key_usable, key_problem};
        ERL_NIF_TERM values[] = {id_atom(t), string_or_undefined(env, value), usable ? atom_true : atom_false,
                                 string_or_undefined(env, problem)};
        ERL_NIF_TERM item;
        enif_make_map_from_arrays(env, keys, values, 4, &item);
        presented = enif_make_list_cell(env, item, presented);
    }
    for (size_t i = xmppdna_verdict_evidence_count(v); i-- > 0;) {
        const char *what;
        int status;
        if (xmppdna_verdict_evidence_get(v, i, &what, &status) != XMPPDNA_OK) continue;
        evidence = enif_make_list_cell(env, enif_make_tuple2(env, string_or_undefined(env, what), dnssec_atom(status)), evidence);
    }
    int chain_status = 0, openssl_code = 0, depth = 0;
    const char *chain_text = NULL;
    xmppdna_verdict_chain(v, &chain_status, &openssl_code, &depth, &chain_text);
    ERL_NIF_TERM chain_keys[] = {key_status, key_openssl_code, key_depth, key_text};
    ERL_NIF_TERM chain_values[] = {chain_status == XMPPDNA_CHAIN_VALID ? atom_valid : chain_status == XMPPDNA_CHAIN_INVALID ? atom_invalid : atom_not_checked,
                                   enif_make_int(env, openssl_code), enif_make_int(env, depth), string_or_undefined(env, chain_text)};
    ERL_NIF_TERM chain;
    enif_make_map_from_arrays(env, chain_keys, chain_values, 4, &chain);
    ERL_NIF_TERM keys[] = {key_accepted, key_prooftype, key_summary, key_attempts, key_findings, key_matches, key_presented,
                           key_evidence, key_chain};
    ERL_NIF_TERM values[] = {xmppdna_verdict_accepted(v) == 1 ? atom_true : atom_false,
                             prooftype_atom(xmppdna_verdict_prooftype(v)),
                             string_or_undefined(env, xmppdna_verdict_summary(v)), attempts, findings, matches, presented,
                             evidence, chain};
    ERL_NIF_TERM map;
    enif_make_map_from_arrays(env, keys, values, sizeof keys / sizeof keys[0], &map);
    return map;
}


static ERL_NIF_TERM names_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    names_res *nr;
    if (!enif_get_resource(env, argv[0], names_type, (void **)&nr)) return enif_make_badarg(env);
    const xmppdna_names *n = nr->n;
    int status = 0, kind = 0, trust = 0, ede = 0;
    const char *reason = NULL;
    xmppdna_names_status(n, &status, &kind, &trust, &ede, &reason);
    ERL_NIF_TERM names = enif_make_list(env, 0), candidates = enif_make_list(env, 0);
    for (size_t i = xmppdna_names_count(n); i-- > 0;) {
        int t, s;
        const char *value, *source;
        if (xmppdna_names_get(n, i, &t, &value, &s, &source) != XMPPDNA_OK) continue;
        ERL_NIF_TERM keys[] = {key_type, key_value, key_status, key_source};
        ERL_NIF_TERM values[] = {id_atom(t), string_or_undefined(env, value), dnssec_atom(s), string_or_undefined(env, source)};
        ERL_NIF_TERM item;
        enif_make_map_from_arrays(env, keys, values, 4, &item);
        names = enif_make_list_cell(env, item, names);
    }
    for (size_t i = xmppdna_names_candidate_count(n); i-- > 0;) {
        const char *host;
        int port, direct, s;
        if (xmppdna_names_candidate_get(n, i, &host, &port, &direct, &s) != XMPPDNA_OK) continue;
        ERL_NIF_TERM keys[] = {key_host, key_port, key_direct_tls, key_status};
        ERL_NIF_TERM values[] = {string_or_undefined(env, host), enif_make_int(env, port), direct ? atom_true : atom_false, dnssec_atom(s)};
        ERL_NIF_TERM item;
        enif_make_map_from_arrays(env, keys, values, 4, &item);
        candidates = enif_make_list_cell(env, item, candidates);
    }
    ERL_NIF_TERM keys[] = {key_status, key_kind, key_trust_mode, key_extended_error, key_reason, key_names, key_candidates};
    ERL_NIF_TERM values[] = {dnssec_atom(status),
                             kind == XMPPDNA_NAMES_SRV ? atom_srv : kind == XMPPDNA_NAMES_NO_SRV ? atom_no_srv : atom_unavailable,
                             trust == XMPPDNA_TRUST_VALIDATE ? atom_validate : trust == XMPPDNA_TRUST_AD ? atom_ad : atom_caller,
                             enif_make_int(env, ede), string_or_undefined(env, reason), names, candidates};
    ERL_NIF_TERM map;
    enif_make_map_from_arrays(env, keys, values, sizeof keys / sizeof keys[0], &map);
    return map;
}


static ERL_NIF_TERM finding_tag_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    int code;
    if (!enif_get_int(env, argv[0], &code)) return enif_make_badarg(env);
    return finding_tag(code);
}

static ERL_NIF_TERM version_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc; (void)argv;
    return string_or_undefined(env, xmppdna_version());
}

static ERL_NIF_TERM strerror_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    for (size_t i = 0; i < sizeof error_atoms / sizeof error_atoms[0]; i++) {
        if (enif_is_identical(argv[0], error_atoms[i].atom)) return string_or_undefined(env, xmppdna_strerror(error_atoms[i].code));
    }
    return enif_make_badarg(env);
}

static ERL_NIF_TERM certificate_cache_limit_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)argc;
    int certificates;
    if (!enif_get_int(env, argv[0], &certificates)) return enif_make_badarg(env);
    return ok_or_error(env, xmppdna_set_certificate_cache_limit(certificates));
}

/* A trivial NIF, the baseline of the per-call overhead in bench/. */
static ERL_NIF_TERM noop_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
    (void)env; (void)argc;
    return argv[0];
}

/* ------------------------------------------------------------ load */

static int load(ErlNifEnv *env, void **priv, ERL_NIF_TERM info) {
    (void)priv; (void)info;
    if (xmppdna_version_number() / 10000 != XMPPDNA_VERSION_NUMBER / 10000) return 1;  /* another major version */
#define ATOM(var, text) var = enif_make_atom(env, text)
    ATOM(atom_ok, "ok"); ATOM(atom_error, "error"); ATOM(atom_true, "true"); ATOM(atom_false, "false");
    ATOM(atom_undefined, "undefined"); ATOM(atom_xmppdna, "xmppdna"); ATOM(atom_closed, "closed");
    ATOM(atom_dane, "dane"); ATOM(atom_pki, "pki"); ATOM(atom_posh, "posh"); ATOM(atom_dialback, "dialback");
    ATOM(atom_outbound, "outbound"); ATOM(atom_inbound, "inbound");
    ATOM(atom_xmpp_server, "xmpp_server"); ATOM(atom_xmpp_client, "xmpp_client");
    ATOM(atom_xmpps_server, "xmpps_server"); ATOM(atom_xmpps_client, "xmpps_client");
    ATOM(atom_bogus, "bogus"); ATOM(atom_indeterminate, "indeterminate"); ATOM(atom_insecure, "insecure");
    ATOM(atom_secure, "secure"); ATOM(atom_none, "none");
    ATOM(atom_accepted, "accepted"); ATOM(atom_rejected, "rejected"); ATOM(atom_not_tried, "not_tried");
    ATOM(atom_not_applicable, "not_applicable");
    ATOM(atom_dns, "dns"); ATOM(atom_srv, "srv"); ATOM(atom_xmpp, "xmpp"); ATOM(atom_uri, "uri"); ATOM(atom_ip, "ip");
    ATOM(atom_cn, "cn"); ATOM(atom_name, "name");
    ATOM(atom_verified, "verified"); ATOM(atom_failed, "failed"); ATOM(atom_no_srv, "no_srv");
    ATOM(atom_unavailable, "unavailable"); ATOM(atom_validate, "validate"); ATOM(atom_ad, "ad"); ATOM(atom_caller, "caller");
    ATOM(atom_valid, "valid"); ATOM(atom_invalid, "invalid"); ATOM(atom_not_checked, "not_checked");
    ATOM(key_accepted, "accepted"); ATOM(key_prooftype, "prooftype"); ATOM(key_summary, "summary");
    ATOM(key_attempts, "attempts"); ATOM(key_findings, "findings"); ATOM(key_outcome, "outcome"); ATOM(key_reason, "reason");
    ATOM(key_code, "code"); ATOM(key_tag, "tag"); ATOM(key_dnssec, "dnssec"); ATOM(key_extended_error, "extended_error");
    ATOM(key_openssl_code, "openssl_code"); ATOM(key_depth, "depth"); ATOM(key_subject, "subject");
    ATOM(key_expected, "expected"); ATOM(key_seen, "seen"); ATOM(key_detail, "detail"); ATOM(key_text, "text");
    ATOM(key_matches, "matches"); ATOM(key_presented, "presented"); ATOM(key_chain, "chain"); ATOM(key_status, "status");
    ATOM(key_kind, "kind"); ATOM(key_trust_mode, "trust_mode"); ATOM(key_names, "names"); ATOM(key_candidates, "candidates");
    ATOM(key_host, "host"); ATOM(key_port, "port"); ATOM(key_direct_tls, "direct_tls"); ATOM(key_type, "type");
    ATOM(key_value, "value"); ATOM(key_source, "source"); ATOM(key_usable, "usable"); ATOM(key_problem, "problem");
    ATOM(key_evidence, "evidence"); ATOM(key_domain, "domain"); ATOM(key_service, "service");
    ATOM(key_direction, "direction"); ATOM(key_prooftypes, "prooftypes"); ATOM(key_endpoint, "endpoint");
    ATOM(key_names_only, "names_only"); ATOM(key_no_lookups, "no_lookups");
    ATOM(key_refuse_weak_dialback, "refuse_weak_dialback"); ATOM(key_extra_names, "extra_names"); ATOM(key_posh, "posh");
    ATOM(key_tlsa, "tlsa");
#undef ATOM
    for (size_t i = 0; i < sizeof error_atoms / sizeof error_atoms[0]; i++) {
        error_atoms[i].atom = enif_make_atom(env, error_atoms[i].name);
    }
    for (size_t i = 0; i < FINDING_COUNT; i++) {
        /* XMPPDNA_FINDING_TLSA_MISMATCH -> tlsa_mismatch */
        char tag[64];
        const char *name = finding_tags[i].macro + strlen("XMPPDNA_FINDING_");
        size_t n = 0;
        for (; name[n] && n + 1 < sizeof tag; n++) tag[n] = (char)(name[n] >= 'A' && name[n] <= 'Z' ? name[n] + 32 : name[n]);
        tag[n] = 0;
        finding_tags[i].tag = enif_make_atom(env, tag);
    }
    ErlNifResourceTypeInit ctx_init = {.dtor = ctx_dtor, .stop = ctx_stop, .down = ctx_down};
    ErlNifResourceFlags flags = ERL_NIF_RT_CREATE | ERL_NIF_RT_TAKEOVER;
    ctx_type = enif_open_resource_type_x(env, "xmppdna_ctx", &ctx_init, flags, NULL);
    verdict_type = enif_open_resource_type(env, NULL, "xmppdna_verdict", verdict_dtor, flags, NULL);
    names_type = enif_open_resource_type(env, NULL, "xmppdna_names", names_dtor, flags, NULL);
    return ctx_type && verdict_type && names_type ? 0 : 1;
}

static ErlNifFunc functions[] = {
    {"ctx_new", 0, ctx_new_nif, ERL_NIF_DIRTY_JOB_IO_BOUND},
    {"set_pump", 2, set_pump_nif, 0},
    {"close", 1, close_nif, ERL_NIF_DIRTY_JOB_IO_BOUND},
    {"ctx_set", 3, ctx_set_nif, ERL_NIF_DIRTY_JOB_IO_BOUND},
    {"names_lookup", 3, names_lookup_nif, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"verify", 3, verify_nif, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"cancel", 2, cancel_nif, 0},
    {"process", 1, process_nif, ERL_NIF_DIRTY_JOB_IO_BOUND},
    {"pending", 1, pending_nif, 0},
    {"verdict", 1, verdict_nif, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"names", 1, names_nif, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"finding_tag", 1, finding_tag_nif, 0},
    {"version", 0, version_nif, 0},
    {"strerror", 1, strerror_nif, 0},
    {"certificate_cache_limit", 1, certificate_cache_limit_nif, 0},
    {"noop", 1, noop_nif, 0},
    {"scheduler_stats", 0, scheduler_stats_nif, 0},
    {"memory_stats", 0, memory_stats_nif, 0},
};

ERL_NIF_INIT(xmppdna_nif, functions, load, NULL, NULL, NULL)
