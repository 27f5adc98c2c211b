import CXMPPDNAShim
import XMPPDNACore

extension Certificate {
    /// The bytes a TLSA selector names: the whole certificate, or its
    /// SubjectPublicKeyInfo (RFC 6698 section 2.1.2).
    func associationBytes(_ selector: TLSARecord.Selector) -> [UInt8]? {
        switch selector {
        case .fullCertificate:
            return der
        case .subjectPublicKeyInfo:
            guard let x509, let key = X509_get_X509_PUBKEY(x509) else { return nil }
            var out: UnsafeMutablePointer<UInt8>?
            let length = i2d_X509_PUBKEY(key, &out)
            guard length > 0, let out else { return nil }
            defer { xdna_shim_OPENSSL_free(out) }
            return Array(UnsafeBufferPointer(start: out, count: Int(length)))
        }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 } }
    }

    static func digest(_ bytes: [UInt8], _ type: OpaquePointer?) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &out, &length, type, nil) }
        return ok == 1 ? Array(out.prefix(Int(length))) : nil
    }
}
