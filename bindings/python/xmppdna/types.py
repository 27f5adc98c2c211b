"""The values the binding returns: plain, typed, immutable dataclasses that
own no C memory (everything is copied out before the handle is freed).

DNSSEC statuses are strings ("secure", "insecure", "bogus",
"indeterminate") or None where no DNS answer is concerned
(XMPPDNA_DNSSEC_NONE: the domain itself in its name list, a POSH document,
a finding about no records). Compare them with ==, never by order."""
import enum
from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union


class FindingCode(enum.IntEnum):
    """XMPPDNA_FINDING_*: what a prooftype found. The numbers never change;
    new ones may be added, and a finding with a code this binding does not
    know keeps it as a plain int (its tag is then "unknown"): treat it by
    its prooftype and outcome."""
    ALREADY_ACCEPTED = 1
    AFTER_DANE_REJECTION = 2
    NO_CERTIFICATE = 3
    PKI_NAME_MATCHED = 100
    PKI_CHAIN_INVALID = 101
    PKI_NO_NAME_MATCHES = 102
    PKI_NAME_ONLY_IN_CN = 103
    PKI_IDENTIFIER_IGNORED = 104
    DELEGATION_NOT_SECURE = 105
    PKI_CHAIN_NOT_CHECKED = 106
    DANE_MATCHED = 200
    TLSA_BOGUS = 201
    TLSA_INSECURE = 202
    TLSA_INDETERMINATE = 203
    TLSA_NONE = 204
    TLSA_UNUSABLE = 205
    TLSA_MISMATCH = 206
    DANE_CHAIN_INVALID = 207
    DANE_NAME_MISMATCH = 208
    DANE_NOT_CHECKED = 209
    ENDPOINT_NOT_CANDIDATE = 210
    ENDPOINT_PATH_NOT_SECURE = 211
    NO_SECURE_CANDIDATE = 212
    TLSA_NOT_LOOKED_UP = 213
    TLSA_FAILED_IN_UNSIGNED_ZONE = 214
    TLSA_NO_LOCATION = 215
    POSH_MATCHED = 300
    POSH_UNAVAILABLE = 301
    POSH_MALFORMED = 302
    POSH_BAD_URL = 303
    POSH_REFERENCE_NOT_FOLLOWED = 304
    POSH_FETCH_FAILED = 305
    POSH_MISMATCH = 306
    POSH_REFERENCE_UNFETCHED = 307
    POSH_NOT_PUBLISHED = 308
    DIALBACK_STRONG = 400
    DIALBACK_WEAK = 401
    DIALBACK_FAILED = 402
    DIALBACK_WEAK_REFUSED = 403
    DIALBACK_NOT_SUPPLIED = 404

    @property
    def tag(self) -> str:
        """The JSON's name for the code, e.g. "tlsa_mismatch"."""
        return self.name.lower()


@dataclass(frozen=True)
class Server:
    """A DNS server for Context(servers=...): "ADDR" or "ADDR@PORT".
    trust_ad (XMPPDNA_SERVER_TRUST_AD): its AD bit may be believed in the
    trust-ad mode although it is not on loopback."""
    address: str
    trust_ad: bool = False


@dataclass(frozen=True)
class Limits:
    """xmppdna_ctx_set_limits: work in flight per context and per zone;
    work beyond waits its turn. The defaults are the library's."""
    dns_in_flight: int = 256
    dns_per_zone: int = 16
    posh_in_flight: int = 64
    posh_per_zone: int = 4


@dataclass(frozen=True)
class CacheLimits:
    """xmppdna_ctx_set_cache_limits: entries the context keeps; a lower
    bound drops entries at once. The defaults are the library's."""
    dns_entries: int = 10000
    posh_documents: int = 1000
    verified_chains: int = 1024


@dataclass(frozen=True)
class AcceptableName:
    type: str                 # "dns" or "ip"
    value: str
    status: Optional[str]     # "secure", ...; None for the domain itself
    source: str               # the record that put it there


@dataclass(frozen=True)
class Candidate:
    host: str
    port: int
    direct_tls: bool
    status: Optional[str]     # the weakest status of the records behind it


@dataclass(frozen=True)
class NameList:
    """The acceptable names and connection candidates of a domain (#3)."""
    domain: str
    service: str
    status: str               # secure, insecure, bogus, indeterminate
    kind: str                 # srv, no_srv, unavailable
    trust_mode: str           # validate, trust-ad, caller (built from your records)
    reason: Optional[str]     # for bogus and indeterminate
    extended_error: int       # RFC 8914 code for bogus, else 0
    names: List[AcceptableName]
    candidates: List[Candidate]
    json: str


@dataclass(frozen=True)
class Finding:
    """One typed finding (xmppdna_finding). Decide by code (and dnssec,
    openssl_code...); text is for people and logs."""
    code: Union[FindingCode, int]
    tag: str                  # "tlsa_mismatch", as in the JSON; "unknown" for a code newer than the binding
    prooftype: str            # the attempt it belongs to: dane, pki, posh, dialback
    outcome: str              # that attempt's outcome
    dnssec: Optional[str]     # of the records concerned; None: no DNS answer is concerned
    extended_error: int       # RFC 8914 code when dnssec is bogus, else 0
    openssl_code: int         # X509_V_ERR_* of a failed chain, else 0
    depth: int                # the certificate concerned (0: the leaf)
    subject: Optional[str]    # what it is about: a TLSA owner, a POSH URL
    expected: Optional[str]
    seen: Optional[str]
    detail: Optional[str]
    text: str                 # one English sentence rendered from the fields above


@dataclass(frozen=True)
class Attempt:
    prooftype: str            # dane, pki, posh, dialback
    outcome: str              # accepted, rejected, not_applicable, not_tried
    reason: str               # its findings' text
    findings: List[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class ChainCheck:
    """The PKI chain check (xmppdna_verdict_chain)."""
    status: str               # valid, invalid, not_checked
    openssl_code: int = 0     # X509_V_ERR_* for invalid, else 0
    depth: int = 0
    text: Optional[str] = None  # OpenSSL's text for invalid


@dataclass(frozen=True)
class Match:
    reference: Tuple[str, str]   # (type, value)
    presented: Tuple[str, str]


@dataclass(frozen=True)
class Presented:
    """An identifier the leaf presented, in printable form."""
    type: str                 # dns, srv, xmpp, uri, ip, cn
    value: str
    usable: bool
    problem: Optional[str]    # why it cannot take part in matching


@dataclass(frozen=True)
class Evidence:
    what: str                 # e.g. "_5269._tcp.host1.example.net TLSA"
    status: Optional[str]     # None for a POSH document


@dataclass(frozen=True)
class Verdict:
    """The RFC 7712 verdict for one domain (xmppdna_verdict)."""
    accepted: bool
    prooftype: Optional[str]  # the prooftype that accepted, None if rejected
    summary: str
    attempts: List[Attempt]
    findings: List[Finding]
    chain: ChainCheck
    matches: List[Match]
    presented: List[Presented]
    evidence: List[Evidence]
    json: str

    @property
    def codes(self) -> List[Union[FindingCode, int]]:
        """Every finding's code, in attempt order."""
        return [finding.code for finding in self.findings]

    def find(self, code: int) -> Optional[Finding]:
        """The first finding with this code, or None."""
        return next((finding for finding in self.findings if finding.code == code), None)

    @property
    def dialback_strength(self) -> Optional[str]:
        """"strong" or "weak" when a verified dialback result was judged."""
        for finding in self.findings:
            if finding.code == FindingCode.DIALBACK_STRONG:
                return "strong"
            if finding.code in (FindingCode.DIALBACK_WEAK, FindingCode.DIALBACK_WEAK_REFUSED):
                return "weak"
        return None
