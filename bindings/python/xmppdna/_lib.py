"""Loads libxmppdna with ctypes (ABI mode: no compiler at install time) and
declares the prototypes of include/xmppdna.h that the binding uses.

Where the library comes from, first match wins:
  1. the XMPPDNA_LIBRARY environment variable (a path to libxmppdna.so.1);
  2. pkg-config: $(pkg-config --variable=libdir xmppdna)/libxmppdna.so.1;
  3. the dynamic linker's search path (ctypes.util.find_library).
"""
import ctypes
import ctypes.util
import os
import shutil
import subprocess

SONAME = "libxmppdna.so.1"


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
    return ctypes.util.find_library("xmppdna") or SONAME


lib = ctypes.CDLL(_locate())

c_int, c_uint, c_size_t, c_int64 = ctypes.c_int, ctypes.c_uint, ctypes.c_size_t, ctypes.c_int64
c_char_p, c_void_p = ctypes.c_char_p, ctypes.c_void_p
P = ctypes.POINTER
out_handle = P(c_void_p)

NAMES_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_void_p)
DNA_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_void_p)


class Record(ctypes.Structure):
    _fields_ = [("owner", c_char_p), ("type", c_int), ("status", c_int), ("data", c_char_p)]


# name: (restype, argtypes). Borrowed strings come back as c_char_p (ctypes
# copies them); owned ones ("char **out") as c_void_p, freed with xmppdna_free.
_PROTOTYPES = {
    "xmppdna_version": (c_char_p, []),
    "xmppdna_version_number": (c_int, []),
    "xmppdna_strerror": (c_char_p, [c_int]),
    "xmppdna_free": (None, [c_void_p]),
    "xmppdna_ctx_new": (c_int, [out_handle]),
    "xmppdna_ctx_free": (None, [c_void_p]),
    "xmppdna_ctx_set_ca_file": (c_int, [c_void_p, c_char_p]),
    "xmppdna_ctx_set_ca_dir": (c_int, [c_void_p, c_char_p]),
    "xmppdna_ctx_set_time": (c_int, [c_void_p, c_int64]),
    "xmppdna_ctx_set_flags": (c_int, [c_void_p, c_uint]),
    "xmppdna_ctx_add_server": (c_int, [c_void_p, c_char_p]),
    "xmppdna_ctx_set_trust_mode": (c_int, [c_void_p, c_int]),
    "xmppdna_ctx_add_trusted_resolver": (c_int, [c_void_p, c_char_p]),
    "xmppdna_ctx_set_anchor_file": (c_int, [c_void_p, c_char_p]),
    "xmppdna_ctx_set_dns_timeout": (c_int, [c_void_p, c_int, c_int]),
    "xmppdna_ctx_set_posh": (c_int, [c_void_p, c_char_p, c_int]),
    "xmppdna_ctx_set_threads": (c_int, [c_void_p, c_int]),
    "xmppdna_ctx_flush_cache": (c_int, [c_void_p]),
    "xmppdna_refs_new_empty": (c_int, [out_handle]),
    "xmppdna_refs_add": (c_int, [c_void_p, c_int, c_char_p, c_size_t]),
    "xmppdna_refs_free": (None, [c_void_p]),
    "xmppdna_chain_new": (c_int, [out_handle]),
    "xmppdna_chain_free": (None, [c_void_p]),
    "xmppdna_chain_add_der": (c_int, [c_void_p, c_char_p, c_size_t]),
    "xmppdna_chain_add_pem": (c_int, [c_void_p, c_char_p, c_size_t]),
    "xmppdna_chain_length": (c_size_t, [c_void_p]),
    "xmppdna_chain_idset": (c_int, [c_void_p, out_handle]),
    "xmppdna_idset_new": (c_int, [out_handle]),
    "xmppdna_idset_free": (None, [c_void_p]),
    "xmppdna_idset_add": (c_int, [c_void_p, c_int, c_char_p, c_size_t]),
    "xmppdna_idset_count": (c_size_t, [c_void_p]),
    "xmppdna_idset_get": (c_int, [c_void_p, c_size_t, P(c_int), P(c_char_p), P(c_int), P(c_char_p)]),
    "xmppdna_match": (c_int, [c_void_p, c_void_p, c_void_p, out_handle]),
    "xmppdna_verdict_free": (None, [c_void_p]),
    "xmppdna_verdict_accepted": (c_int, [c_void_p]),
    "xmppdna_verdict_chain_status": (c_int, [c_void_p]),
    "xmppdna_verdict_chain_error": (c_int, [c_void_p, P(c_int), P(c_int), P(c_char_p)]),
    "xmppdna_verdict_match_count": (c_size_t, [c_void_p]),
    "xmppdna_verdict_match": (c_int, [c_void_p, c_size_t, P(c_int), P(c_char_p), P(c_int), P(c_char_p)]),
    "xmppdna_verdict_reason_count": (c_size_t, [c_void_p]),
    "xmppdna_verdict_reason": (c_char_p, [c_void_p, c_size_t]),
    "xmppdna_names_lookup": (c_int, [c_void_p, c_char_p, c_int, out_handle]),
    "xmppdna_names_build": (c_int, [c_char_p, c_int, P(Record), c_size_t, out_handle]),
    "xmppdna_names_free": (None, [c_void_p]),
    "xmppdna_names_status": (c_int, [c_void_p]),
    "xmppdna_names_kind": (c_int, [c_void_p]),
    "xmppdna_names_trust_mode": (c_int, [c_void_p]),
    "xmppdna_names_reason": (c_char_p, [c_void_p, P(c_int)]),
    "xmppdna_names_count": (c_size_t, [c_void_p]),
    "xmppdna_names_get": (c_int, [c_void_p, c_size_t, P(c_int), P(c_char_p), P(c_int), P(c_char_p)]),
    "xmppdna_names_candidate_count": (c_size_t, [c_void_p]),
    "xmppdna_names_candidate": (c_int, [c_void_p, c_size_t, P(c_char_p), P(c_int), P(c_int), P(c_int)]),
    "xmppdna_names_json": (c_int, [c_void_p, P(c_void_p)]),
    "xmppdna_dna_request_new": (c_int, [c_char_p, c_int, c_int, out_handle]),
    "xmppdna_dna_request_free": (None, [c_void_p]),
    "xmppdna_dna_request_set_endpoint": (c_int, [c_void_p, c_char_p, c_int]),
    "xmppdna_dna_request_set_prooftypes": (c_int, [c_void_p, P(c_int), c_size_t]),
    "xmppdna_dna_request_set_names": (c_int, [c_void_p, c_void_p]),
    "xmppdna_dna_request_add_tlsa": (c_int, [c_void_p, c_char_p, c_int, c_char_p, c_int]),
    "xmppdna_dna_request_set_posh": (c_int, [c_void_p, c_char_p, c_size_t]),
    "xmppdna_dna_request_set_dialback": (c_int, [c_void_p, c_int]),
    "xmppdna_dna_request_add_name": (c_int, [c_void_p, c_char_p]),
    "xmppdna_dna_request_set_flags": (c_int, [c_void_p, c_uint]),
    "xmppdna_verify_dna": (c_int, [c_void_p, c_void_p, c_void_p, out_handle]),
    "xmppdna_dna_free": (None, [c_void_p]),
    "xmppdna_dna_accepted": (c_int, [c_void_p]),
    "xmppdna_dna_prooftype": (c_int, [c_void_p]),
    "xmppdna_dna_summary": (c_char_p, [c_void_p]),
    "xmppdna_dna_attempt_count": (c_size_t, [c_void_p]),
    "xmppdna_dna_attempt": (c_int, [c_void_p, c_size_t, P(c_int), P(c_int), P(c_char_p)]),
    "xmppdna_dna_pki": (c_void_p, [c_void_p]),
    "xmppdna_dna_dialback_strength": (c_int, [c_void_p]),
    "xmppdna_dna_evidence_count": (c_size_t, [c_void_p]),
    "xmppdna_dna_evidence": (c_int, [c_void_p, c_size_t, P(c_char_p), P(c_int)]),
    "xmppdna_dna_json": (c_int, [c_void_p, P(c_void_p)]),
    "xmppdna_names_lookup_async": (c_int, [c_void_p, c_char_p, c_int, NAMES_CALLBACK, c_void_p, P(c_int)]),
    "xmppdna_verify_dna_async": (c_int, [c_void_p, c_void_p, c_void_p, DNA_CALLBACK, c_void_p, P(c_int)]),
    "xmppdna_fd": (c_int, [c_void_p]),
    "xmppdna_process": (c_int, [c_void_p]),
    "xmppdna_wait": (c_int, [c_void_p]),
    "xmppdna_cancel": (c_int, [c_void_p, c_int]),
}

for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    _function = getattr(lib, _name)
    _function.restype = _restype
    _function.argtypes = _argtypes


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
