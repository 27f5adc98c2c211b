import CXMPPDNAShim
import XMPPDNACore
#if canImport(Glibc)
import Glibc
#endif

/// Valid PKIX paths of chains verified before, for one trust store (each
/// trust change makes a new store, and so an empty cache). A result is
/// reused only while the verification time lies inside its validity: from
/// the latest notBefore to the earliest notAfter on the path, where
/// X509_verify_cert would find the same path valid again. Failures are not
/// kept: at another time they may differ, and a server sees valid chains
/// again and again. Bounded; the least recently used go first.
public final class ChainPathCache: Sendable {
    /// The chain by content, leaf first. Through CertificateCache the same
    /// bytes are the same instance, and comparing them costs nothing.
    private struct Key: Hashable {
        let chain: [Certificate]
        let direction: PeerDirection

        static func == (a: Key, b: Key) -> Bool {
            a.direction == b.direction && a.chain.count == b.chain.count
                && zip(a.chain, b.chain).allSatisfy { $0.isSame(as: $1) }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(direction)
            for certificate in chain { hasher.combine(certificate.contentHash) }
        }
    }

    private let kept: Locked<RecentlyUsed<Key, PathVerification>>

    public static let defaultCapacity = 1024

    public init(capacity: Int = ChainPathCache.defaultCapacity) {
        kept = Locked(RecentlyUsed(capacity: capacity))
    }

    public var count: Int { kept.withLock { $0.count } }
    public var capacity: Int { kept.withLock { $0.capacity } }

    public func setCapacity(_ capacity: Int) { kept.withLock { $0.setCapacity(capacity) } }

    /// The path for `chain` at `time` (nil: now), verified by `verify` when
    /// no kept result holds at that time.
    public func path(_ chain: [Certificate], direction: PeerDirection, time: Int64?,
              verify: () -> PathVerification) -> PathVerification {
        let key = Key(chain: chain, direction: direction)
        let at = time ?? Int64(Glibc.time(nil))
        let earlier: PathVerification? = kept.withLock { kept in
            guard let path = kept.value(for: key), let validity = path.validity, validity.contains(at) else { return nil }
            return path
        }
        if let earlier { return earlier.asReused() }
        let path = verify()
        if path.status == .valid, path.validity != nil { kept.withLock { $0.set(path, for: key) } }
        return path
    }
}
