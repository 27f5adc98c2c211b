import XMPPDNACore

/// Lookups that ask the same question at once share one resolution: the
/// first asks, the others wait for its answer (two verdicts for one domain
/// make one set of queries). A first asker that is cancelled hands nothing
/// on; each waiter then asks for itself.
final class InFlightQuestions: Sendable {
    /// An answer's records are read-only once made; the cache shares them
    /// the same way.
    private struct Shared: @unchecked Sendable {
        let answer: DNSSECValidator.Answer?
    }

    private let waiting = Locked([DNSCache.Key: [CheckedContinuation<Shared, Never>]]())

    func answer(for key: DNSCache.Key, resolve: () async -> DNSSECValidator.Answer) async -> DNSSECValidator.Answer {
        let leads = waiting.withLock { waiting -> Bool in
            guard waiting[key] == nil else { return false }
            waiting[key] = []
            return true
        }
        if !leads {
            let shared = await withCheckedContinuation { (continuation: CheckedContinuation<Shared, Never>) in
                let asked = waiting.withLock { waiting -> Bool in
                    guard waiting[key] != nil else { return false }
                    waiting[key]!.append(continuation)
                    return true
                }
                // The first asker finished in between: ask again.
                if !asked { continuation.resume(returning: Shared(answer: nil)) }
            }
            if let answer = shared.answer { return answer }
            return await resolve()
        }
        let answer = await resolve()
        let waiters = waiting.withLock { $0.removeValue(forKey: key) ?? [] }
        let handed = Shared(answer: Task.isCancelled ? nil : answer)
        for waiter in waiters { waiter.resume(returning: handed) }
        return answer
    }
}
