"""The values the binding returns: plain, typed, immutable dataclasses that
own no C memory (everything is copied out before the handle is freed)."""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple


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
    status: str


@dataclass(frozen=True)
class NameList:
    """The acceptable names and connection candidates of a domain (#3)."""
    domain: str
    service: str
    status: str               # secure, insecure, bogus, indeterminate
    kind: str                 # srv, no_srv, unavailable
    reason: Optional[str]
    extended_error: int
    names: List[AcceptableName]
    candidates: List[Candidate]
    json: str


@dataclass(frozen=True)
class Match:
    reference: Tuple[str, str]   # (type, value)
    presented: Tuple[str, str]


@dataclass(frozen=True)
class Attempt:
    prooftype: str               # dane, pki, posh, dialback
    outcome: str                 # accepted, rejected, not_applicable, not_tried
    reason: str


@dataclass(frozen=True)
class Evidence:
    what: str
    status: Optional[str]        # None for a POSH document


@dataclass(frozen=True)
class Verdict:
    """The RFC 7712 verdict for one domain."""
    accepted: bool
    prooftype: Optional[str]
    summary: str
    attempts: List[Attempt]
    matches: List[Match]
    chain_status: str            # valid, invalid, not_checked
    chain_error: Optional[str]
    reasons: List[str] = field(default_factory=list)
    dialback_strength: Optional[str] = None
    evidence: List[Evidence] = field(default_factory=list)
    json: str = ""
