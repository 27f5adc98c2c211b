#!/usr/bin/env python3
"""The match row's second peer: pyca/service-identity on one parsed leaf,
asked for DNS-ID, SRV-ID and IP (it has no XmppAddr), patterns extracted
per call as its cryptography entry points do. Median and p90 over rounds.
  service_identity_match.py PKI_DIR ROUNDS   (pip install service-identity)"""
import statistics
import sys
import time

from cryptography import x509
from service_identity.cryptography import extract_patterns
from service_identity.hazmat import DNS_ID, SRV_ID, IPAddress_ID, verify_service_identity

pki, rounds = sys.argv[1], int(sys.argv[2])
cert = x509.load_pem_x509_certificate(open(pki + "/full.pem", "rb").read())
ids = [DNS_ID("example.com"), SRV_ID("_xmpp-server.example.com"), IPAddress_ID("192.0.2.1")]
calls = 200
samples = []
for _ in range(rounds):
    start = time.perf_counter_ns()
    for _ in range(calls):
        verify_service_identity(extract_patterns(cert), obligatory_ids=ids, optional_ids=[])
    samples.append((time.perf_counter_ns() - start) / calls / 1000)
samples.sort()
print("| %-58s | %10.2f | %10.2f |" % ("match: pyca/service-identity, DNS + SRV + IP", statistics.median(samples),
                                       samples[len(samples) * 9 // 10]))
