"""Exceptions, one per result code of xmppdna.h, under XmppdnaError.

A rejected peer is not an exception: verify() returns a verdict whose
``accepted`` is False. Exceptions mean the question could not be asked.
"""
from typing import Optional

from ._lib import lib


class XmppdnaError(Exception):
    """A call into libxmppdna failed; ``code`` is the XMPPDNA_E* value."""

    code = 0

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class MisuseError(XmppdnaError, TypeError):
    code = -1


class InvalidArgumentError(XmppdnaError, ValueError):
    code = -2


class BadNameError(XmppdnaError, ValueError):
    code = -3


class EncodingError(XmppdnaError, ValueError):
    code = -4


class BadCertificateError(XmppdnaError, ValueError):
    code = -5


class TrustStoreError(XmppdnaError):
    code = -6


class OutOfMemoryError(XmppdnaError, MemoryError):
    code = -7


class OutOfRangeError(XmppdnaError, IndexError):
    code = -8


class InternalError(XmppdnaError):
    code = -9


class NoServerError(XmppdnaError):
    code = -10


class UntrustedResolverError(XmppdnaError):
    code = -11


class QueryNotFoundError(XmppdnaError, KeyError):
    code = -12


_BY_CODE = {cls.code: cls for cls in (MisuseError, InvalidArgumentError, BadNameError, EncodingError,
                                      BadCertificateError, TrustStoreError, OutOfMemoryError, OutOfRangeError,
                                      InternalError, NoServerError, UntrustedResolverError, QueryNotFoundError)}


def check(code, what):
    """Raises the exception for a negative result code; returns code otherwise."""
    if code >= 0:
        return code
    cls = _BY_CODE.get(code, XmppdnaError)
    reason = lib.xmppdna_strerror(code).decode("utf-8")
    raise cls("%s: %s" % (what, reason), code)
