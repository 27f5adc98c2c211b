import XMPPDNACore

/// Certificates taken before, by their DER bytes, shared by every context
/// of the process: a server sees the same few hundred peer chains again and
/// again, and decoding one (its key above all) costs more than the rest of
/// a verdict, so each is decoded once, by the first verdict that reads it.
/// A Certificate decodes under its own lock, so sharing it is safe; the same
/// instance also lets ChainPathCache find the chain's verification.
/// Bounded; the least recently used go first.
public final class CertificateCache: Sendable {
    public static let shared = CertificateCache(capacity: 2048)

    /// DER bytes hashed as one block, not byte by byte.
    private struct DER: Hashable {
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private let kept: Locked<RecentlyUsed<DER, Certificate>>

    public init(capacity: Int) {
        kept = Locked(RecentlyUsed(capacity: capacity))
    }

    public var count: Int { kept.withLock { $0.count } }
    public var capacity: Int { kept.withLock { $0.capacity } }

    public func setCapacity(_ capacity: Int) { kept.withLock { $0.setCapacity(capacity) } }

    /// The certificate of exactly these DER bytes, taken once.
    public func certificate(der: [UInt8]) throws(CertificateError) -> Certificate {
        let key = DER(bytes: der)
        if let earlier = kept.withLock({ $0.value(for: key) }) { return earlier }
        // Checked outside the lock; two threads may both make one, and the later one is kept.
        let certificate = try Certificate(der: der)
        kept.withLock { $0.set(certificate, for: key) }
        return certificate
    }
}
