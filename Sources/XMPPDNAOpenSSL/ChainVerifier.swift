import CXMPPDNAShim
import XMPPDNACore

/// Chain verification by OpenSSL's X509_verify_cert: the leaf, the presented
/// intermediates as untrusted certificates, the store's anchors, a time and
/// a key purpose.
public enum ChainVerifier {
    /// `time` is seconds since the epoch, or nil for now.
    public static func verify(_ chain: [Certificate], store: TrustStore, time: Int64?,
                              direction: PeerDirection) -> ChainStatus {
        verifyPath(chain, store: store, time: time, direction: direction).status
    }

    /// `dane` is an SSL_DANE holding TLSA records (DANEVerifier): OpenSSL
    /// then verifies by DANE rather than by PKIX alone.
    public static func verifyPath(_ chain: [Certificate], store: TrustStore, time: Int64?, direction: PeerDirection,
                           dane: OpaquePointer? = nil) -> PathVerification {
        guard let leaf = chain.first else {
            return .failed(.invalid(code: X509_V_ERR_UNSPECIFIED, depth: 0, text: "no certificate was presented"))
        }
        // Decoded here, so a DANE-EE check (leaf only) never decodes the rest.
        for (depth, certificate) in chain.enumerated() {
            if let problem = certificate.decodingProblem {
                return .failed(.invalid(code: X509_V_ERR_UNSPECIFIED, depth: Int32(depth), text: problem))
            }
        }
        guard let leafX509 = leaf.x509 else {
            return .failed(.invalid(code: X509_V_ERR_UNSPECIFIED, depth: 0, text: "the certificate does not decode"))
        }
        // A CA certificate is never a peer's PKIX identity (webpki refuses it
        // too); OpenSSL's purpose check lets CA:TRUE through at depth 0. Under
        // DANE the records decide: a self-signed DANE-EE key often says CA:TRUE.
        if dane == nil, X509_get_extension_flags(leafX509) & UInt32(EXFLAG_CA) != 0 {
            return .failed(.invalid(code: X509_V_ERR_INVALID_PURPOSE, depth: 0,
                                    text: "the end-entity certificate is a CA certificate (basicConstraints CA:TRUE)"))
        }
        let first = verify(leaf: leaf, intermediates: chain.dropFirst(), store: store, time: time,
                           purpose: direction == .outbound ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT, dane: dane)
        // Inbound s2s peers present server certificates as client
        // certificates, so serverAuth is also good enough there.
        if direction == .inbound, case .invalid(let code, _, _) = first.status, code == X509_V_ERR_INVALID_PURPOSE {
            let second = verify(leaf: leaf, intermediates: chain.dropFirst(), store: store, time: time,
                                purpose: X509_PURPOSE_SSL_SERVER, dane: dane)
            if second.status == .valid { return second }
        }
        return first
    }

    private static func verify(leaf: Certificate, intermediates: ArraySlice<Certificate>, store: TrustStore,
                               time: Int64?, purpose: Int32, dane: OpaquePointer?) -> PathVerification {
        guard let context = X509_STORE_CTX_new(), let untrusted = xdna_shim_sk_X509_new_null() else {
            return .failed(.invalid(code: X509_V_ERR_OUT_OF_MEM, depth: 0, text: "out of memory"))
        }
        defer {
            X509_STORE_CTX_free(context)
            xdna_shim_sk_X509_free(untrusted)
        }
        // The stack borrows the certificates; the array keeps them alive.
        for certificate in intermediates {
            if let x509 = certificate.x509 { _ = xdna_shim_sk_X509_push(untrusted, x509) }
        }
        ERR_clear_error()
        guard let leafX509 = leaf.x509, X509_STORE_CTX_init(context, store.store, leafX509, untrusted) == 1 else {
            return .failed(.invalid(code: X509_V_ERR_UNSPECIFIED, depth: 0, text: OpenSSLError.drain()))
        }
        _ = X509_STORE_CTX_set_purpose(context, purpose)
        // SRVName and XmppAddr subtrees are NameConstraints' to judge, not a failure.
        X509_STORE_CTX_set_verify_cb(context, xdna_shim_verify_callback)
        if let dane { X509_STORE_CTX_set0_dane(context, dane) }
        if let time { X509_STORE_CTX_set_time(context, 0, time_t(time)) }
        let result = X509_verify_cert(context)
        defer { ERR_clear_error() }
        if result == 1 {
            // The path OpenSSL built, above the leaf: the CAs whose constraints bind it.
            let path = X509_STORE_CTX_get0_chain(context)
            let count = path.map { xdna_shim_sk_X509_num($0) } ?? 0
            let constraints = count < 2 ? [] : (1..<count).compactMap { index in
                xdna_shim_sk_X509_value(path, index).flatMap(Certificate.nameConstraints(of:))
            }
            // Where every certificate on the path is in its validity period (nil if one's is unreadable).
            var validity: ClosedRange<Int64>? = count > 0 ? Int64.min...Int64.max : nil
            for index in 0..<count {
                guard let span = validity, let x509 = xdna_shim_sk_X509_value(path, index),
                      let own = Certificate.validity(of: x509), own.overlaps(span) else {
                    validity = nil
                    break
                }
                validity = max(span.lowerBound, own.lowerBound)...min(span.upperBound, own.upperBound)
            }
            return PathVerification(status: .valid, constraints: constraints, validity: validity)
        }
        let code = X509_STORE_CTX_get_error(context)
        let depth = X509_STORE_CTX_get_error_depth(context)
        let text = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "verification failed"
        return .failed(.invalid(code: code, depth: depth, text: text))
    }
}
