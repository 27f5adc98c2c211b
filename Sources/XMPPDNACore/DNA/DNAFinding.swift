/// One thing a prooftype found, typed: a stable code, what it concerns
/// (`subject`: a TLSA owner, a POSH URL…), the expected and the seen values,
/// the DNSSEC status of the records involved and OpenSSL's error. The
/// English `text` is rendered from these fields, so a server reacts to the
/// code and a person reads the text, and the two never disagree.
public struct DNAFinding: Hashable, Sendable {
    public let code: DNAFindingCode
    public let prooftype: Prooftype
    public var subject: String?
    public var expected: String? {
        get { expectedValue?.text }
        set { expectedValue = newValue.map(Value.text) }
    }
    public var seen: String? {
        get { seenValue?.text }
        set { seenValue = newValue.map(Value.text) }
    }
    public var dnssec: DNSSECStatus?
    /// OpenSSL's X509_V_ERR_* for a chain that failed, else 0.
    public var opensslCode: Int32 = 0
    /// The certificate's depth in the chain (a match, a failure), else 0.
    public var depth: Int = 0
    /// The rest of the sentence that no other field holds (an error's text).
    public var detail: String?

    /// An expected or seen value, kept as the identifier it describes until
    /// someone reads it: a name check on the hot path makes no text.
    private enum Value: Hashable, Sendable {
        case text(String)
        case reference(ReferenceIdentifier)
        case presented(PresentedIdentifier)

        var text: String {
            switch self {
            case .text(let text): return text
            case .reference(let reference): return reference.description
            case .presented(let presented): return presented.description
            }
        }
    }

    private var expectedValue: Value?
    private var seenValue: Value?

    public init(_ code: DNAFindingCode, _ prooftype: Prooftype, subject: String? = nil, expected: String? = nil,
                seen: String? = nil, dnssec: DNSSECStatus? = nil, opensslCode: Int32 = 0, depth: Int = 0,
                detail: String? = nil) {
        self.code = code
        self.prooftype = prooftype
        self.subject = subject
        expectedValue = expected.map(Value.text)
        seenValue = seen.map(Value.text)
        self.dnssec = dnssec
        self.opensslCode = opensslCode
        self.depth = depth
        self.detail = detail
    }

    /// A name match: `reference` matched by `presented`.
    public init(_ code: DNAFindingCode, _ prooftype: Prooftype, reference: ReferenceIdentifier, presented: PresentedIdentifier) {
        self.init(code, prooftype)
        expectedValue = .reference(reference)
        seenValue = .presented(presented)
    }

    /// The same finding about `subject` (a TLSA owner name).
    public func about(_ subject: String) -> DNAFinding {
        var copy = self
        copy.subject = subject
        return copy
    }

    /// The RFC 8914 Extended DNS Error code when the records were bogus, else 0.
    public var extendedErrorCode: UInt16 {
        if case .bogus(let reason) = dnssec { return reason.extendedErrorCode }
        return 0
    }

    /// One English sentence; a finding about one TLSA location starts with
    /// its owner name.
    public var text: String {
        if let subject, prooftype == .dane, Self.perLocation.contains(code) { return "\(subject): \(sentence)" }
        return sentence
    }

    private static let perLocation: Set<DNAFindingCode> = [
        .daneMatched, .tlsaBogus, .tlsaInsecure, .tlsaIndeterminate, .tlsaNone, .tlsaUnusable, .tlsaMismatch,
        .daneChainInvalid, .daneNameMismatch, .daneNotChecked, .noCertificate,
    ]

    private var sentence: String {
        let expected = expected ?? "", seen = seen ?? "", detail = detail ?? ""
        let ofSource = subject.map { " of \($0)" } ?? ""
        switch code {
        case .alreadyAccepted: return "\(seen) already accepted"
        case .afterDANERejection: return "DANE rejected the chain"
        case .noCertificate: return "no certificate was presented"

        case .pkiNameMatched: return "the chain passes PKIX and \(expected) matches the presented \(seen)"
        case .pkiChainInvalid: return "the certificate chain does not verify: \(seen) (at depth \(depth))"
        case .pkiNoNameMatches:
            return "no presented identifier matches: "
                + (expected.isEmpty ? "no reference identifiers were given" : "expected \(expected)") + "; "
                + (seen.isEmpty ? "the certificate offers no usable identifier" : "the certificate offers \(seen)")
        case .pkiNameOnlyInCN:
            return "the certificate names its host only in the subject CN, which RFC 9525 no longer uses (legacy CN fallback is off)"
        case .pkiIdentifierIgnored: return "ignored presented \(seen): it \(detail)"
        case .delegationNotSecure:
            let status = dnssec == .insecure ? "insecure" : dnssec?.description ?? "not secure"
            return "delegation via SRV is \(status), so SRV targets are not acceptable names"
        case .pkiChainNotChecked: return "\(expected) matches the presented \(seen); the chain was not checked (names only)"

        case .daneMatched:
            if detail == "DANE-EE" { return "the leaf matches TLSA \(seen) (DANE-EE)" }
            return "the chain verifies by TLSA \(seen), matched at depth \(depth) (\(detail))"
        case .tlsaBogus:
            if case .bogus(let why) = dnssec { return "the TLSA records are bogus: \(why)" }
            return "the TLSA records are bogus"
        case .tlsaInsecure: return "the TLSA records are not DNSSEC-signed, so DANE does not apply"
        case .tlsaIndeterminate:
            return "the TLSA lookup did not complete (\(Self.why(dnssec))), so the DANE state is unknown "
                + "and no other prooftype may accept"
        case .tlsaNone: return "no TLSA records"
        case .tlsaUnusable: return "no usable TLSA record (unknown parameters or bad digest lengths)"
        case .tlsaMismatch: return "secure TLSA records exist (\(expected)) and no certificate of the chain matches any of them"
        case .daneChainInvalid:
            return "secure TLSA records exist (\(expected)) and OpenSSL's DANE verification of the chain fails: \(detail)"
        case .daneNameMismatch:
            return "secure TLSA records exist (\(detail)); TLSA \(seen) matches at depth \(depth), but the leaf names none of \(expected)"
        case .daneNotChecked: return "secure TLSA records exist (\(expected)), and the chain was not checked against them"
        case .endpointNotCandidate: return "\(seen) is not a connection candidate of \(expected)"
        case .endpointPathNotSecure:
            return "the records leading to \(seen) are \(dnssec?.tag ?? "not secure"), so its TLSA records do not count (RFC 7673 section 3)"
        case .noSecureCandidate: return "no connection candidate has a secure SRV, A and AAAA path"
        case .tlsaNotLookedUp: return "no TLSA lookup for \(subject ?? "")"
        case .tlsaFailedInUnsignedZone:
            return "\(subject ?? ""): no TLSA answer (\(Self.why(dnssec))), but \(seen) is proven unsigned, so DANE does not apply"
        case .tlsaNoLocation: return "no TLSA location applies"

        case .poshMatched: return "the presented \(seen) matches \(expected) fingerprint \(detail)\(ofSource)"
        case .poshMismatch:
            let count = expected.isEmpty ? 0 : expected.split(separator: ",").count
            return "the presented certificate matches none of the \(count) published fingerprints (\(expected))\(ofSource)"
        case .poshReferenceUnfetched: return "the document is a reference to \(seen); fetch it first"
        case .poshUnavailable: return "POSH is not available here (no fetcher and no document)"
        case .poshMalformed: return "malformed POSH document: \(detail)"
        case .poshBadURL: return "bad POSH url: \(detail)"
        case .poshReferenceNotFollowed: return "POSH reference not followed: \(detail)"
        case .poshFetchFailed, .poshNotPublished: return "POSH fetch failed: \(detail)"

        case .dialbackStrong:
            return "dialback verified; every record that located the authoritative server (SRV, CNAME, A, AAAA) was "
                + "DNSSEC-secure, so this is strong"
        case .dialbackWeak: return "dialback verified; \(Self.weakDNS)"
        case .dialbackFailed: return "the dialback key did not verify"
        case .dialbackWeakRefused: return "dialback verified, but \(Self.weakDNS), and policy refuses weak dialback"
        case .dialbackNotSupplied: return "no dialback result was supplied"
        }
    }

    private static let weakDNS = "the DNS that located the authoritative server was not proven secure, so this is weak: "
        + "it holds only as far as DNS can be trusted"

    private static func why(_ status: DNSSECStatus?) -> String {
        if case .indeterminate(let why) = status { return why }
        return status?.description ?? "unknown"
    }
}
