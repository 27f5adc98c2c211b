/// One zone's link in the DNSSEC chain of trust, as `xmppdna check` shows
/// it: the DS records its parent publishes, its DNSKEYs, the signatures
/// over both, and the validator's judgement of the zone's keys. The records
/// are described for an operator; the status is the validator's own.
public struct ZoneTrustLink: Hashable, Sendable {
    public struct Delegation: Hashable, Sendable {
        public let keyTag: UInt16
        public let algorithm: UInt8
        public let digestType: UInt8
        /// A DNSKEY of the zone has this digest.
        public let matchesKey: Bool

        public init(keyTag: UInt16, algorithm: UInt8, digestType: UInt8, matchesKey: Bool) {
            self.keyTag = keyTag
            self.algorithm = algorithm
            self.digestType = digestType
            self.matchesKey = matchesKey
        }
    }

    public struct Key: Hashable, Sendable {
        public let keyTag: UInt16
        public let algorithm: UInt8
        public let flags: UInt16

        public init(keyTag: UInt16, algorithm: UInt8, flags: UInt16) {
            self.keyTag = keyTag
            self.algorithm = algorithm
            self.flags = flags
        }

        /// RFC 4034 section 2.1.1: the SEP bit marks a key-signing key.
        public var isKeySigningKey: Bool { flags & 0x0001 != 0 }
        /// RFC 5011 section 7.
        public var isRevoked: Bool { flags & 0x0080 != 0 }
    }

    public struct Signature: Hashable, Sendable {
        public let keyTag: UInt16
        public let algorithm: UInt8
        public let signer: String
        /// Seconds since 1970 (RFC 4034 section 3.1.5, read in serial
        /// arithmetic around the verification time).
        public let inception: Int64
        public let expiration: Int64
        /// nil: the signature verifies with the signer's keys at the
        /// verification time; otherwise why not.
        public let problem: String?

        public init(keyTag: UInt16, algorithm: UInt8, signer: String, inception: Int64, expiration: Int64, problem: String?) {
            self.keyTag = keyTag
            self.algorithm = algorithm
            self.signer = signer
            self.inception = inception
            self.expiration = expiration
            self.problem = problem
        }
    }

    /// The zone apex, "." for the root.
    public let zone: String
    /// The zone above, nil for the root.
    public let parent: String?
    /// A configured trust anchor names this zone.
    public let anchored: Bool
    /// Whether the zone's keys are trusted, and why not.
    public let status: DNSSECStatus
    public let delegations: [Delegation]
    public let delegationSignatures: [Signature]
    public let keys: [Key]
    public let keySignatures: [Signature]

    public init(zone: String, parent: String?, anchored: Bool, status: DNSSECStatus, delegations: [Delegation],
                delegationSignatures: [Signature], keys: [Key], keySignatures: [Signature]) {
        self.zone = zone
        self.parent = parent
        self.anchored = anchored
        self.status = status
        self.delegations = delegations
        self.delegationSignatures = delegationSignatures
        self.keys = keys
        self.keySignatures = keySignatures
    }
}
