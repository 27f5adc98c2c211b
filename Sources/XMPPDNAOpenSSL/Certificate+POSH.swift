import CXMPPDNAShim
import XMPPDNACore

extension Certificate {
    /// The digests POSH compares with `hashes` (POSH.hashesNeeded): of the
    /// DER certificate and of its SubjectPublicKeyInfo.
    public func poshDigests(_ hashes: Set<POSHHash>) -> LeafDigests {
        var digests = LeafDigests()
        let subjects: [(POSH.Subject, [UInt8]?)] = [(.certificate, der), (.publicKey, associationBytes(.subjectPublicKeyInfo))]
        for hash in hashes {
            for case let (subject, bytes?) in subjects {
                digests[subject, hash] = Certificate.digest(bytes, hash.evp)
            }
        }
        return digests
    }
}

extension POSHHash {
    var evp: OpaquePointer? {
        switch self {
        case .sha256: return EVP_sha256()
        case .sha384: return EVP_sha384()
        case .sha512: return EVP_sha512()
        }
    }
}
