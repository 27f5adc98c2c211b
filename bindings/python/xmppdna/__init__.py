"""xmppdna: XMPP Domain Name Associations through libxmppdna.

    import xmppdna
    ctx = xmppdna.Context(ca_file="/etc/ssl/certs/ca-certificates.crt",
                          servers=["127.0.0.1@53"])
    names = ctx.names("example.com")            # DNSSEC delegation
    verdict = ctx.verify(pem_bytes, "example.com")
    if verdict.accepted: ...

Async (asyncio): ``await ctx.names_async(...)``, ``await ctx.verify_async(...)``;
the context's fd is watched with ``loop.add_reader``.
"""
from ._lib import lib
from .context import Context, match
from .errors import (BadCertificateError, BadNameError, EncodingError, InternalError, InvalidArgumentError,
                     MisuseError, NoServerError, OutOfMemoryError, OutOfRangeError, QueryNotFoundError,
                     TrustStoreError, UntrustedResolverError, XmppdnaError)
from .types import AcceptableName, Attempt, Candidate, Evidence, Match, NameList, Verdict

__version__ = "0.2.0"


def library_version():
    """The run-time library's version, e.g. "0.2.0"."""
    return lib.xmppdna_version().decode("ascii")


__all__ = ["Context", "match", "library_version", "NameList", "AcceptableName", "Candidate", "Verdict", "Attempt",
           "Match", "Evidence", "XmppdnaError", "MisuseError", "InvalidArgumentError", "BadNameError",
           "EncodingError", "BadCertificateError", "TrustStoreError", "OutOfMemoryError", "OutOfRangeError",
           "InternalError", "NoServerError", "UntrustedResolverError", "QueryNotFoundError"]
