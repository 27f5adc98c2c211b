#!/usr/bin/env python3
"""The match row's second peer: pyca/service-identity on one parsed leaf.
Two ways to ask: its five public checks as the OpenSSL row asks them
(verify_certificate_hostname x4 + verify_certificate_ip_address), and one
hazmat call for DNS-ID, SRV-ID and IP together (it has no XmppAddr), its
cheapest form. Median and p90 over rounds.
  service_identity_match.py PKI_DIR ROUNDS   (python3-service-identity)"""
import statistics
import sys
import time

import service_identity
from cryptography import x509
from service_identity.cryptography import verify_certificate_hostname, verify_certificate_ip_address

try:  # 23.1 and later
    from service_identity.cryptography import extract_patterns
    from service_identity.hazmat import DNS_ID, SRV_ID, IPAddress_ID, verify_service_identity
except ImportError:  # Debian 12's 18.1
    from service_identity.cryptography import extract_ids as extract_patterns
    from service_identity._common import DNS_ID, SRV_ID, IPAddress_ID, verify_service_identity

pki, rounds = sys.argv[1], int(sys.argv[2])
cert = x509.load_pem_x509_certificate(open(pki + "/full.pem", "rb").read())
ids = [DNS_ID("example.com"), SRV_ID("_xmpp-server.example.com"), IPAddress_ID("192.0.2.1")]
calls = 200


def five_checks():
    for name in ("example.com", "example.com", "example.com", "example.com"):
        verify_certificate_hostname(cert, name)
    verify_certificate_ip_address(cert, "192.0.2.1")


def one_call():
    verify_service_identity(extract_patterns(cert), obligatory_ids=ids, optional_ids=[])


version = service_identity.__version__
for label, check in (("match: service-identity %s, 5 public checks" % version, five_checks),
                     ("match: service-identity %s, DNS + SRV + IP in one call" % version, one_call)):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(calls):
            check()
        samples.append((time.perf_counter_ns() - start) / calls / 1000)
    samples.sort()
    print("| %-62s | %10.2f | %10.2f |" % (label, statistics.median(samples), samples[len(samples) * 9 // 10]))
    print("median|%s|%.4f" % (check.__name__, statistics.median(samples)))
