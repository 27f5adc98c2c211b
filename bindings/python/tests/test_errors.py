"""Every bad input is an exception of the right class, never a crash or a
silently changed question."""
import pytest

import xmppdna


def test_nul_inside_a_name_is_refused_not_truncated():
    with xmppdna.Context() as ctx:
        with pytest.raises(xmppdna.EncodingError):
            ctx.verify(b"junk", "example.com\0.evil.test")


def test_result_codes_map_to_exceptions(tmp_path):
    with pytest.raises(xmppdna.TrustStoreError) as raised:
        xmppdna.Context(ca_file=str(tmp_path / "missing.pem"))
    assert raised.value.code == -6
    with xmppdna.Context() as ctx:
        with pytest.raises(xmppdna.BadCertificateError):
            ctx.verify(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", "example.com")
        with pytest.raises(xmppdna.NoServerError):
            ctx.names("example.com")
        with pytest.raises(xmppdna.BadNameError):
            ctx.names("exa mple.com")
        with pytest.raises(xmppdna.MisuseError):
            ctx.names("example.com", service="smtp")
        with pytest.raises(xmppdna.EncodingError):
            ctx.names("\udcff.example")
        with pytest.raises(xmppdna.InvalidArgumentError):
            ctx.verify(b"x", "example.com", prooftypes=["pki", "pki"])
        with pytest.raises(xmppdna.InvalidArgumentError):
            ctx.verify(None, "example.com", prooftypes=[])
        with pytest.raises(xmppdna.InvalidArgumentError):  # CN is not a reference type
            ctx.verify(None, "example.com", names=[("cn", "example.com")])
        with pytest.raises(xmppdna.InvalidArgumentError):  # NAME is for references only
            ctx.verify(None, "example.com", presented=[("name", "example.com")])
        with pytest.raises(xmppdna.BadNameError):
            ctx.verify(None, "192.0.2.1")  # an IP literal is not a domain
        with pytest.raises(xmppdna.BadNameError):
            ctx.verify(None, "example.com", presented=[("ip", "not an address")])
        with pytest.raises(xmppdna.MisuseError):
            ctx.verify(None, "example.com", presented=[("smtp", "example.com")])
    with pytest.raises(xmppdna.UntrustedResolverError):
        with xmppdna.Context(servers=["192.0.2.53"], trust_mode="trust-ad") as ctx:
            ctx.names("example.com")
    assert issubclass(xmppdna.BadNameError, ValueError) and issubclass(xmppdna.BadNameError, xmppdna.XmppdnaError)


def test_a_closed_context_refuses_calls():
    ctx = xmppdna.Context()
    ctx.close()
    with pytest.raises(xmppdna.MisuseError):
        ctx.names("example.com")
    ctx.close()  # twice is fine


def test_version_matches_the_package():
    assert xmppdna.library_version() == xmppdna.__version__


def _resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def test_thousands_of_verdicts_do_not_grow_memory(pki):
    """Every string the library hands over (JSON, handles) is released."""
    chain = (pki / "host1-chain.pem").read_bytes()
    with xmppdna.Context(ca_file=str(pki / "root.pem"), time=1893456000) as ctx:
        for _ in range(300):
            ctx.verify(chain, "example.com", names=["host1.example.net"], prooftypes=["pki"])
        before = _resident_bytes()
        for _ in range(4000):
            verdict = ctx.verify(chain, "example.com", names=["host1.example.net"], prooftypes=["pki"])
        growth = _resident_bytes() - before
    assert verdict.accepted and len(verdict.json) > 500
    # A leaked verdict JSON alone would be over 2 MB here.
    assert growth < 2 * 1024 * 1024, growth


def test_hostile_sizes_get_their_exception_or_a_verdict(pki):
    """#8's bad-input list through the binding: oversized names and labels,
    NUL and non-UTF-8, 10,000 SANs and a 1 MiB chain."""
    full = (pki / "full-chain.pem").read_bytes()
    with xmppdna.Context(ca_file=str(pki / "root.pem"), time=1893456000) as ctx:
        for name in ("a" * (1 << 20), "b" * 64 + ".example", ("a" * 62 + ".") * 4 + "example", ""):
            with pytest.raises(xmppdna.BadNameError):
                ctx.verify(full, name, prooftypes=["pki"])
        with pytest.raises(xmppdna.EncodingError):
            ctx.verify(full, "example.com\0" + "a" * 300, prooftypes=["pki"])
        for name in (None, b"\xff.example"):
            with pytest.raises(xmppdna.MisuseError):
                ctx.verify(full, name, prooftypes=["pki"])
        for chain in (b"", b"\x30" * (1 << 20), full[: len(full) // 2]):
            with pytest.raises(xmppdna.BadCertificateError):
                ctx.verify(chain, "example.com", prooftypes=["pki"])
        many = (pki / "many-sans-chain.pem").read_bytes()
        assert ctx.verify(many, "example.com", prooftypes=["pki"]).accepted
        assert not ctx.verify(many, "nomatch.example", prooftypes=["pki"]).accepted
        huge = full * ((1 << 20) // len(full) + 1)
        assert len(huge) > 1 << 20
        assert ctx.verify(huge, "example.com", prooftypes=["pki"]).accepted


def test_tlsa_records_need_an_explicit_status():
    record = "3 1 1 " + "ab" * 32
    with xmppdna.Context() as ctx:
        for tlsa in [record, ("host1.example.net", 5269, record, None), (record,)]:
            with pytest.raises(xmppdna.MisuseError, match="status"):
                ctx.verify(b"x", "example.com", tlsa=[tlsa])
        with pytest.raises(xmppdna.MisuseError, match="status"):
            ctx.verify(b"x", "example.com", tlsa=[(record, "sure")])
