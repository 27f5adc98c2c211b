import XMPPDNACore

/// A certificate that is broken, as opposed to one that does not match.
public enum CertificateError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedDER(String)
    case malformedPEM(String)
    case noCertificate

    public var description: String {
        switch self {
        case .malformedDER(let why): return "malformed DER certificate: \(why)"
        case .malformedPEM(let why): return "malformed PEM certificate: \(why)"
        case .noCertificate: return "no certificate found"
        }
    }
}
