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

    private struct Entry {
        let path: PathVerification
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var clock: UInt64 = 0
    }

    public let capacity: Int
    private let state = Locked(State())

    public init(capacity: Int = 1024) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { state.withLock { $0.entries.count } }

    /// The path for `chain` at `time` (nil: now), verified by `verify` when
    /// no kept result holds at that time.
    public func path(_ chain: [Certificate], direction: PeerDirection, time: Int64?,
              verify: () -> PathVerification) -> PathVerification {
        let key = Key(chain: chain, direction: direction)
        let at = time ?? Int64(Glibc.time(nil))
        let kept: PathVerification? = state.withLock { state in
            guard var entry = state.entries[key], let validity = entry.path.validity, validity.contains(at) else { return nil }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.path
        }
        if let kept { return kept.asReused() }
        let path = verify()
        if path.status == .valid, path.validity != nil { keep(path, for: key) }
        return path
    }

    private func keep(_ path: PathVerification, for key: Key) {
        state.withLock { state in
            state.clock += 1
            state.entries[key] = Entry(path: path, lastUse: state.clock)
            guard state.entries.count > capacity else { return }
            // Evict the oldest quarter at once, so eviction's sort is rare.
            let keep = capacity - capacity / 4
            let byAge = state.entries.sorted { $0.value.lastUse > $1.value.lastUse }
            state.entries = Dictionary(uniqueKeysWithValues: byAge.prefix(keep).map { ($0.key, $0.value) })
        }
    }
}
