/// A value made by its first reader; later readers wait for it.
actor FetchedOnce<Value: Sendable> {
    private let make: @Sendable () async -> Value
    private var made: Task<Value, Never>?

    init(_ make: @escaping @Sendable () async -> Value) { self.make = make }

    var value: Value {
        get async {
            if let made { return await made.value }
            let task = Task { await make() }
            made = task
            return await task.value
        }
    }
}
