%% @private The NIF functions; use the xmppdna module.
%% The library is looked for in XMPPDNA_NIF (a path without ".so"), then
%% in this application's priv directory.
-module(xmppdna_nif).

-export([ctx_new/0, set_pump/2, close/1, ctx_set/3, names_lookup/3, verify/3, cancel/2, process/1, pending/1,
         verdict/1, names/1, finding_tag/1, version/0, strerror/1, certificate_cache_limit/1, noop/1,
         scheduler_stats/0, memory_stats/0]).

-on_load(init/0).

init() ->
    Path = case os:getenv("XMPPDNA_NIF") of
               false ->
                   Priv = case code:priv_dir(xmppdna) of
                              {error, bad_name} -> filename:join(filename:dirname(filename:dirname(code:which(?MODULE))), "priv");
                              Dir -> Dir
                          end,
                   filename:join(Priv, "xmppdna_nif");
               Given ->
                   Given
           end,
    erlang:load_nif(Path, 0).

-define(NIF, erlang:nif_error({not_loaded, ?MODULE})).

ctx_new() -> ?NIF.
set_pump(_Ctx, _Pid) -> ?NIF.
close(_Ctx) -> ?NIF.
ctx_set(_Ctx, _Setting, _Args) -> ?NIF.
names_lookup(_Ctx, _Domain, _Service) -> ?NIF.
verify(_Ctx, _Chain, _Request) -> ?NIF.
cancel(_Ctx, _Query) -> ?NIF.
process(_Ctx) -> ?NIF.
pending(_Ctx) -> ?NIF.
verdict(_Handle) -> ?NIF.
names(_Handle) -> ?NIF.
finding_tag(_Code) -> ?NIF.
version() -> ?NIF.
strerror(_Reason) -> ?NIF.
certificate_cache_limit(_Certificates) -> ?NIF.
noop(_Term) -> ?NIF.
scheduler_stats() -> ?NIF.
memory_stats() -> ?NIF.
