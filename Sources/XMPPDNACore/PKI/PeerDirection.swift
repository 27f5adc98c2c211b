/// Which side presented the certificate, numbered as the C ABI numbers it.
/// It selects the key purpose the chain must be fit for.
public enum PeerDirection: Int32, Sendable {
    /// We connected; the peer acts as a TLS server.
    case outbound = 0
    /// The peer connected and presented a client certificate. Real s2s
    /// certificates carry serverAuth or clientAuth, so either is accepted.
    case inbound = 1
}
