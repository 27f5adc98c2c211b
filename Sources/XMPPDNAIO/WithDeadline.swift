/// Runs `body` until `deadline`: its value, or nil when the deadline came
/// first, in which case `body` is cancelled (its waits end at once and its
/// sockets close) and has finished when this returns.
public func withDeadline<T: Sendable>(_ deadline: Deadline, _ body: @escaping @Sendable () async -> T) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask(executorPreference: WorkerExecutor.shared) { await body() }
        group.addTask(executorPreference: WorkerExecutor.shared) {
            _ = await Readiness.sleep(until: deadline)
            return nil
        }
        let first = await group.next()!
        group.cancelAll()
        return first
    }
}
