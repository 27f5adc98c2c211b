"""The shared identity vectors through Python: every rule == both vector
must give the source's verdict, every invalid reference must be refused."""
import json
import socket

import pytest

import xmppdna
from conftest import SHARED

VECTORS = SHARED / "conformance/identity-vectors.jsonl"
pytestmark = pytest.mark.skipif(not VECTORS.exists(), reason="../shared absent")


def _vectors():
    with open(VECTORS, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _bytes(text, vector):
    return text.encode("latin-1") if "raw_bytes_latin1" in vector["tags"] else text.encode("utf-8")


def _presented(vector):
    found = []
    for key, kind in (("san_dns", "dns"), ("san_srv", "srv"), ("san_xmpp", "xmpp"), ("san_uri", "uri"), ("cn", "cn")):
        found += [(kind, _bytes(value, vector)) for value in vector.get(key) or []]
    for value in vector.get("san_ip") or []:
        family = socket.AF_INET6 if ":" in value else socket.AF_INET
        found.append(("ip", socket.inet_pton(family, value)))
    return found


def _judge(vector):
    kind, _, value = vector["reference"].partition(":")
    reference = (kind, _bytes(value, vector))
    if vector.get("cert_pem"):
        return xmppdna.match(reference, cert=vector["cert_pem"].encode())
    return xmppdna.match(reference, _presented(vector))


def _accepted(vector):
    """A reference the library refuses matches nothing, as in the C runner."""
    try:
        return _judge(vector)
    except xmppdna.BadNameError:
        return False


def test_every_binding_vector_passes():
    vectors = [v for v in _vectors() if v["rule"] == "both" and v["kind"] in ("match", "derived_match")]
    assert len(vectors) > 4800
    failing = [v["id"] for v in vectors if _accepted(v) != v["expect"]]
    assert failing == []


def test_invalid_references_are_refused_with_an_exception():
    vectors = [v for v in _vectors() if v["kind"] == "reference_invalid"]
    assert vectors
    for vector in vectors:
        with pytest.raises(xmppdna.XmppdnaError):
            _judge(vector)
