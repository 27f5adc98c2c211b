import CXMPPDNAShim
import XMPPDNACore

/// One X.509 certificate, owned: its DER bytes, and OpenSSL's decoded
/// object, made the first time something reads it and then reused by every
/// later question (identifiers, chain building). A verdict that never reads
/// a certificate never decodes it: decoding, its key above all, is most of
/// what OpenSSL spends on a chain (a DANE-EE match reads only the leaf).
public final class Certificate: @unchecked Sendable {
    public let der: [UInt8]
    private let decoding: Locked<Decoding>
    /// `presentedIdentifiers`, once read.
    let identifiers = Locked<[PresentedIdentifier]?>(nil)
    /// A hash of `der`, for caches keyed by content.
    let contentHash: Int

    private enum Decoding {
        case pending
        case decoded(OpaquePointer)
        case failed(String)
    }

    /// Takes exactly one DER certificate. Its shape is checked now (one
    /// SEQUENCE of the TBSCertificate, the algorithm and the signature,
    /// nothing after it); the rest is decoded when first read, and a
    /// certificate that does not decode then fails what reads it.
    public init(der: [UInt8]) throws(CertificateError) {
        guard !der.isEmpty else { throw .malformedDER("empty input") }
        guard der.count <= Int(Int32.max) else { throw .malformedDER("too large") }
        guard der.withUnsafeBufferPointer({ xdna_shim_der_is_certificate_shaped($0.baseAddress, $0.count) == 1 }) else {
            throw .malformedDER("not one DER certificate (a SEQUENCE of the TBSCertificate, the signature algorithm and "
                                + "the signature, with nothing after it)")
        }
        self.der = der
        decoding = Locked(.pending)
        contentHash = Certificate.hash(der)
    }

    /// The decoding, done now if nothing has read the certificate before.
    private var decoded: Decoding {
        decoding.withLock { state in
            if case .pending = state { state = Certificate.decode(der) }
            return state
        }
    }

    /// OpenSSL's object for this certificate, decoded on first use; nil when
    /// the bytes do not decode (`decodingProblem` says why).
    var x509: OpaquePointer? {
        if case .decoded(let x509) = decoded { return x509 }
        return nil
    }

    /// Why the certificate does not decode, or nil if it does.
    public var decodingProblem: String? {
        if case .failed(let problem) = decoded { return problem }
        return nil
    }

    /// Whether anything has read the certificate yet.
    var isDecoded: Bool {
        decoding.withLock { state in
            if case .pending = state { return false }
            return true
        }
    }

    private static func decode(_ der: [UInt8]) -> Decoding {
        var consumed = 0
        ERR_clear_error()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let x = d2i_X509(nil, &cursor, Int(buffer.count))
            if let cursor, let base = buffer.baseAddress { consumed = cursor - base }
            return x
        }
        guard let parsed else { return .failed("the certificate does not decode: \(OpenSSLError.drain())") }
        // The shape check made the outer SEQUENCE span the input exactly.
        guard consumed == der.count else {
            X509_free(parsed)
            return .failed("the certificate does not decode: \(der.count - consumed) bytes left over")
        }
        return .decoded(parsed)
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

    deinit {
        decoding.withLock { state in
            if case .decoded(let x509) = state { X509_free(x509) }
        }
    }

    /// Every certificate of a PEM bundle, in order, through `cache` when
    /// given. Damage anywhere fails the whole bundle, so a truncated chain is
    /// never half-used. Blocks of other kinds (a key beside the chain) are
    /// skipped, as PEM_read_bio_X509 skips them.
    public static func parsePEMBundle(_ pem: [UInt8], cache: CertificateCache? = nil) throws(CertificateError) -> [Certificate] {
        var certificates: [Certificate] = []
        for der in try derBlocks(ofPEM: pem) {
            if let cache {
                certificates.append(try cache.certificate(der: der))
            } else {
                certificates.append(try Certificate(der: der))
            }
        }
        return certificates
    }

    /// The DER bytes of every CERTIFICATE block, without decoding them.
    private static func derBlocks(ofPEM pem: [UInt8]) throws(CertificateError) -> [[UInt8]] {
        guard !pem.isEmpty, pem.count <= Int(Int32.max) else { throw .noCertificate }
        var blocks: [[UInt8]] = []
        var failure: CertificateError?
        pem.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                failure = .malformedPEM("out of memory")
                return
            }
            defer { BIO_free(bio) }
            ERR_clear_error()
            while true {
                var data: UnsafeMutablePointer<UInt8>?
                var length = 0
                var name: UnsafeMutablePointer<CChar>?
                guard PEM_bytes_read_bio(&data, &length, &name, "CERTIFICATE", bio, nil, nil) == 1, let data else {
                    let code = ERR_peek_last_error()
                    // Running out of BEGIN lines is the normal end of a bundle.
                    if ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE {
                        ERR_clear_error()
                    } else {
                        failure = .malformedPEM(OpenSSLError.drain())
                    }
                    return
                }
                blocks.append(Array(UnsafeBufferPointer(start: data, count: length)))
                xdna_shim_OPENSSL_free(data)
                xdna_shim_OPENSSL_free(name)
            }
        }
        if let failure { throw failure }
        guard !blocks.isEmpty else { throw .noCertificate }
        return blocks
    }
}
