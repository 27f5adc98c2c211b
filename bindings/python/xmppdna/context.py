"""Context: the configured library, with blocking and asyncio calls."""
import asyncio
import ctypes
import ipaddress
import itertools
import os
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from ._lib import (NAMES_CALLBACK, VERDICT_CALLBACK, FindingStruct, Record, c_char_p, c_int, c_void_p, lib,
                   take_string, text)
from .errors import BadNameError, EncodingError, MisuseError, check
from .types import (AcceptableName, Attempt, CacheLimits, Candidate, ChainCheck, Evidence, Finding, FindingCode,
                    Limits, Match, NameList, Presented, Server, Verdict)

SERVICES = {"xmpp-client": 1, "xmpp-server": 2, "xmpps-client": 3, "xmpps-server": 4}
DIRECTIONS = {"outbound": 0, "inbound": 1}
# XMPPDNA_ID_*; "name" (0) is for references only: an IP literal becomes an
# IP reference, anything else a DNS-ID.
ID_TYPES = {"name": 0, "dns": 1, "srv": 2, "xmpp": 3, "uri": 4, "ip": 5, "cn": 6}
ID_NAMES = {code: name for name, code in ID_TYPES.items()}
STATUSES = {"bogus": 0, "indeterminate": 1, "insecure": 2, "secure": 3}
DNSSEC_NONE = 4
STATUS_NAMES = {code: name for name, code in STATUSES.items()}
KINDS = {0: "srv", 1: "no_srv", 2: "unavailable"}
TRUST_MODES = {"validate": 0, "trust-ad": 1}
TRUST_MODE_NAMES = {0: "validate", 1: "trust-ad", 2: "caller"}
PROOFTYPES = {"dane": 1, "pki": 2, "posh": 3, "dialback": 4}
PROOFTYPE_NAMES = {code: name for name, code in PROOFTYPES.items()}
OUTCOMES = {0: "rejected", 1: "not_tried", 2: "not_applicable", 3: "accepted"}
CHAIN_STATUSES = {0: "not_checked", 1: "valid", 2: "invalid"}
RECORD_TYPES = {"A": 1, "CNAME": 5, "AAAA": 28, "SRV": 33}
DIALBACK = {None: 0, "verified": 1, "failed": 2}
FLAG_CN_FALLBACK = 0x1
SERVER_TRUST_AD = 0x1
REQUEST_REFUSE_WEAK_DIALBACK, REQUEST_NO_LOOKUPS, REQUEST_NAMES_ONLY = 0x1, 0x2, 0x4
# The library's defaults (include/xmppdna.h, LIMITS), for the settings that
# are set together: xmppdna_ctx_set_dns_timeout and xmppdna_ctx_set_posh.
DNS_QUERY_MS, DNS_RETRIES, DNS_LOOKUP_DEADLINE_MS, POSH_TIMEOUT_MS = 2000, 1, 30000, 5000

Chain = Union[bytes, str, Sequence[bytes]]
Identifier = Tuple[str, Union[str, bytes]]


def _c(value: Optional[str], what: str) -> Optional[bytes]:
    """UTF-8 for a C string argument. A NUL inside would silently cut the
    string at the C boundary, so it is refused here."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise MisuseError("%s must be str, not %s" % (what, type(value).__name__), -1)
    if "\0" in value:
        raise EncodingError("%s: a NUL byte inside a string" % what, -4)
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise EncodingError("%s: not encodable as UTF-8 (%s)" % (what, error), -4) from None


def _tlsa(record):
    """(host, port, rdata, status) of a supplied TLSA record. The status is
    never assumed: a record that says nothing of its DNSSEC is refused."""
    if not isinstance(record, (tuple, list)) or len(record) not in (2, 4):
        raise MisuseError("a TLSA record is (rdata, status) or (host, port, rdata, status) with its DNSSEC status, "
                          "not %r" % (record,), -1)
    return (None, 0) + tuple(record) if len(record) == 2 else tuple(record)


def _pick(table, key, what):
    try:
        return table[key]
    except (KeyError, TypeError):
        raise MisuseError("%s must be one of %s, not %r" % (what, ", ".join(map(str, table)), key), -1) from None


def _status(code: int) -> Optional[str]:
    """An XMPPDNA_DNSSEC_* value as a string; None for NONE."""
    if code == DNSSEC_NONE:
        return None
    return STATUS_NAMES.get(code, "unknown(%d)" % code)


def _named(table, code: int) -> str:
    return table.get(code, "unknown(%d)" % code)


class _Owned:
    """A C handle freed exactly once, on close() or garbage collection."""

    def __init__(self, pointer, free):
        self.pointer, self._free = pointer, free

    def close(self):
        if self.pointer:
            self._free(self.pointer)
            self.pointer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


def _new(constructor, free, *args) -> _Owned:
    out = c_void_p()
    check(constructor(*args, ctypes.byref(out)), constructor.__name__)
    return _Owned(out.value, free)


class _NoChain:
    """No chain: the C call gets NULL (a peer without a certificate, or one
    whose identifiers the request carries)."""
    pointer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def _chain(chain: Optional[Chain]):
    """A parsed chain from PEM (bytes or str, leaf first), one DER
    certificate, or a sequence of DER certificates; None for no chain."""
    if chain is None:
        return _NoChain()
    handle = _new(lib.xmppdna_chain_new, lib.xmppdna_chain_free)
    if isinstance(chain, str):
        chain = chain.encode("ascii", errors="strict")
    if isinstance(chain, (bytes, bytearray)):
        data = bytes(chain)
        is_der = len(data) >= 2 and data[0] == 0x30 and 0x81 <= data[1] <= 0x84
        adder = lib.xmppdna_chain_add_der if is_der else lib.xmppdna_chain_add_pem
        check(adder(handle.pointer, data, len(data)), "the chain")
    else:
        for der in chain:
            check(lib.xmppdna_chain_add_der(handle.pointer, bytes(der), len(der)), "a DER certificate")
    return handle


def _identifier(identifier, what: str, presented: bool) -> Tuple[int, bytes]:
    """(XMPPDNA_ID_*, bytes) of a (type, value) pair. Presented values go to
    C exactly as given (bytes) or as UTF-8; a presented IP given as text is
    packed to its 4 or 16 octets, as a certificate carries it."""
    if not isinstance(identifier, (tuple, list)) or len(identifier) != 2:
        raise MisuseError("%s is (type, value), not %r" % (what, identifier), -1)
    kind, value = identifier
    code = _pick(ID_TYPES, kind, "%s type" % what)
    if isinstance(value, (bytes, bytearray)):
        return code, bytes(value)
    if not isinstance(value, str):
        raise MisuseError("%s value must be str or bytes, not %s" % (what, type(value).__name__), -1)
    if presented and kind == "ip":
        try:
            return code, ipaddress.ip_address(value).packed
        except ValueError:
            raise BadNameError("%s: %r is not an IP address" % (what, value), -3) from None
    try:
        return code, value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise EncodingError("%s: not encodable as UTF-8 (%s)" % (what, error), -4) from None


def _records(records) -> Tuple[ctypes.Array, int]:
    encoded = [Record(_c(owner, "owner"), _pick(RECORD_TYPES, kind, "record type"), _pick(STATUSES, status, "status"),
                      _c(data, "data")) for owner, kind, status, data in records]
    return (Record * max(1, len(encoded)))(*encoded), len(encoded)


def _name_list(pointer, domain: str, service: str) -> NameList:
    names, candidates = [], []
    id_type, status, port, tls = c_int(), c_int(), c_int(), c_int()
    value, source = c_char_p(), c_char_p()
    for i in range(lib.xmppdna_names_count(pointer)):
        check(lib.xmppdna_names_get(pointer, i, ctypes.byref(id_type), ctypes.byref(value), ctypes.byref(status),
                                    ctypes.byref(source)), "xmppdna_names_get")
        names.append(AcceptableName(_named(ID_NAMES, id_type.value), text(value.value), _status(status.value),
                                    text(source.value)))
    for i in range(lib.xmppdna_names_candidate_count(pointer)):
        check(lib.xmppdna_names_candidate_get(pointer, i, ctypes.byref(value), ctypes.byref(port), ctypes.byref(tls),
                                              ctypes.byref(status)), "xmppdna_names_candidate_get")
        candidates.append(Candidate(text(value.value), port.value, tls.value == 1, _status(status.value)))
    kind, trust, extended, reason = c_int(), c_int(), c_int(), c_char_p()
    check(lib.xmppdna_names_status(pointer, ctypes.byref(status), ctypes.byref(kind), ctypes.byref(trust),
                                   ctypes.byref(extended), ctypes.byref(reason)), "xmppdna_names_status")
    document = c_void_p()
    check(lib.xmppdna_names_json(pointer, ctypes.byref(document)), "xmppdna_names_json")
    return NameList(domain, service, _status(status.value), _named(KINDS, kind.value),
                    _named(TRUST_MODE_NAMES, trust.value), text(reason.value), extended.value, names, candidates,
                    take_string(document.value))


def _finding(raw: FindingStruct) -> Finding:
    try:
        code = FindingCode(raw.code)
        tag = code.tag
    except ValueError:  # a code newer than this binding: judge it by prooftype and outcome
        code, tag = raw.code, "unknown"
    return Finding(code=code, tag=tag, prooftype=_named(PROOFTYPE_NAMES, raw.prooftype),
                   outcome=_named(OUTCOMES, raw.outcome), dnssec=_status(raw.dnssec),
                   extended_error=raw.extended_error, openssl_code=raw.openssl_code, depth=raw.depth,
                   subject=text(raw.subject), expected=text(raw.expected), seen=text(raw.seen),
                   detail=text(raw.detail), text=text(raw.text))


def _verdict(pointer) -> Verdict:
    raw = FindingStruct()
    findings = []
    for i in range(lib.xmppdna_verdict_finding_count(pointer)):
        check(lib.xmppdna_verdict_finding_get(pointer, i, ctypes.byref(raw)), "xmppdna_verdict_finding_get")
        findings.append(_finding(raw))
    prooftype, outcome, reason = c_int(), c_int(), c_char_p()
    attempts = []
    for i in range(lib.xmppdna_verdict_attempt_count(pointer)):
        check(lib.xmppdna_verdict_attempt_get(pointer, i, ctypes.byref(prooftype), ctypes.byref(outcome),
                                              ctypes.byref(reason)), "xmppdna_verdict_attempt_get")
        name = _named(PROOFTYPE_NAMES, prooftype.value)
        attempts.append(Attempt(name, _named(OUTCOMES, outcome.value), text(reason.value),
                                [finding for finding in findings if finding.prooftype == name]))
    what, status = c_char_p(), c_int()
    evidence = []
    for i in range(lib.xmppdna_verdict_evidence_count(pointer)):
        check(lib.xmppdna_verdict_evidence_get(pointer, i, ctypes.byref(what), ctypes.byref(status)),
              "xmppdna_verdict_evidence_get")
        evidence.append(Evidence(text(what.value), _status(status.value)))
    chain_status, code, depth, chain_text = c_int(), c_int(), c_int(), c_char_p()
    check(lib.xmppdna_verdict_chain(pointer, ctypes.byref(chain_status), ctypes.byref(code), ctypes.byref(depth),
                                    ctypes.byref(chain_text)), "xmppdna_verdict_chain")
    document = c_void_p()
    check(lib.xmppdna_verdict_json(pointer, ctypes.byref(document)), "xmppdna_verdict_json")
    accepted = check(lib.xmppdna_verdict_accepted(pointer), "xmppdna_verdict_accepted") == 1
    accepted_by = check(lib.xmppdna_verdict_prooftype(pointer), "xmppdna_verdict_prooftype")
    return Verdict(accepted=accepted, prooftype=PROOFTYPE_NAMES.get(accepted_by) if accepted_by else None,
                   summary=text(lib.xmppdna_verdict_summary(pointer)), attempts=attempts, findings=findings,
                   chain=ChainCheck(_named(CHAIN_STATUSES, chain_status.value), code.value, depth.value,
                                    text(chain_text.value)),
                   matches=_matches(pointer), presented=_presented(pointer), evidence=evidence,
                   json=take_string(document.value))


def _matches(verdict) -> List[Match]:
    ref_type, presented_type = c_int(), c_int()
    ref, presented = c_char_p(), c_char_p()
    found = []
    for i in range(lib.xmppdna_verdict_match_count(verdict)):
        check(lib.xmppdna_verdict_match_get(verdict, i, ctypes.byref(ref_type), ctypes.byref(ref),
                                            ctypes.byref(presented_type), ctypes.byref(presented)),
              "xmppdna_verdict_match_get")
        found.append(Match((_named(ID_NAMES, ref_type.value), text(ref.value)),
                           (_named(ID_NAMES, presented_type.value), text(presented.value))))
    return found


def _presented(verdict) -> List[Presented]:
    id_type, usable = c_int(), c_int()
    value, problem = c_char_p(), c_char_p()
    found = []
    for i in range(lib.xmppdna_verdict_presented_count(verdict)):
        check(lib.xmppdna_verdict_presented_get(verdict, i, ctypes.byref(id_type), ctypes.byref(value),
                                                ctypes.byref(usable), ctypes.byref(problem)),
              "xmppdna_verdict_presented_get")
        found.append(Presented(_named(ID_NAMES, id_type.value), text(value.value), usable.value == 1,
                               text(problem.value)))
    return found


# Async plumbing: one C callback per kind for the whole process; userdata
# carries a token that maps back to the future it resolves.
_tokens = itertools.count(1)
_waiting = {}


def _finish(token, rc, handle, free, convert):
    future, context, args = _waiting.pop(token, (None, None, None))
    try:
        if future is None or future.done():
            return
        if rc < 0:
            try:
                check(rc, "async query")
            except Exception as error:  # noqa: BLE001 - handed to the awaiting task
                future.set_exception(error)
        else:
            future.set_result(convert(handle, *args))
    finally:
        if handle:
            free(handle)
        if context is not None:
            context._settle()


@NAMES_CALLBACK
def _on_names(userdata, rc, handle):
    _finish(userdata, rc, handle, lib.xmppdna_names_free, _name_list)


@VERDICT_CALLBACK
def _on_verdict(userdata, rc, handle):
    _finish(userdata, rc, handle, lib.xmppdna_verdict_free, _verdict)


class Context:
    """A configured libxmppdna context. Thread-safe for blocking calls; the
    async calls belong to the asyncio loop that first uses them.

    servers: "ADDR[@PORT]" strings or Server(address, trust_ad=True); the
    library never reads /etc/resolv.conf. dns_timeout_ms (per query),
    dns_retries and dns_lookup_deadline_ms (a whole lookup with its chain
    of trust) are set together; the ones not given keep the library's
    defaults (2000, 1, 30000). cache_ttl is (min, max) seconds."""

    def __init__(self, ca_file: Optional[str] = None, ca_dir: Optional[str] = None, time: Optional[int] = None,
                 servers: Iterable[Union[str, Server]] = (), trust_mode: str = "validate",
                 anchor_file: Optional[str] = None, dns_timeout_ms: Optional[int] = None,
                 dns_retries: Optional[int] = None, dns_lookup_deadline_ms: Optional[int] = None,
                 cache_ttl: Optional[Tuple[int, int]] = None, posh_url_base: Optional[str] = None,
                 posh_timeout_ms: Optional[int] = None, limits: Optional[Limits] = None,
                 cache_limits: Optional[CacheLimits] = None, cn_fallback: bool = False):
        self._handle = _new(lib.xmppdna_ctx_new, lib.xmppdna_ctx_free)
        self._loop = None
        self._reading = False
        self._outstanding = {}
        ctx = self._handle.pointer
        if ca_file is not None or ca_dir is not None:
            file_c = None if ca_file is None else _c(os.fspath(ca_file), "ca_file")
            dir_c = None if ca_dir is None else _c(os.fspath(ca_dir), "ca_dir")
            check(lib.xmppdna_ctx_set_ca(ctx, file_c, dir_c), "trust store %s" % (ca_file or ca_dir))
        if time is not None:
            check(lib.xmppdna_ctx_set_time(ctx, int(time)), "time")
        check(lib.xmppdna_ctx_set_flags(ctx, FLAG_CN_FALLBACK if cn_fallback else 0), "flags")
        for server in servers:
            if not isinstance(server, Server):
                server = Server(server)
            check(lib.xmppdna_ctx_add_server(ctx, _c(server.address, "server"),
                                             SERVER_TRUST_AD if server.trust_ad else 0), "server %s" % server.address)
        check(lib.xmppdna_ctx_set_trust_mode(ctx, _pick(TRUST_MODES, trust_mode, "trust_mode")), "trust_mode")
        if anchor_file is not None:
            check(lib.xmppdna_ctx_set_anchor_file(ctx, _c(os.fspath(anchor_file), "anchor_file")), "anchor_file")
        if (dns_timeout_ms, dns_retries, dns_lookup_deadline_ms) != (None, None, None):
            check(lib.xmppdna_ctx_set_dns_timeout(
                ctx, DNS_QUERY_MS if dns_timeout_ms is None else dns_timeout_ms,
                DNS_RETRIES if dns_retries is None else dns_retries,
                DNS_LOOKUP_DEADLINE_MS if dns_lookup_deadline_ms is None else dns_lookup_deadline_ms), "DNS timeouts")
        if cache_ttl is not None:
            check(lib.xmppdna_ctx_set_cache_ttl(ctx, *cache_ttl), "cache_ttl")
        if posh_url_base is not None or posh_timeout_ms is not None:
            check(lib.xmppdna_ctx_set_posh(ctx, _c(posh_url_base, "posh_url_base"),
                                           POSH_TIMEOUT_MS if posh_timeout_ms is None else posh_timeout_ms),
                  "POSH settings")
        if limits is not None:
            check(lib.xmppdna_ctx_set_limits(ctx, limits.dns_in_flight, limits.dns_per_zone, limits.posh_in_flight,
                                             limits.posh_per_zone), "limits")
        if cache_limits is not None:
            check(lib.xmppdna_ctx_set_cache_limits(ctx, cache_limits.dns_entries, cache_limits.posh_documents,
                                                   cache_limits.verified_chains), "cache_limits")

    # -- lifetime

    @property
    def _pointer(self):
        if not self._handle.pointer:
            raise MisuseError("the context is closed", -1)
        return self._handle.pointer

    def close(self):
        """Cancels pending async queries and frees the context."""
        if self._reading and self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(lib.xmppdna_fd(self._handle.pointer))
        self._reading = False
        for token, future in list(self._outstanding.items()):
            _waiting.pop(token, None)
            if not future.done():
                future.cancel()
        self._outstanding.clear()
        self._handle.close()

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self):
        if getattr(self, "_handle", None) is not None:
            try:
                self.close()
            except Exception:  # noqa: BLE001 - interpreter shutdown: the loop may be gone
                pass

    def flush_cache(self):
        """Empties the DNS and POSH caches."""
        check(lib.xmppdna_ctx_flush_cache(self._pointer), "xmppdna_ctx_flush_cache")

    # -- blocking calls

    def names(self, domain: str, service: str = "xmpp-server") -> NameList:
        """The DNSSEC name list of domain, looked up with the context's servers."""
        with _new(lib.xmppdna_names_lookup, lib.xmppdna_names_free, self._pointer, _c(domain, "domain"),
                  _pick(SERVICES, service, "service")) as handle:
            return _name_list(handle.pointer, domain, service)

    @staticmethod
    def names_from_records(domain: str, records: Sequence[Tuple[str, str, str, Optional[str]]],
                           service: str = "xmpp-server") -> NameList:
        """The name list from records you resolved: (owner, type, status, data)."""
        array, count = _records(records)
        with _new(lib.xmppdna_names_build, lib.xmppdna_names_free, _c(domain, "domain"),
                  _pick(SERVICES, service, "service"), array, count) as handle:
            return _name_list(handle.pointer, domain, service)

    def verify(self, chain: Optional[Chain], domain: str, service: str = "xmpp-server",
               names: Iterable[Union[str, Identifier]] = (), direction: str = "outbound",
               prooftypes: Optional[Sequence[str]] = None, endpoint: Optional[Tuple[str, int]] = None,
               tlsa: Iterable[Sequence] = (), posh: Optional[Union[bytes, str]] = None,
               dialback: Optional[str] = None, refuse_weak_dialback: bool = False,
               presented: Iterable[Identifier] = (), records: Optional[Sequence[Tuple]] = None,
               no_lookups: bool = False, names_only: bool = False) -> Verdict:
        """The RFC 7712 verdict: may this chain speak for domain?

        chain: PEM, DER or a list of DER certificates, leaf first; None for
        a peer without a certificate or with `presented` identifiers.
        names: extra acceptable names, "host" (DNS-ID, or IP for an IP
        literal) or typed (type, value) with type dns, srv, xmpp, uri, ip.
        tlsa: (rdata, status) for every location or (host, port, rdata,
        status), rdata "U S M HEX" and status always given. posh: a POSH
        document to use instead of fetching one. presented: the leaf's
        identifiers as (type, value) when you parsed the certificate
        yourself (value as the certificate carries it; bytes or str).
        records: the domain's records from your own resolver, (owner, type,
        status, data), for the name list instead of looking it up.
        no_lookups: use only what the request carries. names_only: PKI by
        names alone, the chain not verified (prooftypes must be ["pki"])."""
        with self._request(domain, service, names, direction, prooftypes, endpoint, tlsa, posh, dialback,
                           refuse_weak_dialback, presented, records, no_lookups, names_only) as request, \
                _chain(chain) as parsed:
            with _new(lib.xmppdna_verify, lib.xmppdna_verdict_free, self._pointer, parsed.pointer,
                      request.pointer) as verdict:
                return _verdict(verdict.pointer)

    def _request(self, domain, service, names, direction, prooftypes, endpoint, tlsa, posh, dialback, refuse_weak,
                 presented, records, no_lookups, names_only):
        service_c = _pick(SERVICES, service, "service")
        request = _new(lib.xmppdna_request_new, lib.xmppdna_request_free, _c(domain, "domain"), service_c,
                       _pick(DIRECTIONS, direction, "direction"))
        try:
            pointer = request.pointer
            for name in names:
                kind, value = _identifier(("name", name) if isinstance(name, str) else name, "name", presented=False)
                check(lib.xmppdna_request_add_ref(pointer, kind, value, len(value)), "name %r" % (name,))
            for identifier in presented:
                kind, value = _identifier(identifier, "presented identifier", presented=True)
                check(lib.xmppdna_request_add_presented(pointer, kind, value, len(value)),
                      "presented identifier %r" % (identifier,))
            if prooftypes is not None:
                codes = [_pick(PROOFTYPES, p, "prooftype") for p in prooftypes]
                check(lib.xmppdna_request_set_prooftypes(pointer, (c_int * max(1, len(codes)))(*codes), len(codes)),
                      "prooftypes")
            if endpoint is not None:
                check(lib.xmppdna_request_set_endpoint(pointer, _c(endpoint[0], "endpoint"), int(endpoint[1])),
                      "endpoint")
            for record in tlsa:
                host, port, rdata, status = _tlsa(record)
                check(lib.xmppdna_request_add_tlsa(pointer, _c(host, "tlsa host"), port, _c(rdata, "tlsa"),
                                                   _pick(STATUSES, status, "tlsa status")), "tlsa %s" % rdata)
            if posh is not None:
                document = posh.encode("utf-8") if isinstance(posh, str) else bytes(posh)
                check(lib.xmppdna_request_set_posh(pointer, document, len(document)), "posh")
            if records is not None:
                array, count = _records(records)
                with _new(lib.xmppdna_names_build, lib.xmppdna_names_free, _c(domain, "domain"), service_c, array,
                          count) as built:
                    check(lib.xmppdna_request_set_names(pointer, built.pointer), "records")
            check(lib.xmppdna_request_set_dialback(pointer, _pick(DIALBACK, dialback, "dialback")), "dialback")
            flags = ((REQUEST_REFUSE_WEAK_DIALBACK if refuse_weak else 0) | (REQUEST_NO_LOOKUPS if no_lookups else 0)
                     | (REQUEST_NAMES_ONLY if names_only else 0))
            check(lib.xmppdna_request_set_flags(pointer, flags), "request flags")
        except BaseException:
            request.close()
            raise
        return request

    # -- asyncio

    def fileno(self) -> int:
        """The fd that is readable while async results wait (xmppdna_fd)."""
        return check(lib.xmppdna_fd(self._pointer), "xmppdna_fd")

    def process(self) -> int:
        """Runs the callbacks of finished queries; the loop calls this."""
        return check(lib.xmppdna_process(self._pointer), "xmppdna_process")

    async def names_async(self, domain: str, service: str = "xmpp-server") -> NameList:
        """names() without blocking the event loop."""
        domain_c, service_c = _c(domain, "domain"), _pick(SERVICES, service, "service")
        return await self._submit(lambda token, query_id: lib.xmppdna_names_lookup_async(
            self._pointer, domain_c, service_c, _on_names, c_void_p(token), query_id), (domain, service))

    async def verify_async(self, chain: Optional[Chain], domain: str, service: str = "xmpp-server",
                           **options) -> Verdict:
        """verify() without blocking the event loop; the same options."""
        known = ("names", "direction", "prooftypes", "endpoint", "tlsa", "posh", "dialback", "refuse_weak_dialback",
                 "presented", "records", "no_lookups", "names_only")
        unknown = [name for name in options if name not in known]
        if unknown:
            raise MisuseError("unknown options: %s" % ", ".join(unknown), -1)
        with self._request(domain, service, options.get("names", ()), options.get("direction", "outbound"),
                           options.get("prooftypes"), options.get("endpoint"), options.get("tlsa", ()),
                           options.get("posh"), options.get("dialback"), options.get("refuse_weak_dialback", False),
                           options.get("presented", ()), options.get("records"), options.get("no_lookups", False),
                           options.get("names_only", False)) as request, _chain(chain) as parsed:
            # The library copies both at submit, so they may be freed at once.
            submitted = self._submit(lambda token, query_id: lib.xmppdna_verify_async(
                self._pointer, parsed.pointer, request.pointer, _on_verdict, c_void_p(token), query_id), ())
        return await submitted

    def _submit(self, call, args):
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise MisuseError("a Context serves one asyncio loop", -1)
        future = loop.create_future()
        token = next(_tokens)
        query_id = c_int()
        _waiting[token] = (future, self, args)
        try:
            check(call(token, ctypes.byref(query_id)), "submit")
        except Exception:
            _waiting.pop(token, None)
            raise
        self._outstanding[token] = future
        future.add_done_callback(lambda done: self._cancelled(done, token, query_id.value))
        if not self._reading:
            loop.add_reader(self.fileno(), self.process)
            self._reading = True
        return future

    def _cancelled(self, future, token, query_id):
        self._outstanding.pop(token, None)
        if future.cancelled() and self._handle.pointer:
            if _waiting.pop(token, None) is not None:
                lib.xmppdna_cancel(self._handle.pointer, query_id)
            self._settle()

    def _settle(self):
        """Stops watching the fd once nothing is outstanding."""
        if self._reading and not self._outstanding and self._loop is not None:
            self._loop.remove_reader(lib.xmppdna_fd(self._handle.pointer))
            self._reading = False


# match() asks its question for a placeholder domain that no certificate
# names (.invalid, RFC 6761) and gives the reference as the request's one
# extra name; an acceptance must come from that reference.
_MATCH_DOMAIN = "reference-only.invalid"
_MATCH_DOMAIN_REFS = {("dns", _MATCH_DOMAIN), ("srv", "_xmpp-server." + _MATCH_DOMAIN), ("xmpp", _MATCH_DOMAIN)}


def match(reference: Identifier, presented: Iterable[Identifier] = (), cert: Optional[Chain] = None,
          cn_fallback: bool = False) -> bool:
    """RFC 9525 matching alone: does a presented identifier (or the leaf of
    cert) match the reference? Types: dns, srv, xmpp, uri, ip (text, or 4/16
    octets as bytes), cn. Raises for a reference that is not valid.

    It is Context.verify() with prooftypes ["pki"], names_only and
    no_lookups: no chain check, no DNS."""
    with Context(cn_fallback=cn_fallback) as context:
        verdict = context.verify(cert, _MATCH_DOMAIN, names=[reference],
                                 presented=() if cert is not None else presented, prooftypes=["pki"],
                                 names_only=True, no_lookups=True)
    return verdict.accepted and any(m.reference not in _MATCH_DOMAIN_REFS for m in verdict.matches)
