/*
 * xmppdna.core: the low-level interface of the Lua binding as a Lua 5.4 C
 * module, for interpreters without FFI (Prosody in Debian). Built against
 * liblua5.4-dev without linking liblua, as Prosody's own C modules are:
 * the interpreter that loads it provides the Lua API.
 *
 * Every function returns its result, or nil, message, code. Verdicts and
 * name lists are read through the library's accessors into "raw" tables
 * whose fields are the C values (numbers, strings, nil for NULL);
 * xmppdna/init.lua names the numbers. xmppdna/ffi_core.lua builds the very
 * same raw tables on LuaJIT's FFI.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <xmppdna.h>

#define CTX "xmppdna.context"
#define CHAIN "xmppdna.chain"
#define REQUEST "xmppdna.request"
#define BATCH "xmppdna.batch"

typedef struct { xmppdna_ctx *ctx; } ctx_box;
typedef struct { xmppdna_chain *chain; } chain_box;
typedef struct { xmppdna_request *req; } request_box;

/* Finished async queries, collected by the C callbacks while
 * xmppdna_process or xmppdna_wait runs on this thread: the handles
 * themselves, read into Lua tables once the run has returned (a callback
 * must not raise a Lua error through the library's frames). */
typedef struct { lua_Integer token; int rc; xmppdna_names *names; xmppdna_verdict *verdict; } finished;
typedef struct { finished *items; size_t count, capacity; int failed; } batch;
static _Thread_local batch collected;

static int failure(lua_State *L, int rc) {
    lua_pushnil(L);
    lua_pushstring(L, xmppdna_strerror(rc));
    lua_pushinteger(L, rc);
    return 3;
}

static int success(lua_State *L, int rc) {
    if (rc != XMPPDNA_OK) return failure(L, rc);
    lua_pushboolean(L, 1);
    return 1;
}

static xmppdna_ctx *check_ctx(lua_State *L) {
    ctx_box *box = luaL_checkudata(L, 1, CTX);
    if (!box->ctx) luaL_error(L, "xmppdna: the context is closed");
    return box->ctx;
}

/* A Lua string with a NUL inside would be cut short by the C API: NULL then. */
static const char *checkname(lua_State *L, int index) {
    size_t len;
    const char *text = luaL_checklstring(L, index, &len);
    return strlen(text) == len ? text : NULL;
}

/* The same for an optional string: *ok is 0 for one with a NUL inside. */
static const char *optname(lua_State *L, int index, int *ok) {
    *ok = 1;
    if (lua_isnoneornil(L, index)) return NULL;
    const char *text = checkname(L, index);
    if (!text) *ok = 0;
    return text;
}

static int checkint(lua_State *L, int index) { return (int)luaL_checkinteger(L, index); }

static int l_version(lua_State *L) {
    lua_pushstring(L, xmppdna_version());
    return 1;
}

static int l_version_number(lua_State *L) {
    lua_pushinteger(L, xmppdna_version_number());
    return 1;
}

static int l_certificate_cache_limit(lua_State *L) {
    return success(L, xmppdna_set_certificate_cache_limit(checkint(L, 1)));
}

static int l_strerror(lua_State *L) {
    lua_pushstring(L, xmppdna_strerror(checkint(L, 1)));
    return 1;
}

static int l_context(lua_State *L) {
    ctx_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->ctx = NULL;
    luaL_setmetatable(L, CTX);
    int rc = xmppdna_ctx_new(&box->ctx);
    return rc == XMPPDNA_OK ? 1 : failure(L, rc);
}

static int l_close(lua_State *L) {
    ctx_box *box = luaL_checkudata(L, 1, CTX);
    xmppdna_ctx_free(box->ctx); /* cancels pending queries and waits for them */
    box->ctx = NULL;
    return 0;
}

/* configure(ctx, key, a, b, c, d) */
static int l_configure(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    const char *key = luaL_checkstring(L, 2);
    int ok = 1, ok2 = 1, rc;
    if (!strcmp(key, "ca")) {
        const char *file = optname(L, 3, &ok), *dir = optname(L, 4, &ok2);
        rc = ok && ok2 ? xmppdna_ctx_set_ca(ctx, file, dir) : XMPPDNA_EENCODING;
    } else if (!strcmp(key, "time")) {
        rc = xmppdna_ctx_set_time(ctx, lua_isnoneornil(L, 3) ? XMPPDNA_TIME_NOW : (int64_t)luaL_checkinteger(L, 3));
    } else if (!strcmp(key, "flags")) {
        rc = xmppdna_ctx_set_flags(ctx, (unsigned)luaL_checkinteger(L, 3));
    } else if (!strcmp(key, "server")) {
        const char *server = checkname(L, 3);
        rc = server ? xmppdna_ctx_add_server(ctx, server, (unsigned)luaL_optinteger(L, 4, 0)) : XMPPDNA_EENCODING;
    } else if (!strcmp(key, "clear_servers")) {
        rc = xmppdna_ctx_clear_servers(ctx);
    } else if (!strcmp(key, "trust_mode")) {
        rc = xmppdna_ctx_set_trust_mode(ctx, checkint(L, 3));
    } else if (!strcmp(key, "anchor_file")) {
        const char *path = optname(L, 3, &ok);
        rc = ok ? xmppdna_ctx_set_anchor_file(ctx, path) : XMPPDNA_EENCODING;
    } else if (!strcmp(key, "dns_timeout")) {
        rc = xmppdna_ctx_set_dns_timeout(ctx, checkint(L, 3), checkint(L, 4), checkint(L, 5));
    } else if (!strcmp(key, "cache_ttl")) {
        lua_Integer min = luaL_checkinteger(L, 3), max = luaL_checkinteger(L, 4);
        rc = min < 0 || max < 0 || min > UINT32_MAX || max > UINT32_MAX
                 ? XMPPDNA_EINVAL
                 : xmppdna_ctx_set_cache_ttl(ctx, (unsigned)min, (unsigned)max);
    } else if (!strcmp(key, "flush_cache")) {
        rc = xmppdna_ctx_flush_cache(ctx);
    } else if (!strcmp(key, "posh")) {
        const char *base = optname(L, 3, &ok);
        rc = ok ? xmppdna_ctx_set_posh(ctx, base, checkint(L, 4)) : XMPPDNA_EENCODING;
    } else if (!strcmp(key, "limits")) {
        rc = xmppdna_ctx_set_limits(ctx, checkint(L, 3), checkint(L, 4), checkint(L, 5), checkint(L, 6));
    } else if (!strcmp(key, "cache_limits")) {
        rc = xmppdna_ctx_set_cache_limits(ctx, checkint(L, 3), checkint(L, 4), checkint(L, 5));
    } else {
        return luaL_error(L, "xmppdna: unknown setting %s", key);
    }
    return success(L, rc);
}

static int l_chain(lua_State *L) {
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    chain_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->chain = NULL;
    luaL_setmetatable(L, CHAIN);
    int rc = xmppdna_chain_new(&box->chain);
    if (rc != XMPPDNA_OK) return failure(L, rc);
    /* DER is an ASN.1 SEQUENCE with a long-form length; PEM never starts so. */
    int der = len >= 2 && (unsigned char)data[0] == 0x30 && (unsigned char)data[1] >= 0x81 &&
              (unsigned char)data[1] <= 0x84;
    rc = der ? xmppdna_chain_add_der(box->chain, data, len) : xmppdna_chain_add_pem(box->chain, data, len);
    return rc == XMPPDNA_OK ? 1 : failure(L, rc);
}

static int l_chain_count(lua_State *L) {
    chain_box *box = luaL_checkudata(L, 1, CHAIN);
    lua_pushinteger(L, (lua_Integer)xmppdna_chain_count(box->chain));
    return 1;
}

static int l_request(lua_State *L) {
    const char *domain = checkname(L, 1);
    if (!domain) return failure(L, XMPPDNA_EENCODING);
    request_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->req = NULL;
    luaL_setmetatable(L, REQUEST);
    int rc = xmppdna_request_new(domain, checkint(L, 2), checkint(L, 3), &box->req);
    return rc == XMPPDNA_OK ? 1 : failure(L, rc);
}

/* request_set(req, key, a, b, c, d) */
static int l_request_set(lua_State *L) {
    xmppdna_request *req = ((request_box *)luaL_checkudata(L, 1, REQUEST))->req;
    const char *key = luaL_checkstring(L, 2);
    int rc;
    if (!strcmp(key, "endpoint")) {
        const char *host = checkname(L, 3);
        rc = host ? xmppdna_request_set_endpoint(req, host, checkint(L, 4)) : XMPPDNA_EENCODING;
    } else if (!strcmp(key, "prooftypes")) {
        luaL_checktype(L, 3, LUA_TTABLE);
        int list[4];
        size_t count = (size_t)luaL_len(L, 3);
        if (count > 4) return failure(L, XMPPDNA_EINVAL);
        for (size_t i = 0; i < count; i++) {
            lua_geti(L, 3, (lua_Integer)i + 1);
            list[i] = (int)luaL_checkinteger(L, -1);
            lua_pop(L, 1);
        }
        rc = xmppdna_request_set_prooftypes(req, list, count);
    } else if (!strcmp(key, "ref")) {
        size_t len;
        const char *value = luaL_checklstring(L, 4, &len);
        rc = xmppdna_request_add_ref(req, checkint(L, 3), value, len);
    } else if (!strcmp(key, "presented")) {
        size_t len;
        const char *value = luaL_checklstring(L, 4, &len);
        rc = xmppdna_request_add_presented(req, checkint(L, 3), value, len);
    } else if (!strcmp(key, "tlsa")) {
        int ok;
        const char *host = optname(L, 3, &ok);
        const char *rdata = checkname(L, 5);
        rc = ok && rdata ? xmppdna_request_add_tlsa(req, host, checkint(L, 4), rdata, checkint(L, 6))
                         : XMPPDNA_EENCODING;
    } else if (!strcmp(key, "posh")) {
        size_t len;
        const char *document = luaL_checklstring(L, 3, &len);
        rc = xmppdna_request_set_posh(req, document, len);
    } else if (!strcmp(key, "dialback")) {
        rc = xmppdna_request_set_dialback(req, checkint(L, 3));
    } else if (!strcmp(key, "flags")) {
        rc = xmppdna_request_set_flags(req, (unsigned)luaL_checkinteger(L, 3));
    } else {
        return luaL_error(L, "xmppdna: unknown request setting %s", key);
    }
    return success(L, rc);
}

/* ------------------------------------------------- handles to raw tables */

static void set_int(lua_State *L, const char *key, lua_Integer value) {
    lua_pushinteger(L, value);
    lua_setfield(L, -2, key);
}

/* NULL leaves the field nil. */
static void set_str(lua_State *L, const char *key, const char *value) {
    if (!value) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

/* Pushes {status, kind, trust_mode, extended_error, reason, names = {{type,
 * value, status, source}...}, candidates = {{host, port, direct_tls,
 * status}...}}, or pushes nothing and returns the failing accessor's code. */
static int push_names(lua_State *L, const xmppdna_names *names) {
    int status = 0, kind = 0, trust = 0, extended = 0;
    const char *reason = NULL;
    int rc = xmppdna_names_status(names, &status, &kind, &trust, &extended, &reason);
    if (rc != XMPPDNA_OK) return rc;
    lua_createtable(L, 0, 7);
    set_int(L, "status", status);
    set_int(L, "kind", kind);
    set_int(L, "trust_mode", trust);
    set_int(L, "extended_error", extended);
    set_str(L, "reason", reason);

    size_t count = xmppdna_names_count(names);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        int type = 0, entry_status = 0;
        const char *value = NULL, *source = NULL;
        rc = xmppdna_names_get(names, i, &type, &value, &entry_status, &source);
        if (rc != XMPPDNA_OK) { lua_pop(L, 2); return rc; }
        lua_createtable(L, 0, 4);
        set_int(L, "type", type);
        set_str(L, "value", value);
        set_int(L, "status", entry_status);
        set_str(L, "source", source);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "names");

    count = xmppdna_names_candidate_count(names);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        int port = 0, direct_tls = 0, candidate_status = 0;
        const char *host = NULL;
        rc = xmppdna_names_candidate_get(names, i, &host, &port, &direct_tls, &candidate_status);
        if (rc != XMPPDNA_OK) { lua_pop(L, 2); return rc; }
        lua_createtable(L, 0, 4);
        set_str(L, "host", host);
        set_int(L, "port", port);
        set_int(L, "direct_tls", direct_tls);
        set_int(L, "status", candidate_status);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "candidates");
    return XMPPDNA_OK;
}

/* Pushes {accepted, prooftype, summary, attempts = {{prooftype, outcome,
 * reason}...}, findings = {{code, prooftype, outcome, dnssec,
 * extended_error, openssl_code, depth, subject, expected, seen, detail,
 * text}...}, chain = {status, openssl_code, depth, text}, matches =
 * {{ref_type, ref_value, presented_type, presented_value}...}, presented =
 * {{type, value, usable, problem}...}, evidence = {{what, status}...}},
 * or pushes nothing and returns the failing accessor's code. */
static int push_verdict(lua_State *L, const xmppdna_verdict *v) {
    int accepted = xmppdna_verdict_accepted(v), prooftype = xmppdna_verdict_prooftype(v);
    if (accepted < 0) return accepted;
    if (prooftype < 0) return prooftype;
    lua_createtable(L, 0, 9);
    set_int(L, "accepted", accepted);
    set_int(L, "prooftype", prooftype);
    set_str(L, "summary", xmppdna_verdict_summary(v));

    int rc;
    size_t count = xmppdna_verdict_attempt_count(v);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        int attempt_proof = 0, outcome = 0;
        const char *reason = NULL;
        rc = xmppdna_verdict_attempt_get(v, i, &attempt_proof, &outcome, &reason);
        if (rc != XMPPDNA_OK) { lua_pop(L, 2); return rc; }
        lua_createtable(L, 0, 3);
        set_int(L, "prooftype", attempt_proof);
        set_int(L, "outcome", outcome);
        set_str(L, "reason", reason);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "attempts");

    count = xmppdna_verdict_finding_count(v);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        xmppdna_finding f;
        memset(&f, 0, sizeof f);
        rc = xmppdna_verdict_finding_get(v, i, &f);
        if (rc != XMPPDNA_OK) { lua_pop(L, 2); return rc; }
        lua_createtable(L, 0, 12);
        set_int(L, "code", f.code);
        set_int(L, "prooftype", f.prooftype);
        set_int(L, "outcome", f.outcome);
        set_int(L, "dnssec", f.dnssec);
        set_int(L, "extended_error", f.extended_error);
        set_int(L, "openssl_code", f.openssl_code);
        set_int(L, "depth", f.depth);
        set_str(L, "subject", f.subject);
        set_str(L, "expected", f.expected);
        set_str(L, "seen", f.seen);
        set_str(L, "detail", f.detail);
        set_str(L, "text", f.text);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "findings");

    {
        int status = 0, code = 0, depth = 0;
        const char *text = NULL;
        rc = xmppdna_verdict_chain(v, &status, &code, &depth, &text);
        if (rc != XMPPDNA_OK) { lua_pop(L, 1); return rc; }
        lua_createtable(L, 0, 4);
        set_int(L, "status", status);
        set_int(L, "openssl_code", code);
        set_int(L, "depth", depth);
        set_str(L, "text", text);
        lua_setfield(L, -2, "chain");
    }

    count = xmppdna_verdict_match_count(v);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        int ref_type = 0, presented_type = 0;
        const char *ref_value = NULL, *presented_value = NULL;
        rc = xmppdna_verdict_match_get(v, i, &ref_type, &ref_value, &presented_type, &presented_value);
        if (rc != XMPPDNA_OK) { lua_pop(L, 2); return rc; }
        lua_createtable(L, 0, 4);
        set_int(L, "ref_type", ref_type);
        set_str(L, "ref_value", ref_value);
        set_int(L, "presented_type", presented_type);
        set_str(L, "presented_value", presented_value);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "matches");

    count = xmppdna_verdict_presented_count(v);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        int type = 0, usable = 0;
        const char *value = NULL, *problem = NULL;
        rc = xmppdna_verdict_presented_get(v, i, &type, &value, &usable, &problem);
        if (rc != XMPPDNA_OK) { lua_pop(L, 2); return rc; }
        lua_createtable(L, 0, 4);
        set_int(L, "type", type);
        set_str(L, "value", value);
        set_int(L, "usable", usable);
        set_str(L, "problem", problem);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "presented");

    count = xmppdna_verdict_evidence_count(v);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        int status = 0;
        const char *what = NULL;
        rc = xmppdna_verdict_evidence_get(v, i, &what, &status);
        if (rc != XMPPDNA_OK) { lua_pop(L, 2); return rc; }
        lua_createtable(L, 0, 2);
        set_str(L, "what", what);
        set_int(L, "status", status);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "evidence");
    return XMPPDNA_OK;
}

/* Frees a handle when the Lua value that owns it is collected, even if a
 * table cannot be built (a Lua memory error). */
#define OWNED_NAMES "xmppdna.owned_names"
#define OWNED_VERDICT "xmppdna.owned_verdict"
typedef struct { void *handle; } owned_box;

static owned_box *own(lua_State *L, const char *kind) {
    owned_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->handle = NULL;
    luaL_setmetatable(L, kind);
    return box;
}

static int gc_owned_names(lua_State *L) {
    owned_box *box = luaL_checkudata(L, 1, OWNED_NAMES);
    xmppdna_names_free(box->handle);
    box->handle = NULL;
    return 0;
}

static int gc_owned_verdict(lua_State *L) {
    owned_box *box = luaL_checkudata(L, 1, OWNED_VERDICT);
    xmppdna_verdict_free(box->handle);
    box->handle = NULL;
    return 0;
}

/* The owner box is at the top of the stack: builds the table, frees the
 * handle at once, and leaves the table or nil, message, code. */
static int names_result(lua_State *L) {
    owned_box *box = lua_touserdata(L, -1);
    int rc = push_names(L, box->handle);
    xmppdna_names_free(box->handle);
    box->handle = NULL;
    return rc == XMPPDNA_OK ? 1 : failure(L, rc);
}

static int verdict_result(lua_State *L) {
    owned_box *box = lua_touserdata(L, -1);
    int rc = push_verdict(L, box->handle);
    xmppdna_verdict_free(box->handle);
    box->handle = NULL;
    return rc == XMPPDNA_OK ? 1 : failure(L, rc);
}

static int l_names(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    const char *domain = checkname(L, 2);
    if (!domain) return failure(L, XMPPDNA_EENCODING);
    int service = checkint(L, 3);
    owned_box *box = own(L, OWNED_NAMES);
    int rc = xmppdna_names_lookup(ctx, domain, service, (xmppdna_names **)&box->handle);
    return rc == XMPPDNA_OK ? names_result(L) : failure(L, rc);
}

/* The chain argument may be nil: a peer without a certificate, or a request
 * that carries the presented identifiers. */
static const xmppdna_chain *optchain(lua_State *L, int index) {
    if (lua_isnoneornil(L, index)) return NULL;
    return ((chain_box *)luaL_checkudata(L, index, CHAIN))->chain;
}

static int l_verify(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    const xmppdna_chain *chain = optchain(L, 2);
    request_box *req = luaL_checkudata(L, 3, REQUEST);
    owned_box *box = own(L, OWNED_VERDICT);
    int rc = xmppdna_verify(ctx, chain, req->req, (xmppdna_verdict **)&box->handle);
    return rc == XMPPDNA_OK ? verdict_result(L) : failure(L, rc);
}

/* ------------------------------------------------------------------ async */

static void collect(void *userdata, int rc, xmppdna_names *names, xmppdna_verdict *verdict) {
    if (collected.count == collected.capacity) {
        size_t capacity = collected.capacity ? collected.capacity * 2 : 16;
        finished *grown = realloc(collected.items, capacity * sizeof *grown);
        if (!grown) {
            collected.failed = 1;
            xmppdna_names_free(names);
            xmppdna_verdict_free(verdict);
            return;
        }
        collected.items = grown;
        collected.capacity = capacity;
    }
    collected.items[collected.count++] = (finished){(lua_Integer)(intptr_t)userdata, rc, names, verdict};
}

static void on_names(void *userdata, int rc, xmppdna_names *names) { collect(userdata, rc, names, NULL); }
static void on_verdict(void *userdata, int rc, xmppdna_verdict *verdict) { collect(userdata, rc, NULL, verdict); }

static int submitted(lua_State *L, int rc, int id) {
    if (rc != XMPPDNA_OK) return failure(L, rc);
    lua_pushinteger(L, id);
    return 1;
}

static int l_names_async(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    const char *domain = checkname(L, 2);
    if (!domain) return failure(L, XMPPDNA_EENCODING);
    int id = 0;
    int rc = xmppdna_names_lookup_async(ctx, domain, checkint(L, 3), on_names,
                                        (void *)(intptr_t)luaL_checkinteger(L, 4), &id);
    return submitted(L, rc, id);
}

static int l_verify_async(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    const xmppdna_chain *chain = optchain(L, 2);
    request_box *req = luaL_checkudata(L, 3, REQUEST);
    int id = 0;
    int rc = xmppdna_verify_async(ctx, chain, req->req, on_verdict,
                                  (void *)(intptr_t)luaL_checkinteger(L, 4), &id);
    return submitted(L, rc, id);
}

/* The handles a run collected, owned by a Lua value until each is read, so
 * that a Lua error while building the tables leaks none. */
typedef struct { finished *items; size_t count, next; } taken;

static int gc_batch(lua_State *L) {
    taken *t = luaL_checkudata(L, 1, BATCH);
    for (size_t i = t->next; i < t->count; i++) {
        xmppdna_names_free(t->items[i].names);
        xmppdna_verdict_free(t->items[i].verdict);
    }
    free(t->items);
    t->items = NULL;
    t->count = t->next = 0;
    return 0;
}

/* Runs process or wait, then returns {{token=, result=<raw table>} or
 * {token=, error=, code=}...}. */
static int drain(lua_State *L, int (*run)(xmppdna_ctx *)) {
    xmppdna_ctx *ctx = check_ctx(L);
    taken *t = lua_newuserdatauv(L, sizeof *t, 0);
    t->items = NULL;
    t->count = t->next = 0;
    luaL_setmetatable(L, BATCH);
    int batch_index = lua_gettop(L);
    collected.count = 0;
    collected.failed = 0;
    int rc = run(ctx);
    /* The batch takes the items over; the next run starts a new array. */
    t->items = collected.items;
    t->count = collected.count;
    int failed = collected.failed;
    collected.items = NULL;
    collected.count = collected.capacity = 0;
    collected.failed = 0;

    lua_createtable(L, (int)t->count, 0);
    for (size_t i = 0; i < t->count; i++) {
        finished *item = &t->items[i];
        lua_createtable(L, 0, 3);
        lua_pushinteger(L, item->token);
        lua_setfield(L, -2, "token");
        int item_rc = item->rc;
        if (item_rc == XMPPDNA_OK) {
            if (item->verdict) item_rc = push_verdict(L, item->verdict);
            else if (item->names) item_rc = push_names(L, item->names);
            else item_rc = XMPPDNA_EINTERNAL;
            if (item_rc == XMPPDNA_OK) lua_setfield(L, -2, "result");
        }
        xmppdna_names_free(item->names);
        xmppdna_verdict_free(item->verdict);
        item->names = NULL;
        item->verdict = NULL;
        t->next = i + 1;
        if (item_rc != XMPPDNA_OK) {
            lua_pushstring(L, xmppdna_strerror(item_rc));
            lua_setfield(L, -2, "error");
            lua_pushinteger(L, item_rc);
            lua_setfield(L, -2, "code");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushcfunction(L, gc_batch);
    lua_pushvalue(L, batch_index);
    lua_call(L, 1, 0);
    if (rc < 0) return failure(L, rc);
    if (failed) return failure(L, XMPPDNA_ENOMEM);
    return 1;
}

static int l_process(lua_State *L) { return drain(L, xmppdna_process); }
static int l_wait(lua_State *L) { return drain(L, xmppdna_wait); }

static int l_fd(lua_State *L) {
    int fd = xmppdna_fd(check_ctx(L));
    return fd >= 0 ? (lua_pushinteger(L, fd), 1) : failure(L, fd);
}

static int l_cancel(lua_State *L) {
    return success(L, xmppdna_cancel(check_ctx(L), checkint(L, 2)));
}

static int gc_chain(lua_State *L) {
    chain_box *box = luaL_checkudata(L, 1, CHAIN);
    xmppdna_chain_free(box->chain);
    box->chain = NULL;
    return 0;
}

static int gc_request(lua_State *L) {
    request_box *box = luaL_checkudata(L, 1, REQUEST);
    xmppdna_request_free(box->req);
    box->req = NULL;
    return 0;
}

static void metatable(lua_State *L, const char *name, lua_CFunction gc) {
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}

/* Every numeric #define of xmppdna.h except XMPPDNA_TIME_NOW, with the
 * values this module was compiled with: the same table the FFI backend
 * reads from the header (test.lua compares them). */
#define CONSTANTS(X)                                                                                     \
    X(XMPPDNA_VERSION_NUMBER) X(XMPPDNA_SOVERSION)                                                       \
    X(XMPPDNA_OK) X(XMPPDNA_EMISUSE) X(XMPPDNA_EINVAL) X(XMPPDNA_EBADNAME) X(XMPPDNA_EENCODING)          \
    X(XMPPDNA_EBADCERT) X(XMPPDNA_ETRUST) X(XMPPDNA_ENOMEM) X(XMPPDNA_ERANGE) X(XMPPDNA_EINTERNAL)      \
    X(XMPPDNA_ENOSERVER) X(XMPPDNA_EUNTRUSTED) X(XMPPDNA_ENOTFOUND)                                      \
    X(XMPPDNA_SERVICE_XMPP_CLIENT) X(XMPPDNA_SERVICE_XMPP_SERVER) X(XMPPDNA_SERVICE_XMPPS_CLIENT)        \
    X(XMPPDNA_SERVICE_XMPPS_SERVER)                                                                      \
    X(XMPPDNA_DIR_OUTBOUND) X(XMPPDNA_DIR_INBOUND)                                                       \
    X(XMPPDNA_ID_NAME) X(XMPPDNA_ID_DNS) X(XMPPDNA_ID_SRV) X(XMPPDNA_ID_XMPP) X(XMPPDNA_ID_URI)          \
    X(XMPPDNA_ID_IP) X(XMPPDNA_ID_CN)                                                                    \
    X(XMPPDNA_DNSSEC_BOGUS) X(XMPPDNA_DNSSEC_INDETERMINATE) X(XMPPDNA_DNSSEC_INSECURE)                   \
    X(XMPPDNA_DNSSEC_SECURE) X(XMPPDNA_DNSSEC_NONE)                                                      \
    X(XMPPDNA_FLAG_CN_FALLBACK) X(XMPPDNA_SERVER_TRUST_AD)                                               \
    X(XMPPDNA_TRUST_VALIDATE) X(XMPPDNA_TRUST_AD) X(XMPPDNA_TRUST_CALLER)                                \
    X(XMPPDNA_PROOF_DANE) X(XMPPDNA_PROOF_PKI) X(XMPPDNA_PROOF_POSH) X(XMPPDNA_PROOF_DIALBACK)           \
    X(XMPPDNA_DIALBACK_NONE) X(XMPPDNA_DIALBACK_VERIFIED) X(XMPPDNA_DIALBACK_FAILED)                     \
    X(XMPPDNA_REQUEST_REFUSE_WEAK_DIALBACK) X(XMPPDNA_REQUEST_NO_LOOKUPS) X(XMPPDNA_REQUEST_NAMES_ONLY)  \
    X(XMPPDNA_ATTEMPT_REJECTED) X(XMPPDNA_ATTEMPT_NOT_TRIED) X(XMPPDNA_ATTEMPT_NOT_APPLICABLE)           \
    X(XMPPDNA_ATTEMPT_ACCEPTED)                                                                          \
    X(XMPPDNA_CHAIN_NOT_CHECKED) X(XMPPDNA_CHAIN_VALID) X(XMPPDNA_CHAIN_INVALID)                         \
    X(XMPPDNA_FINDING_ALREADY_ACCEPTED) X(XMPPDNA_FINDING_AFTER_DANE_REJECTION)                          \
    X(XMPPDNA_FINDING_NO_CERTIFICATE)                                                                    \
    X(XMPPDNA_FINDING_PKI_NAME_MATCHED) X(XMPPDNA_FINDING_PKI_CHAIN_INVALID)                             \
    X(XMPPDNA_FINDING_PKI_NO_NAME_MATCHES) X(XMPPDNA_FINDING_PKI_NAME_ONLY_IN_CN)                        \
    X(XMPPDNA_FINDING_PKI_IDENTIFIER_IGNORED) X(XMPPDNA_FINDING_DELEGATION_NOT_SECURE)                   \
    X(XMPPDNA_FINDING_PKI_CHAIN_NOT_CHECKED)                                                             \
    X(XMPPDNA_FINDING_DANE_MATCHED) X(XMPPDNA_FINDING_TLSA_BOGUS) X(XMPPDNA_FINDING_TLSA_INSECURE)       \
    X(XMPPDNA_FINDING_TLSA_INDETERMINATE) X(XMPPDNA_FINDING_TLSA_NONE) X(XMPPDNA_FINDING_TLSA_UNUSABLE)  \
    X(XMPPDNA_FINDING_TLSA_MISMATCH) X(XMPPDNA_FINDING_DANE_CHAIN_INVALID)                               \
    X(XMPPDNA_FINDING_DANE_NAME_MISMATCH) X(XMPPDNA_FINDING_DANE_NOT_CHECKED)                            \
    X(XMPPDNA_FINDING_ENDPOINT_NOT_CANDIDATE) X(XMPPDNA_FINDING_ENDPOINT_PATH_NOT_SECURE)                \
    X(XMPPDNA_FINDING_NO_SECURE_CANDIDATE) X(XMPPDNA_FINDING_TLSA_NOT_LOOKED_UP)                         \
    X(XMPPDNA_FINDING_TLSA_FAILED_IN_UNSIGNED_ZONE) X(XMPPDNA_FINDING_TLSA_NO_LOCATION)                  \
    X(XMPPDNA_FINDING_POSH_MATCHED) X(XMPPDNA_FINDING_POSH_UNAVAILABLE) X(XMPPDNA_FINDING_POSH_MALFORMED) \
    X(XMPPDNA_FINDING_POSH_BAD_URL) X(XMPPDNA_FINDING_POSH_REFERENCE_NOT_FOLLOWED)                       \
    X(XMPPDNA_FINDING_POSH_FETCH_FAILED) X(XMPPDNA_FINDING_POSH_MISMATCH)                                \
    X(XMPPDNA_FINDING_POSH_REFERENCE_UNFETCHED) X(XMPPDNA_FINDING_POSH_NOT_PUBLISHED)                    \
    X(XMPPDNA_FINDING_DIALBACK_STRONG) X(XMPPDNA_FINDING_DIALBACK_WEAK) X(XMPPDNA_FINDING_DIALBACK_FAILED) \
    X(XMPPDNA_FINDING_DIALBACK_WEAK_REFUSED) X(XMPPDNA_FINDING_DIALBACK_NOT_SUPPLIED)                    \
    X(XMPPDNA_NAMES_SRV) X(XMPPDNA_NAMES_NO_SRV) X(XMPPDNA_NAMES_UNAVAILABLE)                            \
    X(XMPPDNA_RR_A) X(XMPPDNA_RR_CNAME) X(XMPPDNA_RR_AAAA) X(XMPPDNA_RR_SRV)

#define SET_CONSTANT(name) set_int(L, #name, (lua_Integer)(name));

int luaopen_xmppdna_core(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"version", l_version},         {"version_number", l_version_number},
        {"strerror", l_strerror},       {"context", l_context},
        {"close", l_close},             {"configure", l_configure},
        {"chain", l_chain},             {"chain_count", l_chain_count},
        {"request", l_request},         {"request_set", l_request_set},
        {"names", l_names},             {"verify", l_verify},
        {"names_async", l_names_async}, {"verify_async", l_verify_async},
        {"process", l_process},         {"wait", l_wait},
        {"fd", l_fd},                   {"cancel", l_cancel},
        {"certificate_cache_limit", l_certificate_cache_limit},
        {NULL, NULL},
    };
    metatable(L, CTX, l_close);
    metatable(L, CHAIN, gc_chain);
    metatable(L, REQUEST, gc_request);
    metatable(L, BATCH, gc_batch);
    metatable(L, OWNED_NAMES, gc_owned_names);
    metatable(L, OWNED_VERDICT, gc_owned_verdict);
    luaL_newlib(L, functions);
    lua_newtable(L);
    CONSTANTS(SET_CONSTANT)
    lua_setfield(L, -2, "const");
    return 1;
}
