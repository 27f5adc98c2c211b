%% @doc Decides ejabberd's s2s certificates by the RFC 7712 Domain Name
%% Association verdict of libxmppdna: DANE, PKI with the DNSSEC-delegated
%% names, POSH. A secure TLSA RRset that the certificate does not match
%% refuses the peer even when ejabberd's own PKIX check accepts it (the
%% DANE veto of RFC 7673). Every error refuses.
%%
%% Which ejabberd 23.01 hook does what, and why, is in README-ejabberd.md
%% beside this module's sources.
-module(mod_s2s_dna).
-behaviour(gen_mod).

-export([start/2, stop/1, reload/3, depends/2, mod_opt_type/1, mod_options/1, mod_doc/0]).
-export([s2s_out_tls_verify/2, s2s_out_auth_result/2,
         s2s_in_features/2, s2s_in_recv/3, s2s_in_send/3, s2s_in_packet/2]).

-include("xmpp.hrl").
-include("logger.hrl").
-include("translate.hrl").

%% Below mod_s2s_dialback's 50, so the verdict is asked first and dialback's
%% DNS callback never authenticates a peer on a host with this module.
-define(PRIORITY, 40).
-define(PROVEN, mod_s2s_dna_proven).
%% A stream state xmpp_stream_in does not know: it answers SASL there with a
%% failure and runs no certificate check (see s2s_in_recv/3).
-define(EXTERNAL_DECLINED, mod_s2s_dna_external_declined).

%%%===================================================================
%%% gen_mod
%%%===================================================================
start(Host, Opts) ->
    open_context(Host, Opts),
    lists:foreach(fun({Hook, Function}) -> ejabberd_hooks:add(Hook, Host, ?MODULE, Function, ?PRIORITY) end, hooks()).

stop(Host) ->
    lists:foreach(fun({Hook, Function}) -> ejabberd_hooks:delete(Hook, Host, ?MODULE, Function, ?PRIORITY) end, hooks()),
    close_context(Host).

reload(Host, NewOpts, _OldOpts) ->
    close_context(Host),
    open_context(Host, NewOpts).

depends(_Host, _Opts) ->
    [].

hooks() ->
    [{s2s_out_tls_verify, s2s_out_tls_verify},
     {s2s_out_auth_result, s2s_out_auth_result},
     {s2s_in_pre_auth_features, s2s_in_features},
     {s2s_in_handle_recv, s2s_in_recv},
     {s2s_in_handle_send, s2s_in_send},
     {s2s_in_unauthenticated_packet, s2s_in_packet},
     {s2s_in_authenticated_packet, s2s_in_packet}].

mod_opt_type(resolvers) -> econf:list(econf:binary());
mod_opt_type(trust_mode) -> econf:enum([validate, ad]);
mod_opt_type(trust_anchor_file) -> econf:file();
mod_opt_type(ca_file) -> econf:file();
mod_opt_type(ca_path) -> econf:directory();
mod_opt_type(prooftypes) -> econf:non_empty(econf:list(econf:enum([dane, pki, posh]), [unique]));
mod_opt_type(always) -> econf:bool();
mod_opt_type(dns_timeout) -> econf:timeout(second);
mod_opt_type(dns_retries) -> econf:non_neg_int();
mod_opt_type(posh_timeout) -> econf:timeout(second);
mod_opt_type(timeout) -> econf:timeout(second).

mod_options(_Host) ->
    [{resolvers, []}, {trust_mode, validate}, {trust_anchor_file, undefined},
     {ca_file, undefined}, {ca_path, undefined}, {prooftypes, [dane, pki, posh]}, {always, false},
     {dns_timeout, timer:seconds(2)}, {dns_retries, 2}, {posh_timeout, timer:seconds(5)},
     {timeout, timer:seconds(15)}].

mod_doc() ->
    #{desc =>
          [?T("Decides server-to-server certificates by the Domain Name "
              "Association verdict of libxmppdna (RFC 7712): DANE (RFC 7673), "
              "PKI with the names a domain delegated by DNSSEC-signed SRV "
              "records, and POSH (RFC 7711). A peer whose certificate only "
              "DANE or a delegation proves is accepted; a certificate that "
              "does not match the peer's secure TLSA records is refused even "
              "when ejabberd's own check accepts it. Any error refuses.")],
      opts =>
          [{resolvers, #{value => "[Addr@Port]",
                         desc => ?T("The DNS servers to ask. Required: "
                                    "/etc/resolv.conf is never read.")}},
           {trust_mode, #{value => "validate | ad",
                          desc => ?T("'validate' checks DNSSEC signatures itself "
                                     "(the default); 'ad' trusts the AD bit of "
                                     "a validating resolver on a trusted path.")}},
           {trust_anchor_file, #{value => ?T("Path"),
                                 desc => ?T("The DNSSEC trust anchor (DS or DNSKEY "
                                            "records); the IANA root key by default.")}},
           {ca_file, #{value => ?T("Path"),
                       desc => ?T("PEM roots for PKI and the DANE PKIX usages; "
                                  "'s2s_cafile' (else 'ca_file') by default.")}},
           {ca_path, #{value => ?T("Path"), desc => ?T("A hashed directory of roots.")}},
           {prooftypes, #{value => "[dane | pki | posh]",
                          desc => ?T("The prooftypes to try, in order. The "
                                     "default is '[dane, pki, posh]'.")}},
           {always, #{value => "true | false",
                      desc => ?T("Also judge peers that ejabberd's PKIX check "
                                 "accepted by the full verdict, not only by "
                                 "the DANE veto. The default is 'false'.")}},
           {dns_timeout, #{value => "timeout()", desc => ?T("One DNS query's timeout: 2 seconds.")}},
           {dns_retries, #{value => ?T("Number"), desc => ?T("Retries of a DNS query: 2.")}},
           {posh_timeout, #{value => "timeout()", desc => ?T("The POSH fetch's timeout: 5 seconds.")}},
           {timeout, #{value => "timeout()",
                       desc => ?T("How long one verdict may take before the "
                                  "peer is refused: 15 seconds.")}}],
      example =>
          ["modules:",
           "  mod_s2s_dna:",
           "    resolvers: [\"127.0.0.1@53\"]",
           "    trust_mode: validate"]}.

%%%===================================================================
%%% The libxmppdna context of a host
%%%===================================================================
open_context(Host, Opts) ->
    Context = case context_options(Host, Opts) of
                  {ok, Options} ->
                      case xmppdna:new(Options) of
                          {ok, Ctx} -> {ok, Ctx};
                          {error, Why} -> {error, io_lib:format("~p", [Why])}
                      end;
                  {error, _} = Error ->
                      Error
              end,
    case Context of
        {ok, _} ->
            ?INFO_MSG("xmppdna: libxmppdna ~ts judges s2s certificates of ~ts (prooftypes ~w)",
                      [xmppdna:version(), Host, gen_mod:get_opt(prooftypes, Opts)]);
        {error, Text} ->
            ?ERROR_MSG("xmppdna: cannot configure libxmppdna for ~ts: ~ts; every s2s certificate "
                       "this module would judge is refused", [Host, Text])
    end,
    persistent_term:put({?MODULE, Host}, Context).

close_context(Host) ->
    case persistent_term:get({?MODULE, Host}, undefined) of
        {ok, Ctx} -> xmppdna:close(Ctx);
        _ -> ok
    end,
    _ = persistent_term:erase({?MODULE, Host}),
    ok.

context_options(Host, Opts) ->
    Mode = gen_mod:get_opt(trust_mode, Opts),
    Servers = [case Mode of ad -> {S, trust_ad}; validate -> S end || S <- gen_mod:get_opt(resolvers, Opts)],
    DnsMs = gen_mod:get_opt(dns_timeout, Opts),
    Deadline = gen_mod:get_opt(timeout, Opts),
    CaFile = case gen_mod:get_opt(ca_file, Opts) of
                 undefined -> ejabberd_s2s_cafile(Host);
                 File -> File
             end,
    Anchor = case gen_mod:get_opt(trust_anchor_file, Opts) of
                 undefined -> [];
                 Path -> [{anchor_file, Path}]
             end,
    if Servers == [] ->
            {error, "resolvers is empty: give the DNS servers to ask (\"ADDR@PORT\"); "
                    "/etc/resolv.conf is never read"};
       true ->
            {ok, [{servers, Servers}, {trust_mode, Mode}, {ca, {CaFile, gen_mod:get_opt(ca_path, Opts)}},
                  {dns_timeout, {DnsMs, gen_mod:get_opt(dns_retries, Opts), Deadline}},
                  {posh, {undefined, gen_mod:get_opt(posh_timeout, Opts)}} | Anchor]}
    end.

%% The store ejabberd verifies s2s certificates with (ejabberd_s2s:get_cafile/1).
ejabberd_s2s_cafile(Host) ->
    case ejabberd_option:s2s_cafile(Host) of
        undefined -> ejabberd_option:ca_file();
        File -> File
    end.

%%%===================================================================
%%% Outbound: we connected to RServer
%%%===================================================================
%% ejabberd's own check would end the stream on a name mismatch before the
%% verdict is asked; the verdict is asked once the stream is authenticated.
%% Dialback's key-verification connections keep ejabberd's behaviour.
s2s_out_tls_verify(Acc, #{db_verify := _}) ->
    Acc;
s2s_out_tls_verify(_Acc, _State) ->
    {stop, false}.

s2s_out_auth_result(#{db_verify := _} = State, _) ->
    State;
s2s_out_auth_result(State, {false, _}) ->
    State;  % the peer refused us; dialback may retry, and its success comes back here
s2s_out_auth_result(#{server_host := Host, remote_server := RServer} = State, true) ->
    case judge(Host, outbound, RServer, State) of
        {accept, _} ->
            State;
        {refuse, Text} ->
            {stop, ejabberd_s2s_out:process_auth_result(State, {false, {auth, Text}})}
    end.

%%%===================================================================
%%% Inbound: a peer connected and claims RServer
%%%===================================================================
%% Peers that SASL EXTERNAL fails for fall back to dialback; its db:result is
%% what this module answers by the verdict, so it must be offered.
s2s_in_features(Acc, Host) ->
    case gen_mod:is_loaded(Host, mod_s2s_dialback) of
        true -> Acc;
        false -> [#db_feature{errors = true} | Acc]
    end.

%% SASL EXTERNAL: the verdict is asked before ejabberd's own check runs. A
%% refusal closes the stream (so a DANE veto overrides ejabberd's PKIX
%% acceptance). An acceptance that ejabberd's check does not share is kept;
%% ejabberd is kept from running its check (which may crash, see judge/5)
%% and answers EXTERNAL with a failure, and the peer's dialback fallback on
%% this stream is answered by the kept acceptance.
s2s_in_recv(#{stream_state := wait_for_sasl_request, stream_encrypted := true,
              server_host := Host} = State, _El,
            #sasl_auth{mechanism = <<"EXTERNAL">>, text = Authzid}) ->
    RServer = maps:get(remote_server, State, Authzid),
    case judge(Host, inbound, RServer, State) of
        {accept, ejabberd} ->
            State;
        {accept, Prooftype} ->
            State#{?PROVEN => maps:put(RServer, Prooftype, proven(State)), stream_state => ?EXTERNAL_DECLINED};
        {refuse, Text} ->
            {stop, refuse_stream(State, Text)}
    end;
s2s_in_recv(State, _El, _Pkt) ->
    State.

%% The failure that declined EXTERNAL is sent: SASL may start again.
s2s_in_send(#{stream_state := ?EXTERNAL_DECLINED} = State, #sasl_failure{}, _Result) ->
    State#{stream_state => wait_for_sasl_request};
s2s_in_send(State, _Pkt, _Result) ->
    State.

s2s_in_packet(#{server_host := Host, lang := Lang} = State,
              #db_result{from = From, to = To, type = undefined}) ->
    case check_from_to(From, To) of
        {error, Condition} ->
            {stop, db_result(State, From, To, error, stanza_error(Condition, Lang))};
        ok ->
            Decision = case maps:find(From, proven(State)) of
                           {ok, Prooftype} -> {accept, Prooftype};
                           error -> judge(Host, inbound, From, State#{remote_server => From})
                       end,
            {stop, answer_db_result(State, From, To, Decision)}
    end;
s2s_in_packet(State, _Pkt) ->
    State.

answer_db_result(State, From, To, {accept, How}) ->
    State1 = db_result(State, From, To, valid, undefined),
    Mech = case How of
               ejabberd -> <<"xmppdna/ejabberd-pkix">>;  % ejabberd's check, not vetoed
               _ -> iolist_to_binary(["xmppdna/", atom_to_list(How)])
           end,
    State2 = ejabberd_s2s_in:handle_auth_success(From, Mech, undefined, State1),
    ejabberd_s2s_in:establish(State2);
answer_db_result(#{lang := Lang} = State, From, To, {refuse, Text}) ->
    Error = xmpp:err_not_authorized(Text, Lang),
    State1 = db_result(State, From, To, error, Error),
    ejabberd_s2s_in:handle_auth_failure(From, <<"xmppdna">>, Text, State1).

db_result(State, From, To, Type, Error) ->
    Els = case Error of undefined -> []; _ -> [Error] end,
    ejabberd_s2s_in:send(State, #db_result{from = To, to = From, type = Type, sub_els = Els}).

stanza_error(forbidden, Lang) -> xmpp:err_forbidden(<<"Access denied by service policy">>, Lang);
stanza_error(_, Lang) -> xmpp:err_item_not_found(<<"Host unknown">>, Lang).

check_from_to(From, To) ->
    case ejabberd_router:is_my_route(To) of
        false ->
            {error, 'item-not-found'};
        true ->
            case ejabberd_s2s:allow_host(ejabberd_router:host_of_route(To), From) of
                true -> ok;
                false -> {error, forbidden}
            end
    end.

proven(State) ->
    maps:get(?PROVEN, State, #{}).

refuse_stream(#{lang := Lang} = State, Text) ->
    ejabberd_s2s_in:send(State, xmpp:serr_not_authorized(Text, Lang)).

%%%===================================================================
%%% The verdict
%%%===================================================================
%% {accept, ejabberd | Prooftype} or {refuse, Text}. ejabberd's own PKIX
%% acceptance stands unless DANE vetoes it (or `always' asks for the full
%% verdict); otherwise the configured prooftypes decide, in order.
judge(Host, Direction, RServer, State) ->
    try
        judge(Host, Direction, RServer, State, persistent_term:get({?MODULE, Host}, {error, "not started"}))
    catch Class:Reason:Stack ->
            cannot_judge(Direction, RServer, io_lib:format("~p:~p ~p", [Class, Reason, Stack]))
    end.

judge(_Host, Direction, RServer, _State, {error, Text}) ->
    cannot_judge(Direction, RServer, ["cannot configure libxmppdna: ", Text]);
judge(Host, Direction, RServer, #{socket := Socket} = State, {ok, Ctx}) ->
    case xmpp_socket:get_peer_certificate(Socket, der) of
        {ok, Leaf} ->
            EjabberdAccepts = ejabberd_accepts(Direction, RServer, State),
            VetoOnly = EjabberdAccepts andalso not opt(Host, always),
            %% fast_tls hands out the leaf only; the chain it checked against
            %% ejabberd's CA file is summed up in its verify result.
            ChainVerified = xmpp_socket:get_verify_result(Socket) == 0,
            Prooftypes = case VetoOnly of
                             true -> [dane];
                             false -> opt(Host, prooftypes)
                         end,
            Request = #{domain => RServer, direction => Direction},
            Timeout = opt(Host, timeout),
            decide(try_prooftypes(Ctx, Leaf, Request, ChainVerified, Timeout, Prooftypes, []),
                   Direction, RServer, VetoOnly, EjabberdAccepts);
        error ->
            log_refusal(Direction, RServer, "", "the peer presented no certificate")
    end.

%% ejabberd's own check (xmpp_stream_pkix). With xmpp 1.6.1 it crashes on
%% a certificate that carries an XmppAddr for a domain (a binary where
%% lists:flatmap/2 wants a list); that counts as not accepting.
ejabberd_accepts(Direction, RServer, State) ->
    try element(1, xmpp_stream_pkix:authenticate(State)) == ok
    catch Class:Reason ->
            ?DEBUG("xmppdna: ~ts ~ts: ejabberd's own certificate check failed (~p:~p), so it does not accept",
                   [Direction, RServer, Class, Reason]),
            false
    end.

%% One verdict per prooftype, so that PKI can use fast_tls's chain check:
%% [{Prooftype, Verdict}], newest first, up to the first that decides.
try_prooftypes(_Ctx, _Leaf, _Request, _ChainVerified, _Timeout, [], Tried) ->
    Tried;
try_prooftypes(Ctx, Leaf, Request, ChainVerified, Timeout, [Prooftype | Rest], Tried) ->
    Ask = case Prooftype of
              pki when ChainVerified -> Request#{prooftypes => [pki], names_only => true};
              _ -> Request#{prooftypes => [Prooftype]}
          end,
    case xmppdna:verify_sync(Ctx, [Leaf], Ask, Timeout) of
        {ok, #{accepted := true} = Verdict} ->
            [{Prooftype, Verdict} | Tried];
        {ok, Verdict} ->
            case outcome(Verdict, dane) of
                rejected -> [{Prooftype, Verdict} | Tried];
                _ -> try_prooftypes(Ctx, Leaf, Request, ChainVerified, Timeout, Rest, [{Prooftype, Verdict} | Tried])
            end;
        {error, Why} ->
            [{Prooftype, {error, Why}} | Tried]
    end.

decide([{_, {error, Why}} | _] = Tried, Direction, RServer, _VetoOnly, _EjabberdAccepts) ->
    cannot_judge(Direction, RServer, io_lib:format("no verdict: ~p (~ts) after ~ts",
                                                   [Why, error_text(Why), reasons(tl(Tried))]));
decide([{Prooftype, #{accepted := true} = Verdict} | _], Direction, RServer, _VetoOnly, _EjabberdAccepts) ->
    Reason = reason(Verdict, Prooftype),
    %% A names-only PKI verdict: the chain is the one fast_tls verified.
    Said = case xmppdna:finding(Verdict, pki_chain_not_checked) of
               undefined -> Reason;
               _ -> [string:replace(Reason, "; the chain was not checked (names only)", ""),
                     "; fast_tls verified the chain against ejabberd's CA file"]
           end,
    ?INFO_MSG("xmppdna: ~ts ~ts proven by ~ts: ~ts [~ts]",
              [Direction, RServer, Prooftype, Said, tags(Verdict, Prooftype)]),
    {accept, Prooftype};
decide([{dane, Verdict}] = Tried, Direction, RServer, true, _EjabberdAccepts) ->
    case outcome(Verdict, dane) of
        rejected ->
            log_refusal(Direction, RServer, " (DANE vetoes ejabberd's PKIX acceptance)", reasons(Tried));
        _ ->
            ?DEBUG("xmppdna: ~ts ~ts: no secure TLSA, ejabberd's PKIX acceptance stands [~ts]",
                   [Direction, RServer, tags(Verdict, dane)]),
            {accept, ejabberd}
    end;
decide(Tried, Direction, RServer, _VetoOnly, EjabberdAccepts) ->
    Overrides = case EjabberdAccepts of
                    true -> " (overrides ejabberd's PKIX acceptance)";
                    false -> ""
                end,
    log_refusal(Direction, RServer, Overrides, reasons(Tried)).

log_refusal(Direction, RServer, Overrides, Reasons) ->
    ?WARNING_MSG("xmppdna: ~ts ~ts not proven~ts: ~ts", [Direction, RServer, Overrides, Reasons]),
    {refuse, iolist_to_binary(["The certificate does not prove ", RServer, ": ", Reasons])}.

cannot_judge(Direction, RServer, Why) ->
    ?WARNING_MSG("xmppdna: cannot judge ~ts ~ts, refused: ~ts", [Direction, RServer, Why]),
    {refuse, iolist_to_binary(["Cannot judge the certificate of ", RServer])}.

reasons(Tried) ->
    lists:join("; ", [[atom_to_list(P), ": ", atom_to_list(outcome(V, P)), " (", reason(V, P),
                       ") [", tags(V, P), "]"] || {P, V} <- lists:reverse(Tried), is_map(V)]).

reason(Verdict, Prooftype) ->
    case maps:get(reason, attempt(Verdict, Prooftype), undefined) of
        Text when is_binary(Text) -> Text;
        undefined -> <<>>
    end.

attempt(#{attempts := Attempts}, Prooftype) ->
    case [A || #{prooftype := P} = A <- Attempts, P == Prooftype] of
        [A | _] -> A;
        [] -> #{}
    end.

outcome(Verdict, Prooftype) ->
    maps:get(outcome, attempt(Verdict, Prooftype), not_tried).

tags(#{findings := Findings}, Prooftype) ->
    lists:join(",", [tag(F) || #{prooftype := P} = F <- Findings, P == Prooftype]).

tag(#{tag := undefined, code := Code}) -> integer_to_list(Code);
tag(#{tag := Tag}) -> atom_to_list(Tag).

error_text(Why) when is_atom(Why) ->
    try xmppdna:strerror(Why) catch error:badarg -> atom_to_binary(Why) end;
error_text(_) ->
    <<>>.

opt(Host, Option) ->
    gen_mod:get_module_opt(Host, ?MODULE, Option).
