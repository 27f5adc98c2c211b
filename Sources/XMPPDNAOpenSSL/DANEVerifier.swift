import CXMPPDNAShim
import XMPPDNACore

/// DANE by OpenSSL's own implementation (RFC 6698, RFC 7671), offline: an
/// SSL object made only to hold the TLSA records, whose DANE state
/// X509_verify_cert then uses, as OpenSSL's test/danetest.c does. OpenSSL
/// matches the records, applies digest agility, builds the chain with
/// certificates and keys the records carry in full, and requires PKIX to
/// the trust store for usages 0 and 1, with the matched CA on the path it
/// built. Names are the caller's to check: OpenSSL's own check stays off.
public enum DANEVerifier {
    /// One DANE-enabled SSL_CTX for all verifications; SSL_new on it is thread-safe.
    nonisolated(unsafe) private static let context: OpaquePointer? = {
        guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
        guard SSL_CTX_dane_enable(context) > 0 else {
            SSL_CTX_free(context)
            return nil
        }
        return context
    }()

    /// The record OpenSSL matched, or why none did.
    public static func verify(_ chain: [Certificate], records: [TLSARecord], store: TrustStore, time: Int64?,
                              direction: PeerDirection) -> DANECheck {
        func failure(_ text: String) -> DANECheck {
            .failed(.invalid(code: X509_V_ERR_UNSPECIFIED, depth: 0, text: text))
        }
        guard let context, let ssl = SSL_new(context) else { return failure("out of memory") }
        defer {
            SSL_free(ssl)
            ERR_clear_error()
        }
        // The base domain feeds only SNI and the SSL's own host check, and the
        // SSL's parameters never reach this verification.
        guard SSL_dane_enable(ssl, "dane.invalid") > 0 else { return failure("OpenSSL cannot enable DANE: \(OpenSSLError.drain())") }
        // RFC 7671 section 5.1: DANE-EE authenticates the key, not a name.
        _ = SSL_dane_set_flags(ssl, UInt(DANE_FLAG_NO_DANE_EE_NAMECHECKS))
        var added = 0
        for record in records {
            let result = record.data.withUnsafeBufferPointer {
                SSL_dane_tlsa_add(ssl, record.usageValue, record.selectorValue, record.matchingTypeValue, $0.baseAddress, $0.count)
            }
            if result > 0 { added += 1 }
        }
        // With no record loaded OpenSSL would fall back to plain PKIX.
        guard added > 0 else { return failure("OpenSSL finds no usable TLSA record (a full certificate or key it cannot parse?)") }
        // DANE-EE records match the leaf alone (OpenSSL reads no further), so
        // the rest of the chain is neither handed over nor decoded.
        let read = records.allSatisfy { $0.usage == .daneEE } ? Array(chain.prefix(1)) : chain
        let verification = ChainVerifier.verifyPath(read, store: store, time: time, direction: direction, dane: SSL_get0_dane(ssl))
        let status = verification.status
        guard status == .valid else {
            if case .invalid(let code, _, _) = status, code == X509_V_ERR_DANE_NO_MATCH { return .noMatch }
            return .failed(status)
        }
        SSL_set_verify_result(ssl, Int(X509_V_OK))
        var usage: UInt8 = 0, selector: UInt8 = 0, matchingType: UInt8 = 0
        var data: UnsafePointer<UInt8>?
        var length = 0
        let depth = SSL_get0_dane_tlsa(ssl, &usage, &selector, &matchingType, &data, &length)
        guard depth >= 0, let data else { return failure("OpenSSL verified the chain but reports no matching TLSA record") }
        let record = TLSARecord(usage: usage, selector: selector, matchingType: matchingType,
                                data: Array(UnsafeBufferPointer(start: data, count: length)))
        return .matched(DANEMatch(record: record, depth: Int(depth), constraints: verification.constraints))
    }
}
