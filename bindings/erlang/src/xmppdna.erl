%% @doc XMPP Domain Name Associations for Erlang: which names a peer
%% domain's certificate may carry (DNSSEC-delegated SRV targets), and
%% whether a certificate proves the domain (RFC 7712: DANE, PKI, POSH,
%% dialback), through libxmppdna's C API.
%%
%% Lookups and verdicts are asynchronous: `verify/3' and `names/3' return
%% `{ok, Query}' at once, and the answer arrives later as the message
%% `{xmppdna, Ref, {ok, Handle} | {error, Reason}}' where `{Ref, _} = Query'.
%% `await/2' waits for it. A context's pump process runs the library's
%% callbacks on a dirty I/O scheduler; no call here blocks a normal
%% scheduler for DNS, HTTPS or chain verification.
%%
%% Verdict and name-list handles are freed by garbage collection. A
%% context lives until `close/1' (or until its pump is killed); its
%% pending queries are then cancelled and never answered.
-module(xmppdna).

-export([new/0, new/1, close/1, set/2, pending/1,
         verify/3, names/3, cancel/2, await/2,
         verify_sync/4, names_sync/4,
         verdict/1, name_list/1, finding/2, finding_tag/1, version/0, strerror/1,
         set_certificate_cache_limit/1]).

-export_type([context/0, query/0, request/0, verdict/0, option/0]).

-opaque context() :: {xmppdna_context, reference(), pid()}.
-type query() :: {reference(), integer()}.
-type verdict() :: map().
-type request() :: #{domain := binary(),
                     service => xmpp_server | xmpp_client | xmpps_server | xmpps_client,
                     direction => outbound | inbound,
                     prooftypes => [dane | pki | posh | dialback],
                     endpoint => {binary(), 0..65535},
                     dialback => none | verified | failed,
                     names_only => boolean(), no_lookups => boolean(), refuse_weak_dialback => boolean(),
                     extra_names => [{name | dns | srv | xmpp | uri | ip, binary()}],
                     presented => [{dns | srv | xmpp | uri | ip | cn, binary()}],
                     posh => binary(),
                     tlsa => [{binary() | undefined, 0..65535, binary(), secure | insecure | bogus | indeterminate}]}.
-type server() :: binary() | {binary(), trust_ad}.
-type option() :: {servers, [server()]} | {trust_mode, validate | ad} | {anchor_file, file:filename_all()}
                | {ca, {File :: file:filename_all() | undefined, Dir :: file:filename_all() | undefined}}
                | {time, pos_integer() | undefined}
                | {dns_timeout, {QueryMs :: integer(), Retries :: integer(), LookupDeadlineMs :: integer()}}
                | {posh, {UrlBase :: binary() | undefined, TimeoutMs :: integer()}}
                | {limits, {DnsInFlight :: integer(), DnsPerZone :: integer(), PoshInFlight :: integer(),
                            PoshPerZone :: integer()}}
                | {cache_limits, {DnsEntries :: integer(), PoshDocuments :: integer(), VerifiedChains :: integer()}}.

%% @doc A context with the library's defaults (no DNS server: set one).
-spec new() -> {ok, context()} | {error, term()}.
new() -> new([]).

%% @doc A context configured by `Options' (see `set/2').
-spec new([option()]) -> {ok, context()} | {error, term()}.
new(Options) when is_list(Options) ->
    case xmppdna_nif:ctx_new() of
        {ok, Ctx} ->
            Pump = spawn(fun() -> pump(Ctx) end),
            ok = xmppdna_nif:set_pump(Ctx, Pump),
            Context = {xmppdna_context, Ctx, Pump},
            case set(Context, Options) of
                ok -> {ok, Context};
                Error -> close(Context), Error
            end;
        Error ->
            Error
    end.

%% Receives the select messages of the context's descriptor and runs the
%% finished queries' callbacks, which send each answer to its caller.
pump(Ctx) ->
    receive
        {select, _Resource, _Ref, ready_input} ->
            _ = xmppdna_nif:process(Ctx),
            pump(Ctx);
        stop ->
            ok
    end.

%% @doc Frees the context: pending queries are cancelled and never answered.
-spec close(context()) -> ok.
close({xmppdna_context, Ctx, Pump}) ->
    ok = xmppdna_nif:close(Ctx),
    Pump ! stop,
    ok.

%% @doc Applies options in order; the first refused one is returned as
%% `{error, Reason}' (`{error, {bad_option, Option}}' for an unknown one).
%% `{servers, [<<"127.0.0.1@53">>]}' replaces the DNS servers; a server
%% given as `{Server, trust_ad}' has its AD bit believed (trust-ad mode).
-spec set(context(), [option()]) -> ok | {error, term()}.
set(_Context, []) ->
    ok;
set({xmppdna_context, Ctx, _} = Context, [Option | Rest]) ->
    case apply_option(Ctx, Option) of
        ok -> set(Context, Rest);
        Error -> Error
    end.

apply_option(Ctx, {servers, Servers}) when is_list(Servers) ->
    lists:foldl(fun({Server, trust_ad}, ok) -> xmppdna_nif:ctx_set(Ctx, server, {Server, true});
                   (Server, ok) -> xmppdna_nif:ctx_set(Ctx, server, {Server, false});
                   (_, Error) -> Error end,
                xmppdna_nif:ctx_set(Ctx, clear_servers, {}), Servers);
apply_option(Ctx, {trust_mode, Mode}) -> xmppdna_nif:ctx_set(Ctx, trust_mode, {Mode});
apply_option(Ctx, {anchor_file, Path}) -> xmppdna_nif:ctx_set(Ctx, anchor_file, {path(Path)});
apply_option(Ctx, {ca, {File, Dir}}) -> xmppdna_nif:ctx_set(Ctx, ca, {path(File), path(Dir)});
apply_option(Ctx, {time, Time}) -> xmppdna_nif:ctx_set(Ctx, time, {Time});
apply_option(Ctx, {dns_timeout, {Query, Retries, Deadline}}) ->
    xmppdna_nif:ctx_set(Ctx, dns_timeout, {Query, Retries, Deadline});
apply_option(Ctx, {posh, {UrlBase, Timeout}}) -> xmppdna_nif:ctx_set(Ctx, posh, {UrlBase, Timeout});
apply_option(Ctx, {limits, {A, B, C, D}}) -> xmppdna_nif:ctx_set(Ctx, limits, {A, B, C, D});
apply_option(Ctx, {cache_limits, {A, B, C}}) -> xmppdna_nif:ctx_set(Ctx, cache_limits, {A, B, C});
apply_option(_Ctx, Option) -> {error, {bad_option, Option}}.

path(undefined) -> undefined;
path(Path) when is_binary(Path) -> Path;
path(Path) when is_list(Path) -> unicode:characters_to_binary(Path);
path(Path) -> Path.  % the NIF refuses it: badarg

%% @doc How many queries of this context are pending.
-spec pending(context()) -> non_neg_integer().
pending({xmppdna_context, Ctx, _}) -> xmppdna_nif:pending(Ctx).

%% @doc Asks for the DNA verdict on `Chain' (DER certificates, leaf first;
%% `[]' for a peer without one) for `Request'. The answer arrives as
%% `{xmppdna, Ref, {ok, Verdict} | {error, Reason}}'.
-spec verify(context(), [binary()], request()) -> {ok, query()} | {error, term()}.
verify({xmppdna_context, Ctx, _}, Chain, Request) -> xmppdna_nif:verify(Ctx, Chain, Request).

%% @doc Asks for the name list of `Domain' (its DNSSEC-delegated names).
-spec names(context(), binary(), xmpp_server | xmpp_client | xmpps_server | xmpps_client) ->
    {ok, query()} | {error, term()}.
names({xmppdna_context, Ctx, _}, Domain, Service) -> xmppdna_nif:names_lookup(Ctx, Domain, Service).

%% @doc Forgets a query: its answer never arrives. `{error, not_found}' if
%% it was answered (the message may be in the mailbox) or cancelled.
-spec cancel(context(), query()) -> ok | {error, term()}.
cancel({xmppdna_context, Ctx, _}, Query) -> xmppdna_nif:cancel(Ctx, Query).

%% @doc Waits for the answer to `Query'; on timeout the query is cancelled.
-spec await(query(), timeout()) -> {ok, reference()} | {error, term()}.
await({Ref, _Id}, Timeout) ->
    receive
        {xmppdna, Ref, Result} -> Result
    after Timeout ->
        {error, timeout}
    end.

%% @doc `verify/3' and `await/2' in one call; the verdict as a map.
-spec verify_sync(context(), [binary()], request(), timeout()) -> {ok, verdict()} | {error, term()}.
verify_sync(Context, Chain, Request, Timeout) ->
    sync(Context, verify(Context, Chain, Request), Timeout, fun verdict/1).

%% @doc `names/3' and `await/2' in one call; the name list as a map.
-spec names_sync(context(), binary(), atom(), timeout()) -> {ok, map()} | {error, term()}.
names_sync(Context, Domain, Service, Timeout) ->
    sync(Context, names(Context, Domain, Service), Timeout, fun name_list/1).

sync(Context, {ok, Query}, Timeout, Read) ->
    case await(Query, Timeout) of
        {ok, Handle} -> {ok, Read(Handle)};
        {error, timeout} -> _ = cancel(Context, Query), flush(Query), {error, timeout};
        Error -> Error
    end;
sync(_Context, Error, _Timeout, _Read) ->
    Error.

%% An answer that crossed the cancel stays out of the caller's mailbox.
flush({Ref, _}) ->
    receive {xmppdna, Ref, _} -> ok after 0 -> ok end.

%% @doc A verdict handle as a map: accepted, prooftype, summary, attempts,
%% findings (each with its code and tag, e.g. `tlsa_mismatch'), matches,
%% presented identifiers, evidence and the PKIX chain check.
-spec verdict(reference()) -> verdict().
verdict(Handle) -> xmppdna_nif:verdict(Handle).

%% @doc A name-list handle as a map: status, kind, names, candidates.
-spec name_list(reference()) -> map().
name_list(Handle) -> xmppdna_nif:names(Handle).

%% @doc The first finding of a verdict map with this tag, or `undefined'.
-spec finding(verdict(), atom()) -> map() | undefined.
finding(#{findings := Findings}, Tag) ->
    case [F || F = #{tag := T} <- Findings, T =:= Tag] of
        [First | _] -> First;
        [] -> undefined
    end.

%% @doc The tag of a finding code (`tlsa_mismatch' for 206), `undefined'
%% for a code newer than this binding.
-spec finding_tag(integer()) -> atom().
finding_tag(Code) -> xmppdna_nif:finding_tag(Code).

-spec version() -> binary().
version() -> xmppdna_nif:version().

%% @doc The library's sentence for an error atom (`bad_name', ...).
-spec strerror(atom()) -> binary().
strerror(Reason) -> xmppdna_nif:strerror(Reason).

%% @doc Bounds the decoded certificates the whole VM keeps (default 2048).
-spec set_certificate_cache_limit(pos_integer()) -> ok | {error, term()}.
set_certificate_cache_limit(Certificates) -> xmppdna_nif:certificate_cache_limit(Certificates).
