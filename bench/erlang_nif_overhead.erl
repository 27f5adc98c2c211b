%% The Erlang NIF's per-call overhead beside a trivial NIF in the same VM
%% (bench/run-erlang-nif.sh): microseconds per call, the median of N
%% samples of 100 calls.
-module(erlang_nif_overhead).
-export([main/1]).

%% N samples of 100 calls each; the median sample, per call.
median(F, N) ->
    Batch = fun() -> [F() || _ <- lists:seq(1, 100)] end,
    Times = lists:sort([begin {T, _} = timer:tc(Batch), T / 100 end || _ <- lists:seq(1, N)]),
    lists:nth(N div 2, Times).

main([Rounds]) ->
    N = list_to_integer(Rounds),
    {ok, Ctx} = xmppdna:new([]),
    Request = #{domain => <<"example.com">>, prooftypes => [pki], names_only => true, no_lookups => true,
                presented => [{dns, <<"example.com">>}]},
    {ok, Query} = xmppdna:verify(Ctx, [], Request),
    {ok, V} = xmppdna:await(Query, 5000),
    Rows = [{"trivial NIF (xmppdna_nif:noop/1, normal scheduler)", fun() -> xmppdna_nif:noop(a) end},
            {"xmppdna:finding_tag/1 (normal scheduler)", fun() -> xmppdna:finding_tag(206) end},
            {"xmppdna:verify/3 submit, names only (dirty CPU scheduler)",
             fun() -> {ok, Q} = xmppdna:verify(Ctx, [], Request), xmppdna:cancel(Ctx, Q) end},
            {"xmppdna:verify_sync/4, names only: submit, pump, answer, read", fun() -> xmppdna:verify_sync(Ctx, [], Request, 5000) end},
            {"xmppdna:verdict/1 of that verdict (dirty CPU scheduler)", fun() -> xmppdna:verdict(V) end}],
    io:format("| call | median us |~n|---|---:|~n"),
    [io:format("| ~s | ~.2f |~n", [Name, median(F, N)]) || {Name, F} <- Rows],
    xmppdna:close(Ctx).
