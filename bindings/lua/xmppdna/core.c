/*
 * xmppdna.core: the low-level interface of the Lua binding as a Lua 5.4 C
 * module, for interpreters without FFI (Prosody in Debian). Built against
 * liblua5.4-dev without linking liblua, as Prosody's own C modules are:
 * the interpreter that loads it provides the Lua API.
 *
 * Every function returns its result, or nil, message, code. Verdicts and
 * name lists travel as the library's own JSON; xmppdna/init.lua decodes it.
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

typedef struct { xmppdna_ctx *ctx; } ctx_box;
typedef struct { xmppdna_chain *chain; } chain_box;
typedef struct { xmppdna_dna_request *req; } request_box;

/* Finished async queries, collected by the C callbacks while
 * xmppdna_process or xmppdna_wait runs on this thread. */
typedef struct { lua_Integer token; int rc; char *json; } finished;
static _Thread_local struct { finished *items; size_t count, capacity; int failed; } collected;

static int failure(lua_State *L, int rc) {
    lua_pushnil(L);
    lua_pushstring(L, xmppdna_strerror(rc));
    lua_pushinteger(L, rc);
    return 3;
}

static xmppdna_ctx *check_ctx(lua_State *L) {
    ctx_box *box = luaL_checkudata(L, 1, CTX);
    if (!box->ctx) luaL_error(L, "xmppdna: the context is closed");
    return box->ctx;
}

static int l_version(lua_State *L) {
    lua_pushstring(L, xmppdna_version());
    return 1;
}

static int l_version_number(lua_State *L) {
    lua_pushinteger(L, xmppdna_version_number());
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
    xmppdna_ctx_free(box->ctx); /* cancels pending queries, joins workers */
    box->ctx = NULL;
    return 0;
}

/* configure(ctx, key, a, b) */
static int l_configure(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    const char *key = luaL_checkstring(L, 2);
    int rc;
    if (!strcmp(key, "ca_file")) rc = xmppdna_ctx_set_ca_file(ctx, luaL_checkstring(L, 3));
    else if (!strcmp(key, "ca_dir")) rc = xmppdna_ctx_set_ca_dir(ctx, luaL_checkstring(L, 3));
    else if (!strcmp(key, "time")) rc = xmppdna_ctx_set_time(ctx, (int64_t)luaL_checkinteger(L, 3));
    else if (!strcmp(key, "flags")) rc = xmppdna_ctx_set_flags(ctx, (unsigned)luaL_checkinteger(L, 3));
    else if (!strcmp(key, "server")) rc = xmppdna_ctx_add_server(ctx, luaL_checkstring(L, 3));
    else if (!strcmp(key, "trust_mode")) rc = xmppdna_ctx_set_trust_mode(ctx, (int)luaL_checkinteger(L, 3));
    else if (!strcmp(key, "trusted_resolver")) rc = xmppdna_ctx_add_trusted_resolver(ctx, luaL_checkstring(L, 3));
    else if (!strcmp(key, "anchor_file")) rc = xmppdna_ctx_set_anchor_file(ctx, luaL_checkstring(L, 3));
    else if (!strcmp(key, "dns_timeout"))
        rc = xmppdna_ctx_set_dns_timeout(ctx, (int)luaL_checkinteger(L, 3), (int)luaL_checkinteger(L, 4));
    else if (!strcmp(key, "posh"))
        rc = xmppdna_ctx_set_posh(ctx, luaL_optstring(L, 3, NULL), (int)luaL_checkinteger(L, 4));
    else if (!strcmp(key, "threads")) rc = xmppdna_ctx_set_threads(ctx, (int)luaL_checkinteger(L, 3));
    else return luaL_error(L, "xmppdna: unknown setting %s", key);
    if (rc != XMPPDNA_OK) return failure(L, rc);
    lua_pushboolean(L, 1);
    return 1;
}

/* A Lua string with a NUL inside would be cut short by the C API. */
static const char *checkname(lua_State *L, int index) {
    size_t len;
    const char *text = luaL_checklstring(L, index, &len);
    if (strlen(text) != len) return NULL;
    return text;
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

static int l_request(lua_State *L) {
    const char *domain = checkname(L, 1);
    if (!domain) return failure(L, XMPPDNA_EENCODING);
    request_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->req = NULL;
    luaL_setmetatable(L, REQUEST);
    int rc = xmppdna_dna_request_new(domain, (int)luaL_checkinteger(L, 2), (int)luaL_checkinteger(L, 3), &box->req);
    return rc == XMPPDNA_OK ? 1 : failure(L, rc);
}

/* request_set(req, key, a, b, c, d) */
static int l_request_set(lua_State *L) {
    xmppdna_dna_request *req = ((request_box *)luaL_checkudata(L, 1, REQUEST))->req;
    const char *key = luaL_checkstring(L, 2);
    int rc;
    if (!strcmp(key, "endpoint")) {
        const char *host = checkname(L, 3);
        rc = host ? xmppdna_dna_request_set_endpoint(req, host, (int)luaL_checkinteger(L, 4)) : XMPPDNA_EENCODING;
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
        rc = xmppdna_dna_request_set_prooftypes(req, list, count);
    } else if (!strcmp(key, "name")) {
        const char *name = checkname(L, 3);
        rc = name ? xmppdna_dna_request_add_name(req, name) : XMPPDNA_EENCODING;
    } else if (!strcmp(key, "tlsa")) {
        const char *host = lua_isnoneornil(L, 3) ? NULL : checkname(L, 3);
        if (!lua_isnoneornil(L, 3) && !host) return failure(L, XMPPDNA_EENCODING);
        rc = xmppdna_dna_request_add_tlsa(req, host, (int)luaL_checkinteger(L, 4), luaL_checkstring(L, 5),
                                          (int)luaL_checkinteger(L, 6));
    } else if (!strcmp(key, "posh")) {
        size_t len;
        const char *document = luaL_checklstring(L, 3, &len);
        rc = xmppdna_dna_request_set_posh(req, document, len);
    } else if (!strcmp(key, "dialback")) {
        rc = xmppdna_dna_request_set_dialback(req, (int)luaL_checkinteger(L, 3));
    } else if (!strcmp(key, "flags")) {
        rc = xmppdna_dna_request_set_flags(req, (unsigned)luaL_checkinteger(L, 3));
    } else {
        return luaL_error(L, "xmppdna: unknown request setting %s", key);
    }
    if (rc != XMPPDNA_OK) return failure(L, rc);
    lua_pushboolean(L, 1);
    return 1;
}

/* Pushes a library-owned JSON string and frees it. */
static int push_json(lua_State *L, char *json) {
    lua_pushstring(L, json);
    xmppdna_free(json);
    return 1;
}

static int l_names(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    const char *domain = checkname(L, 2);
    if (!domain) return failure(L, XMPPDNA_EENCODING);
    xmppdna_names *names = NULL;
    int rc = xmppdna_names_lookup(ctx, domain, (int)luaL_checkinteger(L, 3), &names);
    if (rc != XMPPDNA_OK) return failure(L, rc);
    char *json = NULL;
    rc = xmppdna_names_json(names, &json);
    xmppdna_names_free(names);
    return rc == XMPPDNA_OK ? push_json(L, json) : failure(L, rc);
}

static int l_verify(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    chain_box *chain = luaL_checkudata(L, 2, CHAIN);
    request_box *req = luaL_checkudata(L, 3, REQUEST);
    xmppdna_dna *verdict = NULL;
    int rc = xmppdna_verify_dna(ctx, chain->chain, req->req, &verdict);
    if (rc != XMPPDNA_OK) return failure(L, rc);
    char *json = NULL;
    rc = xmppdna_dna_json(verdict, &json);
    xmppdna_dna_free(verdict);
    return rc == XMPPDNA_OK ? push_json(L, json) : failure(L, rc);
}

static void collect(void *userdata, int rc, char *json) {
    if (collected.count == collected.capacity) {
        size_t capacity = collected.capacity ? collected.capacity * 2 : 16;
        finished *grown = realloc(collected.items, capacity * sizeof *grown);
        if (!grown) { collected.failed = 1; free(json); return; }
        collected.items = grown;
        collected.capacity = capacity;
    }
    collected.items[collected.count++] = (finished){(lua_Integer)(intptr_t)userdata, rc, json};
}

static void on_names(void *userdata, int rc, xmppdna_names *names) {
    char *json = NULL;
    if (rc == XMPPDNA_OK) rc = xmppdna_names_json(names, &json);
    xmppdna_names_free(names);
    collect(userdata, rc, json);
}

static void on_dna(void *userdata, int rc, xmppdna_dna *verdict) {
    char *json = NULL;
    if (rc == XMPPDNA_OK) rc = xmppdna_dna_json(verdict, &json);
    xmppdna_dna_free(verdict);
    collect(userdata, rc, json);
}

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
    int rc = xmppdna_names_lookup_async(ctx, domain, (int)luaL_checkinteger(L, 3), on_names,
                                        (void *)(intptr_t)luaL_checkinteger(L, 4), &id);
    return submitted(L, rc, id);
}

static int l_verify_async(lua_State *L) {
    xmppdna_ctx *ctx = check_ctx(L);
    chain_box *chain = luaL_checkudata(L, 2, CHAIN);
    request_box *req = luaL_checkudata(L, 3, REQUEST);
    int id = 0;
    int rc = xmppdna_verify_dna_async(ctx, chain->chain, req->req, on_dna,
                                      (void *)(intptr_t)luaL_checkinteger(L, 4), &id);
    return submitted(L, rc, id);
}

/* Runs process or wait, then returns {{token=, json=} or {token=, error=, code=}...}. */
static int drain(lua_State *L, int (*run)(xmppdna_ctx *)) {
    xmppdna_ctx *ctx = check_ctx(L);
    collected.count = 0;
    collected.failed = 0;
    int rc = run(ctx);
    lua_createtable(L, (int)collected.count, 0);
    for (size_t i = 0; i < collected.count; i++) {
        finished *item = &collected.items[i];
        lua_createtable(L, 0, 3);
        lua_pushinteger(L, item->token);
        lua_setfield(L, -2, "token");
        if (item->json) {
            lua_pushstring(L, item->json);
            lua_setfield(L, -2, "json");
            xmppdna_free(item->json);
        } else {
            lua_pushstring(L, xmppdna_strerror(item->rc));
            lua_setfield(L, -2, "error");
            lua_pushinteger(L, item->rc);
            lua_setfield(L, -2, "code");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    collected.count = 0;
    if (rc < 0) return failure(L, rc);
    if (collected.failed) return failure(L, XMPPDNA_ENOMEM);
    return 1;
}

static int l_process(lua_State *L) { return drain(L, xmppdna_process); }
static int l_wait(lua_State *L) { return drain(L, xmppdna_wait); }

static int l_fd(lua_State *L) {
    int fd = xmppdna_fd(check_ctx(L));
    return fd >= 0 ? (lua_pushinteger(L, fd), 1) : failure(L, fd);
}

static int l_cancel(lua_State *L) {
    int rc = xmppdna_cancel(check_ctx(L), (int)luaL_checkinteger(L, 2));
    if (rc != XMPPDNA_OK) return failure(L, rc);
    lua_pushboolean(L, 1);
    return 1;
}

static int gc_chain(lua_State *L) {
    chain_box *box = luaL_checkudata(L, 1, CHAIN);
    xmppdna_chain_free(box->chain);
    box->chain = NULL;
    return 0;
}

static int gc_request(lua_State *L) {
    request_box *box = luaL_checkudata(L, 1, REQUEST);
    xmppdna_dna_request_free(box->req);
    box->req = NULL;
    return 0;
}

static void metatable(lua_State *L, const char *name, lua_CFunction gc) {
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}

int luaopen_xmppdna_core(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"version", l_version},       {"version_number", l_version_number},
        {"context", l_context},       {"close", l_close},
        {"configure", l_configure},   {"chain", l_chain},             {"request", l_request},
        {"request_set", l_request_set}, {"names", l_names},           {"verify", l_verify},
        {"names_async", l_names_async}, {"verify_async", l_verify_async}, {"process", l_process},
        {"wait", l_wait},             {"fd", l_fd},                   {"cancel", l_cancel},
        {NULL, NULL},
    };
    metatable(L, CTX, l_close);
    metatable(L, CHAIN, gc_chain);
    metatable(L, REQUEST, gc_request);
    luaL_newlib(L, functions);
    return 1;
}
