import XMPPDNACore

/// Why a network step failed, in words an operator can act on. The kind
/// lets callers tell a silent peer from a refusing one from a confused one.
public struct NetworkError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case timeout
        case refused
        case closed
        case tls
        case protocolError = "protocol"
        case system
        /// The task waiting for the peer was cancelled.
        case cancelled
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
