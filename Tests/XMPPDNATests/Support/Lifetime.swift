/// `withExtendedLifetime` for async bodies: keeps `owner` (a test server)
/// alive until `body` has finished awaiting.
func withLifetime<Owner, Result>(_ owner: Owner, _ body: () async throws -> Result) async rethrows -> Result {
    defer { withExtendedLifetime(owner) {} }
    return try await body()
}
