"""The async API bridged to asyncio: many concurrent queries on one loop,
cancellation, and closing with queries pending."""
import asyncio

import xmppdna


def test_hundreds_of_concurrent_queries_on_one_loop(pki, world):
    server, anchor = world
    host1 = (pki / "host1-chain.pem").read_bytes()

    async def run():
        with xmppdna.Context(ca_file=str(pki / "root.pem"), servers=[server], anchor_file=anchor) as ctx:
            names = [ctx.names_async(domain) for domain in ["example.com", "insecure.example", "bogus.example"] * 100]
            verdicts = [ctx.verify_async(host1, domain) for domain in ["example.com", "insecure.example"] * 50]
            results = await asyncio.gather(*names, *verdicts)
            # The loop stayed free: a timer fires while queries are pending.
            ticks = []
            timer = asyncio.get_running_loop().call_later(0, ticks.append, 1)
            await asyncio.gather(ctx.names_async("example.com"), asyncio.sleep(0.01))
            timer.cancel()
            return results, ticks

    results, ticks = asyncio.run(run())
    statuses = [r.status for r in results[:300]]
    assert statuses == ["secure", "insecure", "bogus"] * 100
    accepted = [r.accepted for r in results[300:]]
    assert accepted == [True, False] * 50
    assert ticks == [1]


def test_async_verdicts_carry_the_same_findings(pki, world):
    server, anchor = world
    full, host1 = (pki / "full-chain.pem").read_bytes(), (pki / "host1-chain.pem").read_bytes()

    async def run():
        with xmppdna.Context(ca_file=str(pki / "root.pem"), servers=[server], anchor_file=anchor) as ctx:
            return await asyncio.gather(
                ctx.verify_async(full, "example.com", endpoint=("host1.example.net", 5269)),
                ctx.verify_async(host1, "example.com", prooftypes=["pki"]),
                ctx.verify_async(None, "example.com", presented=[("dns", "example.com")], prooftypes=["pki"],
                                 names_only=True, no_lookups=True))

    mismatch, pki_only, names_only = asyncio.run(run())
    assert not mismatch.accepted and mismatch.find(xmppdna.FindingCode.TLSA_MISMATCH).dnssec == "secure"
    assert pki_only.accepted and pki_only.codes[0] == xmppdna.FindingCode.PKI_NAME_MATCHED
    assert names_only.accepted and names_only.chain.status == "not_checked"


def test_cancelled_tasks_never_resolve_and_close_drops_pending(pki, world):
    server, anchor = world

    async def run():
        ctx = xmppdna.Context(servers=[server], anchor_file=anchor)
        tasks = [asyncio.ensure_future(ctx.names_async("example.com")) for _ in range(50)]
        await asyncio.sleep(0)
        for task in tasks[::2]:
            task.cancel()
        done = await asyncio.gather(*tasks, return_exceptions=True)
        cancelled = sum(isinstance(r, asyncio.CancelledError) for r in done)
        lists = sum(isinstance(r, xmppdna.NameList) for r in done)
        pending = asyncio.ensure_future(ctx.names_async("insecure.example"))
        await asyncio.sleep(0)
        ctx.close()
        await asyncio.gather(pending, return_exceptions=True)
        return cancelled, lists, pending.cancelled()

    cancelled, lists, pending_cancelled = asyncio.run(run())
    assert cancelled == 25 and lists == 25 and pending_cancelled


def test_errors_surface_in_the_awaiting_task(pki):
    async def run():
        with xmppdna.Context() as ctx:
            try:
                await ctx.names_async("example.com")
            except xmppdna.NoServerError:
                pass
            else:
                return "no error"
            try:
                # NAMES_ONLY with prooftypes other than {PKI}: refused at submit.
                await ctx.verify_async(None, "example.com", names_only=True)
            except xmppdna.InvalidArgumentError:
                return "refused"
    assert asyncio.run(run()) == "refused"
