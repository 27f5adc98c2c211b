"""Loads libxmppdna with ctypes (ABI mode: no compiler at install time) and
declares the prototypes of include/xmppdna.h that the binding uses.

Where the library comes from, first match wins:
  1. the XMPPDNA_LIBRARY environment variable (a path to libxmppdna.so.2);
  2. pkg-config: $(pkg-config --variable=libdir xmppdna)/libxmppdna.so.2;
  3. the dynamic linker's search path, by the exact SONAME libxmppdna.so.2
     (never ctypes.util.find_library, which would take any version it
     finds, such as the incompatible libxmppdna.so.1 of 0.2.0).
"""
import ctypes
import os
import shutil
import subprocess

SONAME = "libxmppdna.so.2"
# The first release with this SONAME (XMPPDNA_VERSION_NUMBER of 0.3.0).
MIN_VERSION_NUMBER = 3000


def _locate():
    explicit = os.environ.get("XMPPDNA_LIBRARY")
    if explicit:
        return explicit
    if shutil.which("pkg-config"):
        try:
            libdir = subprocess.run(["pkg-config", "--variable=libdir", "xmppdna"], capture_output=True,
                                    text=True, check=True, timeout=10).stdout.strip()
            candidate = os.path.join(libdir, SONAME)
            if libdir and os.path.exists(candidate):
                return candidate
        except (subprocess.SubprocessError, OSError):
            pass
    return SONAME


lib = ctypes.CDLL(_locate())

c_int, c_uint, c_size_t, c_int64 = ctypes.c_int, ctypes.c_uint, ctypes.c_size_t, ctypes.c_int64
c_char_p, c_void_p = ctypes.c_char_p, ctypes.c_void_p
P = ctypes.POINTER
out_handle = P(c_void_p)

NAMES_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_void_p)
VERDICT_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_void_p)


class Record(ctypes.Structure):
    """xmppdna_record."""
    _fields_ = [("owner", c_char_p), ("type", c_int), ("status", c_int), ("data", c_char_p)]


class FindingStruct(ctypes.Structure):
    """xmppdna_finding; its strings are borrowed from the verdict."""
    _fields_ = [("code", c_int), ("prooftype", c_int), ("outcome", c_int), ("dnssec", c_int),
                ("extended_error", c_int), ("openssl_code", c_int), ("depth", c_int),
                ("subject", c_char_p), ("expected", c_char_p), ("seen", c_char_p), ("detail", c_char_p),
                ("text", c_char_p)]


# name: (restype, argtypes). Borrowed strings come back as c_char_p (ctypes
# copies them); owned ones ("char **out") as c_void_p, freed with xmppdna_free.
_PROTOTYPES = {
    "xmppdna_version": (c_char_p, []),
    "xmppdna_version_number": (c_int, []),
    "xmppdna_strerror": (c_char_p, [c_int]),
    "xmppdna_free": (None, [c_void_p]),
    # context
    "xmppdna_ctx_new": (c_int, [out_handle]),
    "xmppdna_ctx_free": (None, [c_void_p]),
    "xmppdna_ctx_set_ca": (c_int, [c_void_p, c_char_p, c_char_p]),
    "xmppdna_ctx_set_time": (c_int, [c_void_p, c_int64]),
    "xmppdna_ctx_set_flags": (c_int, [c_void_p, c_uint]),
    "xmppdna_ctx_add_server": (c_int, [c_void_p, c_char_p, c_uint]),
    "xmppdna_ctx_clear_servers": (c_int, [c_void_p]),
    "xmppdna_ctx_set_trust_mode": (c_int, [c_void_p, c_int]),
    "xmppdna_ctx_set_anchor_file": (c_int, [c_void_p, c_char_p]),
    "xmppdna_ctx_set_dns_timeout": (c_int, [c_void_p, c_int, c_int, c_int]),
    "xmppdna_ctx_set_cache_ttl": (c_int, [c_void_p, c_uint, c_uint]),
    "xmppdna_ctx_flush_cache": (c_int, [c_void_p]),
    "xmppdna_ctx_set_posh": (c_int, [c_void_p, c_char_p, c_int]),
    "xmppdna_ctx_set_limits": (c_int, [c_void_p, c_int, c_int, c_int, c_int]),
    "xmppdna_ctx_set_cache_limits": (c_int, [c_void_p, c_int, c_int, c_int]),
    "xmppdna_set_certificate_cache_limit": (c_int, [c_int]),
    # chain
    "xmppdna_chain_new": (c_int, [out_handle]),
    "xmppdna_chain_free": (None, [c_void_p]),
    "xmppdna_chain_add_der": (c_int, [c_void_p, c_char_p, c_size_t]),
    "xmppdna_chain_add_pem": (c_int, [c_void_p, c_char_p, c_size_t]),
    "xmppdna_chain_count": (c_size_t, [c_void_p]),
    # request
    "xmppdna_request_new": (c_int, [c_char_p, c_int, c_int, out_handle]),
    "xmppdna_request_free": (None, [c_void_p]),
    "xmppdna_request_set_endpoint": (c_int, [c_void_p, c_char_p, c_int]),
    "xmppdna_request_set_prooftypes": (c_int, [c_void_p, P(c_int), c_size_t]),
    "xmppdna_request_set_names": (c_int, [c_void_p, c_void_p]),
    "xmppdna_request_add_tlsa": (c_int, [c_void_p, c_char_p, c_int, c_char_p, c_int]),
    "xmppdna_request_set_posh": (c_int, [c_void_p, c_char_p, c_size_t]),
    "xmppdna_request_set_dialback": (c_int, [c_void_p, c_int]),
    "xmppdna_request_add_ref": (c_int, [c_void_p, c_int, c_char_p, c_size_t]),
    "xmppdna_request_add_presented": (c_int, [c_void_p, c_int, c_char_p, c_size_t]),
    "xmppdna_request_set_flags": (c_int, [c_void_p, c_uint]),
    # verification and the verdict
    "xmppdna_verify": (c_int, [c_void_p, c_void_p, c_void_p, out_handle]),
    "xmppdna_verdict_free": (None, [c_void_p]),
    "xmppdna_verdict_accepted": (c_int, [c_void_p]),
    "xmppdna_verdict_prooftype": (c_int, [c_void_p]),
    "xmppdna_verdict_summary": (c_char_p, [c_void_p]),
    "xmppdna_verdict_attempt_count": (c_size_t, [c_void_p]),
    "xmppdna_verdict_attempt_get": (c_int, [c_void_p, c_size_t, P(c_int), P(c_int), P(c_char_p)]),
    "xmppdna_verdict_finding_count": (c_size_t, [c_void_p]),
    "xmppdna_verdict_finding_get": (c_int, [c_void_p, c_size_t, P(FindingStruct)]),
    "xmppdna_verdict_chain": (c_int, [c_void_p, P(c_int), P(c_int), P(c_int), P(c_char_p)]),
    "xmppdna_verdict_match_count": (c_size_t, [c_void_p]),
    "xmppdna_verdict_match_get": (c_int, [c_void_p, c_size_t, P(c_int), P(c_char_p), P(c_int), P(c_char_p)]),
    "xmppdna_verdict_presented_count": (c_size_t, [c_void_p]),
    "xmppdna_verdict_presented_get": (c_int, [c_void_p, c_size_t, P(c_int), P(c_char_p), P(c_int), P(c_char_p)]),
    "xmppdna_verdict_evidence_count": (c_size_t, [c_void_p]),
    "xmppdna_verdict_evidence_get": (c_int, [c_void_p, c_size_t, P(c_char_p), P(c_int)]),
    "xmppdna_verdict_json": (c_int, [c_void_p, P(c_void_p)]),
    # delegation
    "xmppdna_names_lookup": (c_int, [c_void_p, c_char_p, c_int, out_handle]),
    "xmppdna_names_build": (c_int, [c_char_p, c_int, P(Record), c_size_t, out_handle]),
    "xmppdna_names_free": (None, [c_void_p]),
    "xmppdna_names_status": (c_int, [c_void_p, P(c_int), P(c_int), P(c_int), P(c_int), P(c_char_p)]),
    "xmppdna_names_count": (c_size_t, [c_void_p]),
    "xmppdna_names_get": (c_int, [c_void_p, c_size_t, P(c_int), P(c_char_p), P(c_int), P(c_char_p)]),
    "xmppdna_names_candidate_count": (c_size_t, [c_void_p]),
    "xmppdna_names_candidate_get": (c_int, [c_void_p, c_size_t, P(c_char_p), P(c_int), P(c_int), P(c_int)]),
    "xmppdna_names_json": (c_int, [c_void_p, P(c_void_p)]),
    # async
    "xmppdna_names_lookup_async": (c_int, [c_void_p, c_char_p, c_int, NAMES_CALLBACK, c_void_p, P(c_int)]),
    "xmppdna_verify_async": (c_int, [c_void_p, c_void_p, c_void_p, VERDICT_CALLBACK, c_void_p, P(c_int)]),
    "xmppdna_fd": (c_int, [c_void_p]),
    "xmppdna_process": (c_int, [c_void_p]),
    "xmppdna_wait": (c_int, [c_void_p]),
    "xmppdna_cancel": (c_int, [c_void_p, c_int]),
}

for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    try:
        _function = getattr(lib, _name)
    except AttributeError:
        raise ImportError("%s has no %s: not the libxmppdna 0.3 C API (%s)" % (lib._name, _name, SONAME)) from None
    _function.restype = _restype
    _function.argtypes = _argtypes

if lib.xmppdna_version_number() < MIN_VERSION_NUMBER:
    raise ImportError("%s is libxmppdna %s; this binding needs 0.3.0 or later"
                      % (lib._name, lib.xmppdna_version().decode("ascii", "replace")))


def take_string(pointer):
    """Copies a library-owned string and releases it with xmppdna_free."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.xmppdna_free(pointer)


def text(raw):
    """A borrowed C string as str (None stays None)."""
    return None if raw is None else raw.decode("utf-8", errors="replace")
