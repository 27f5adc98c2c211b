import XMPPDNACore

/// Certificates parsed before, by their DER bytes, shared by every context
/// of the process: a server sees the same few hundred peer chains again and
/// again, and decoding one (its key above all) costs more than the rest of
/// a verdict. A Certificate is immutable, so sharing it is safe; the same
/// instance also lets ChainPathCache find the chain's verification.
/// Bounded; the least recently used go first.
public final class CertificateCache: Sendable {
    public static let shared = CertificateCache(capacity: 2048)

    private struct Entry {
        let certificate: Certificate
        var lastUse: UInt64
    }

    /// DER bytes hashed as one block, not byte by byte.
    private struct DER: Hashable {
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private struct State {
        var entries: [DER: Entry] = [:]
        var clock: UInt64 = 0
    }

    public let capacity: Int
    private let state = Locked(State())

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { state.withLock { $0.entries.count } }

    /// The certificate of exactly these DER bytes, parsed once.
    public func certificate(der: [UInt8]) throws(CertificateError) -> Certificate {
        let key = DER(bytes: der)
        let kept: Certificate? = state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.certificate
        }
        if let kept { return kept }
        // Parsed outside the lock; two threads may both parse, and the later one is kept.
        let certificate = try Certificate(der: der)
        state.withLock { state in
            state.clock += 1
            state.entries[key] = Entry(certificate: certificate, lastUse: state.clock)
            guard state.entries.count > capacity else { return }
            let keep = capacity - capacity / 4
            let byAge = state.entries.sorted { $0.value.lastUse > $1.value.lastUse }
            state.entries = Dictionary(uniqueKeysWithValues: byAge.prefix(keep).map { ($0.key, $0.value) })
        }
        return certificate
    }
}
