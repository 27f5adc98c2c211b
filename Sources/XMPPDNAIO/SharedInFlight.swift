/// Work asked for by several tasks at once is done once: the first asker
/// does it, the others wait for its value (two verdicts for one domain make
/// one set of DNS queries, one POSH fetch). A first asker that is cancelled
/// hands nothing on; each waiter then does the work itself.
///
/// `Value` need not be Sendable: what is shared here (validated DNS
/// answers, fetched documents) is read-only once made.
public final class SharedInFlight<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    private struct Handed: @unchecked Sendable {
        let value: Value?
    }

    private let waiting = Guarded([Key: [CheckedContinuation<Handed, Never>]]())

    public init() {}

    public func value(for key: Key, make: () async -> Value) async -> Value {
        let leads = waiting.withLock { waiting -> Bool in
            guard waiting[key] == nil else { return false }
            waiting[key] = []
            return true
        }
        guard leads else {
            let handed = await withCheckedContinuation { (continuation: CheckedContinuation<Handed, Never>) in
                let queued = waiting.withLock { waiting -> Bool in
                    guard waiting[key] != nil else { return false }
                    waiting[key]!.append(continuation)
                    return true
                }
                // The first asker finished in between: do it again.
                if !queued { continuation.resume(returning: Handed(value: nil)) }
            }
            if let value = handed.value { return value }
            return await make()
        }
        let value = await make()
        let waiters = waiting.withLock { $0.removeValue(forKey: key) ?? [] }
        let handed = Handed(value: Task.isCancelled ? nil : value)
        for waiter in waiters { waiter.resume(returning: handed) }
        return value
    }
}
