/// Why the context could not answer at all (a verdict that says no is not an error).
public enum ContextError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No DNS server is configured, and the question needs DNS.
    case noServer
    /// Trust-AD mode, and the server is not one of the trusted resolvers.
    case untrustedResolver
    /// The trust store or the DNSSEC trust anchor cannot be loaded.
    case trust
    /// The question contradicts itself (names only, with more than PKI).
    case inconsistentRequest

    public var description: String {
        switch self {
        case .noServer: return "no DNS server is configured for a lookup"
        case .untrustedResolver: return "trust-ad mode needs a resolver on loopback or one marked trusted"
        case .trust: return "the trust store or the DNSSEC trust anchor could not be loaded"
        case .inconsistentRequest: return "names only applies to the PKI prooftype alone"
        }
    }
}
