import CXMPPDNAShim
import XMPPDNACore

/// One parsed X.509 certificate, owned. Parsed once; every later question
/// (identifiers, chain building) reuses the same OpenSSL object.
public final class Certificate: @unchecked Sendable {
    // Immutable after init; OpenSSL allows concurrent reads of an X509.
    let x509: OpaquePointer
    public let der: [UInt8]
    /// `presentedIdentifiers`, once read.
    let identifiers = Locked<[PresentedIdentifier]?>(nil)
    /// A hash of `der`, for caches keyed by content.
    let contentHash: Int

    /// Parses exactly one DER certificate; trailing bytes are refused.
    public init(der: [UInt8]) throws(CertificateError) {
        guard !der.isEmpty else { throw .malformedDER("empty input") }
        guard der.count <= Int(Int32.max) else { throw .malformedDER("too large") }
        var consumed = 0
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let x = d2i_X509(nil, &cursor, Int(buffer.count))
            if let cursor, let base = buffer.baseAddress { consumed = cursor - base }
            return x
        }
        guard let parsed else { throw .malformedDER(OpenSSLError.drain()) }
        guard consumed == der.count else {
            X509_free(parsed)
            throw .malformedDER("\(der.count - consumed) trailing bytes after the certificate")
        }
        self.x509 = parsed
        self.der = der
        contentHash = Certificate.hash(der)
    }

    /// Takes ownership of an already parsed certificate.
    private init(owning x509: OpaquePointer, der: [UInt8]) {
        self.x509 = x509
        self.der = der
        contentHash = Certificate.hash(der)
    }

    private static func hash(_ der: [UInt8]) -> Int {
        var hasher = Hasher()
        der.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    /// The same DER bytes (the same instance, when CertificateCache made both).
    func isSame(as other: Certificate) -> Bool {
        self === other || (contentHash == other.contentHash && der == other.der)
    }

    deinit { X509_free(x509) }

    /// Every certificate of a PEM bundle, in order. Damage anywhere fails the
    /// whole bundle, so a truncated chain is never half-used.
    public static func parsePEMBundle(_ pem: [UInt8]) throws(CertificateError) -> [Certificate] {
        guard !pem.isEmpty, pem.count <= Int(Int32.max) else { throw .noCertificate }
        var certificates: [Certificate] = []
        var failure: CertificateError?
        pem.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                failure = .malformedPEM("out of memory")
                return
            }
            defer { BIO_free(bio) }
            ERR_clear_error()
            while true {
                guard let x = PEM_read_bio_X509(bio, nil, nil, nil) else {
                    let code = ERR_peek_last_error()
                    // Running out of BEGIN lines is the normal end of a bundle.
                    if ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE {
                        ERR_clear_error()
                    } else {
                        failure = .malformedPEM(OpenSSLError.drain())
                    }
                    return
                }
                var out: UnsafeMutablePointer<UInt8>?
                let length = i2d_X509(x, &out)
                guard length > 0, let out else {
                    X509_free(x)
                    failure = .malformedPEM(OpenSSLError.drain())
                    return
                }
                let der = Array(UnsafeBufferPointer(start: out, count: Int(length)))
                xdna_shim_OPENSSL_free(out)
                certificates.append(Certificate(owning: x, der: der))
            }
        }
        if let failure { throw failure }
        guard !certificates.isEmpty else { throw .noCertificate }
        return certificates
    }
}
