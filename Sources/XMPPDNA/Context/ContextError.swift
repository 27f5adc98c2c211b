/// Why the context could not answer at all (a verdict that says no is not an error).
public enum ContextError: Error, Hashable, Sendable {
    /// No DNS server is configured, and the question needs DNS.
    case noServer
    /// Trust-AD mode, and the server is not one of the trusted resolvers.
    case untrustedResolver
    /// The trust store or the DNSSEC trust anchor cannot be loaded.
    case trust
    /// The question contradicts itself (names only, with more than PKI).
    case inconsistentRequest
}
