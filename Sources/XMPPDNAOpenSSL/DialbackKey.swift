import CXMPPDNAShim
import XMPPDNACore

/// Dialback keys (XEP-0185, used by XEP-0220):
/// HEX(HMAC-SHA256(HEX(SHA256(secret)), receiving ' ' originating ' ' stream-id)).
///
/// Dialback proves only that the originating domain's authoritative server
/// knows the key, found through DNS: the association is only as trustworthy
/// as the DNS answers that located that server ("Secure DNS: needed in order
/// to really trust the information"). The verdict says so.
public enum DialbackKey {
    /// Hex digits of the key; nil only if OpenSSL fails.
    public static func generate(secret: [UInt8], receiving: String, originating: String, streamID: String) -> String? {
        guard let hashedSecret = sha256Hex(secret) else { return nil }
        let message = Array("\(receiving) \(originating) \(streamID)".utf8)
        let key = Array(hashedSecret.utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count), messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     messageBytes.count, &digest, &length)
            }
        }
        guard result != nil else { return nil }
        return hexString(digest.prefix(Int(length)))
    }

    /// Compares a received key with the expected one in constant time.
    public static func verify(_ received: String, secret: [UInt8], receiving: String, originating: String,
                              streamID: String) -> Bool {
        guard let expected = generate(secret: secret, receiving: receiving, originating: originating, streamID: streamID) else {
            return false
        }
        let a = Array(expected.utf8), b = Array(received.lowercased().utf8)
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 } }
    }

    static func sha256Hex(_ data: [UInt8]) -> String? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &digest, &length, EVP_sha256(), nil) }
        return ok == 1 ? hexString(digest.prefix(Int(length))) : nil
    }
}

/// What a dialback verification establishes.
public struct DialbackVerdict: Hashable, Sendable {
    public enum Strength: String, Sendable {
        /// The authoritative server was found through secure DNS.
        case strong
        /// Found through insecure DNS: an attacker on the DNS path could have
        /// answered the verification himself.
        case weak
    }

    public let keyMatches: Bool
    public let strength: Strength
    public let reason: String

    /// `dnsStatus` is the status of the records that located the
    /// originating domain's authoritative server.
    public init(keyMatches: Bool, dnsStatus: DNSSECStatus) {
        self.keyMatches = keyMatches
        strength = dnsStatus == .secure ? .strong : .weak
        if !keyMatches {
            reason = "the dialback key does not verify"
        } else if strength == .strong {
            reason = "the dialback key verifies and the authoritative server was found through DNSSEC-secured records"
        } else {
            reason = "the dialback key verifies, but the authoritative server was found through \(dnsStatus.tag) DNS, so the association is only as trustworthy as that DNS path"
        }
    }
}
