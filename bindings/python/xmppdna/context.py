"""Context: the configured library, with blocking and asyncio calls."""
import asyncio
import ctypes
import itertools
import os
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from ._lib import DNA_CALLBACK, NAMES_CALLBACK, Record, c_char_p, c_int, c_void_p, lib, take_string, text
from .errors import EncodingError, MisuseError, check
from .types import AcceptableName, Attempt, Candidate, Evidence, Match, NameList, Verdict

SERVICES = {"xmpp-client": 1, "xmpp-server": 2, "xmpps-client": 3, "xmpps-server": 4}
DIRECTIONS = {"outbound": 0, "inbound": 1}
ID_TYPES = {"dns": 1, "srv": 2, "xmpp": 3, "uri": 4, "ip": 5, "cn": 6}
ID_NAMES = {code: name for name, code in ID_TYPES.items()}
STATUSES = {"bogus": 0, "indeterminate": 1, "insecure": 2, "secure": 3}
STATUS_NAMES = {code: name for name, code in STATUSES.items()}
KINDS = {0: "srv", 1: "no_srv", 2: "unavailable"}
PROOFTYPES = {"dane": 1, "pki": 2, "posh": 3, "dialback": 4}
PROOFTYPE_NAMES = {code: name for name, code in PROOFTYPES.items()}
OUTCOMES = {0: "rejected", 1: "not_tried", 2: "not_applicable", 3: "accepted"}
CHAIN_STATUSES = {0: "not_checked", 1: "valid", 2: "invalid"}
RECORD_TYPES = {"A": 1, "CNAME": 5, "AAAA": 28, "SRV": 33}
FLAG_CN_FALLBACK, FLAG_NO_PKIX, DNA_REFUSE_WEAK_DIALBACK = 0x1, 0x2, 0x1
DIALBACK = {None: 0, "verified": 1, "failed": 2}

Chain = Union[bytes, str, Sequence[bytes]]


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


def _chain(chain: Chain) -> _Owned:
    """A parsed chain from PEM (bytes or str, leaf first), one DER
    certificate, or a sequence of DER certificates."""
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


def _name_list(pointer, domain: str, service: str) -> NameList:
    names, candidates = [], []
    id_type, status, port, tls = c_int(), c_int(), c_int(), c_int()
    value, source = c_char_p(), c_char_p()
    for i in range(lib.xmppdna_names_count(pointer)):
        check(lib.xmppdna_names_get(pointer, i, ctypes.byref(id_type), ctypes.byref(value), ctypes.byref(status),
                                    ctypes.byref(source)), "xmppdna_names_get")
        names.append(AcceptableName(ID_NAMES[id_type.value], text(value.value), STATUS_NAMES.get(status.value),
                                    text(source.value)))
    for i in range(lib.xmppdna_names_candidate_count(pointer)):
        check(lib.xmppdna_names_candidate(pointer, i, ctypes.byref(value), ctypes.byref(port), ctypes.byref(tls),
                                          ctypes.byref(status)), "xmppdna_names_candidate")
        candidates.append(Candidate(text(value.value), port.value, tls.value == 1, STATUS_NAMES[status.value]))
    extended = c_int()
    reason = text(lib.xmppdna_names_reason(pointer, ctypes.byref(extended)))
    document = c_void_p()
    check(lib.xmppdna_names_json(pointer, ctypes.byref(document)), "xmppdna_names_json")
    return NameList(domain, service, STATUS_NAMES[lib.xmppdna_names_status(pointer)],
                    KINDS[lib.xmppdna_names_kind(pointer)], reason, extended.value, names, candidates,
                    take_string(document.value))


def _verdict(pointer) -> Verdict:
    prooftype, outcome = c_int(), c_int()
    reason, what = c_char_p(), c_char_p()
    attempts = []
    for i in range(lib.xmppdna_dna_attempt_count(pointer)):
        check(lib.xmppdna_dna_attempt(pointer, i, ctypes.byref(prooftype), ctypes.byref(outcome),
                                      ctypes.byref(reason)), "xmppdna_dna_attempt")
        attempts.append(Attempt(PROOFTYPE_NAMES[prooftype.value], OUTCOMES[outcome.value], text(reason.value)))
    evidence = []
    status = c_int()
    for i in range(lib.xmppdna_dna_evidence_count(pointer)):
        check(lib.xmppdna_dna_evidence(pointer, i, ctypes.byref(what), ctypes.byref(status)), "xmppdna_dna_evidence")
        evidence.append(Evidence(text(what.value), STATUS_NAMES.get(status.value)))
    pki = lib.xmppdna_dna_pki(pointer)
    matches, reasons = _matches(pki), _reasons(pki)
    code, depth, chain_text = c_int(), c_int(), c_char_p()
    lib.xmppdna_verdict_chain_error(pki, ctypes.byref(code), ctypes.byref(depth), ctypes.byref(chain_text))
    strength = {1: "strong", 2: "weak"}.get(lib.xmppdna_dna_dialback_strength(pointer))
    document = c_void_p()
    check(lib.xmppdna_dna_json(pointer, ctypes.byref(document)), "xmppdna_dna_json")
    return Verdict(accepted=lib.xmppdna_dna_accepted(pointer) == 1,
                   prooftype=PROOFTYPE_NAMES.get(lib.xmppdna_dna_prooftype(pointer)),
                   summary=text(lib.xmppdna_dna_summary(pointer)), attempts=attempts, matches=matches,
                   chain_status=CHAIN_STATUSES[lib.xmppdna_verdict_chain_status(pki)],
                   chain_error=text(chain_text.value), reasons=reasons, dialback_strength=strength,
                   evidence=evidence, json=take_string(document.value))


def _matches(verdict) -> List[Match]:
    ref_type, presented_type = c_int(), c_int()
    ref, presented = c_char_p(), c_char_p()
    found = []
    for i in range(lib.xmppdna_verdict_match_count(verdict)):
        check(lib.xmppdna_verdict_match(verdict, i, ctypes.byref(ref_type), ctypes.byref(ref),
                                        ctypes.byref(presented_type), ctypes.byref(presented)), "xmppdna_verdict_match")
        found.append(Match((ID_NAMES[ref_type.value], text(ref.value)),
                           (ID_NAMES[presented_type.value], text(presented.value))))
    return found


def _reasons(verdict) -> List[str]:
    return [text(lib.xmppdna_verdict_reason(verdict, i)) for i in range(lib.xmppdna_verdict_reason_count(verdict))]


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


@DNA_CALLBACK
def _on_dna(userdata, rc, handle):
    _finish(userdata, rc, handle, lib.xmppdna_dna_free, lambda pointer: _verdict(pointer))


class Context:
    """A configured libxmppdna context. Thread-safe for blocking calls; the
    async calls belong to the asyncio loop that first uses them."""

    def __init__(self, ca_file: Optional[str] = None, ca_dir: Optional[str] = None, time: Optional[int] = None,
                 servers: Iterable[str] = (), trust_mode: str = "validate", trusted_resolvers: Iterable[str] = (),
                 anchor_file: Optional[str] = None, dns_timeout_ms: Optional[int] = None, dns_retries: int = 1,
                 posh_url_base: Optional[str] = None, posh_timeout_ms: int = 5000, threads: Optional[int] = None,
                 cn_fallback: bool = False, no_pkix: bool = False):
        self._handle = _new(lib.xmppdna_ctx_new, lib.xmppdna_ctx_free)
        self._loop = None
        self._reading = False
        self._outstanding = {}
        ctx = self._handle.pointer
        if ca_file is not None:
            check(lib.xmppdna_ctx_set_ca_file(ctx, _c(os.fspath(ca_file), "ca_file")), "ca_file %s" % ca_file)
        if ca_dir is not None:
            check(lib.xmppdna_ctx_set_ca_dir(ctx, _c(os.fspath(ca_dir), "ca_dir")), "ca_dir %s" % ca_dir)
        if time is not None:
            check(lib.xmppdna_ctx_set_time(ctx, int(time)), "time")
        check(lib.xmppdna_ctx_set_flags(ctx, (FLAG_CN_FALLBACK if cn_fallback else 0) | (FLAG_NO_PKIX if no_pkix else 0)),
              "flags")
        for server in servers:
            check(lib.xmppdna_ctx_add_server(ctx, _c(server, "server")), "server %s" % server)
        check(lib.xmppdna_ctx_set_trust_mode(ctx, _pick({"validate": 0, "trust-ad": 1}, trust_mode, "trust_mode")),
              "trust_mode")
        for server in trusted_resolvers:
            check(lib.xmppdna_ctx_add_trusted_resolver(ctx, _c(server, "trusted resolver")), "trusted resolver")
        if anchor_file is not None:
            check(lib.xmppdna_ctx_set_anchor_file(ctx, _c(os.fspath(anchor_file), "anchor_file")), "anchor_file")
        if dns_timeout_ms is not None:
            check(lib.xmppdna_ctx_set_dns_timeout(ctx, dns_timeout_ms, dns_retries), "dns_timeout_ms")
        if posh_url_base is not None or posh_timeout_ms != 5000:
            check(lib.xmppdna_ctx_set_posh(ctx, _c(posh_url_base, "posh_url_base"), posh_timeout_ms), "posh settings")
        if threads is not None:
            check(lib.xmppdna_ctx_set_threads(ctx, threads), "threads")

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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_handle", None) is not None:
            try:
                self.close()
            except Exception:  # noqa: BLE001 - interpreter shutdown: the loop may be gone
                pass

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
        encoded = [Record(_c(owner, "owner"), _pick(RECORD_TYPES, kind, "record type"), _pick(STATUSES, status, "status"),
                          _c(data, "data")) for owner, kind, status, data in records]
        array = (Record * max(1, len(encoded)))(*encoded)
        with _new(lib.xmppdna_names_build, lib.xmppdna_names_free, _c(domain, "domain"),
                  _pick(SERVICES, service, "service"), array, len(encoded)) as handle:
            return _name_list(handle.pointer, domain, service)

    def verify(self, chain: Chain, domain: str, service: str = "xmpp-server", names: Iterable[str] = (),
               direction: str = "outbound", prooftypes: Optional[Sequence[str]] = None,
               endpoint: Optional[Tuple[str, int]] = None, tlsa: Iterable[Sequence] = (),
               posh: Optional[bytes] = None, dialback: Optional[str] = None,
               refuse_weak_dialback: bool = False) -> Verdict:
        """The RFC 7712 verdict: may this chain speak for domain?

        names: extra acceptable names; tlsa: (rdata, status) for every
        location or (host, port, rdata, status), rdata "U S M HEX" and status
        one of STATUSES, always given; posh: a POSH document to use instead
        of fetching one."""
        with self._request(domain, service, names, direction, prooftypes, endpoint, tlsa, posh, dialback,
                           refuse_weak_dialback) as request, _chain(chain) as parsed:
            with _new(lib.xmppdna_verify_dna, lib.xmppdna_dna_free, self._pointer, parsed.pointer,
                      request.pointer) as verdict:
                return _verdict(verdict.pointer)

    def _request(self, domain, service, names, direction, prooftypes, endpoint, tlsa, posh, dialback, refuse_weak):
        request = _new(lib.xmppdna_dna_request_new, lib.xmppdna_dna_request_free, _c(domain, "domain"),
                       _pick(SERVICES, service, "service"), _pick(DIRECTIONS, direction, "direction"))
        pointer = request.pointer
        for name in names:
            check(lib.xmppdna_dna_request_add_name(pointer, _c(name, "name")), "name %s" % name)
        if prooftypes is not None:
            codes = [_pick(PROOFTYPES, p, "prooftype") for p in prooftypes]
            check(lib.xmppdna_dna_request_set_prooftypes(pointer, (c_int * max(1, len(codes)))(*codes), len(codes)),
                  "prooftypes")
        if endpoint is not None:
            check(lib.xmppdna_dna_request_set_endpoint(pointer, _c(endpoint[0], "endpoint"), int(endpoint[1])),
                  "endpoint")
        for record in tlsa:
            host, port, rdata, status = _tlsa(record)
            check(lib.xmppdna_dna_request_add_tlsa(pointer, _c(host, "tlsa host"), port, _c(rdata, "tlsa"),
                                                   _pick(STATUSES, status, "tlsa status")), "tlsa %s" % rdata)
        if posh is not None:
            document = posh.encode("utf-8") if isinstance(posh, str) else bytes(posh)
            check(lib.xmppdna_dna_request_set_posh(pointer, document, len(document)), "posh")
        check(lib.xmppdna_dna_request_set_dialback(pointer, _pick(DIALBACK, dialback, "dialback")), "dialback")
        check(lib.xmppdna_dna_request_set_flags(pointer, DNA_REFUSE_WEAK_DIALBACK if refuse_weak else 0), "flags")
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

    async def verify_async(self, chain: Chain, domain: str, service: str = "xmpp-server", **options) -> Verdict:
        """verify() without blocking the event loop; the same options."""
        with self._request(domain, service, options.pop("names", ()), options.pop("direction", "outbound"),
                           options.pop("prooftypes", None), options.pop("endpoint", None), options.pop("tlsa", ()),
                           options.pop("posh", None), options.pop("dialback", None),
                           options.pop("refuse_weak_dialback", False)) as request, _chain(chain) as parsed:
            if options:
                raise MisuseError("unknown options: %s" % ", ".join(options), -1)
            # The library copies both at submit, so they may be freed at once.
            submitted = self._submit(lambda token, query_id: lib.xmppdna_verify_dna_async(
                self._pointer, parsed.pointer, request.pointer, _on_dna, c_void_p(token), query_id), ())
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


def match(reference: Tuple[str, Union[str, bytes]], presented: Iterable[Tuple[str, Union[str, bytes]]] = (),
          cert: Optional[Chain] = None, cn_fallback: bool = False) -> bool:
    """RFC 9525 matching alone: does a presented identifier (or the leaf of
    cert) match the reference? Types: dns, srv, xmpp, uri, ip (text, or 4/16
    octets as bytes), cn. Raises for a reference that is not valid."""
    with Context(cn_fallback=cn_fallback) as context, \
            _new(lib.xmppdna_refs_new_empty, lib.xmppdna_refs_free) as refs:
        kind, value = reference
        data = value if isinstance(value, bytes) else value.encode("utf-8")
        check(lib.xmppdna_refs_add(refs.pointer, _pick(ID_TYPES, kind, "reference type"), data, len(data)), "reference")
        if cert is not None:
            with _chain(cert) as parsed:
                ids = c_void_p()
                check(lib.xmppdna_chain_idset(parsed.pointer, ctypes.byref(ids)), "identifiers")
                identifiers = _Owned(ids.value, lib.xmppdna_idset_free)
        else:
            identifiers = _new(lib.xmppdna_idset_new, lib.xmppdna_idset_free)
            for kind, value in presented:
                data = value if isinstance(value, bytes) else value.encode("utf-8")
                check(lib.xmppdna_idset_add(identifiers.pointer, _pick(ID_TYPES, kind, "identifier type"), data,
                                            len(data)), "presented identifier")
        with identifiers, _new(lib.xmppdna_match, lib.xmppdna_verdict_free, context._pointer, identifiers.pointer,
                               refs.pointer) as verdict:
            return lib.xmppdna_verdict_accepted(verdict.pointer) == 1
