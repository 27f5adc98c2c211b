"""xmppdna: XMPP Domain Name Associations through libxmppdna (C API 0.3,
libxmppdna.so.2).

    import xmppdna
    ctx = xmppdna.Context(ca_file="/etc/ssl/certs/ca-certificates.crt",
                          servers=["127.0.0.1@53"])
    names = ctx.names("example.com")            # DNSSEC delegation
    verdict = ctx.verify(pem_bytes, "example.com")
    if verdict.accepted: ...
    if verdict.find(xmppdna.FindingCode.TLSA_MISMATCH): ...

A PKI-only check is verify(..., prooftypes=["pki"]); a name-only check
hands over the presented identifiers with presented=[...], names_only=True
and no_lookups=True (xmppdna.match() does that for one reference).

Async (asyncio): ``await ctx.names_async(...)``, ``await ctx.verify_async(...)``;
the context's fd is watched with ``loop.add_reader``.
"""
from ._lib import lib
from .context import Context, match
from .errors import (BadCertificateError, BadNameError, EncodingError, InternalError, InvalidArgumentError,
                     MisuseError, NoServerError, OutOfMemoryError, OutOfRangeError, QueryNotFoundError,
                     TrustStoreError, UntrustedResolverError, XmppdnaError, check)
from .types import (AcceptableName, Attempt, CacheLimits, Candidate, ChainCheck, Evidence, Finding, FindingCode,
                    Limits, Match, NameList, Presented, Server, Verdict)

__version__ = "0.3.0"


def library_version() -> str:
    """The run-time library's version, e.g. "0.3.0"."""
    return lib.xmppdna_version().decode("ascii")


def set_certificate_cache_limit(certificates: int) -> None:
    """xmppdna_set_certificate_cache_limit: decoded certificates kept for
    the whole process, shared by every context (default 2048)."""
    check(lib.xmppdna_set_certificate_cache_limit(certificates), "certificate cache limit")


__all__ = ["Context", "match", "library_version", "set_certificate_cache_limit", "Server", "Limits", "CacheLimits", "NameList", "AcceptableName", "Candidate",
           "Verdict", "Attempt", "Finding", "FindingCode", "ChainCheck", "Match", "Presented", "Evidence",
           "XmppdnaError", "MisuseError", "InvalidArgumentError", "BadNameError", "EncodingError",
           "BadCertificateError", "TrustStoreError", "OutOfMemoryError", "OutOfRangeError", "InternalError",
           "NoServerError", "UntrustedResolverError", "QueryNotFoundError"]
