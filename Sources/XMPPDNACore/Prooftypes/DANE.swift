/// The DANE prooftype (RFC 6698, RFC 7671, and RFC 7673 for SRV targets):
/// does the presented chain match the TLSA records of the endpoint?
public struct DANEOutcome: Hashable, Sendable {
    public enum Result: Hashable, Sendable {
        /// No secure, usable TLSA: other prooftypes decide.
        case notApplicable
        case accepted
        /// Secure TLSA that no certificate matches, or bogus TLSA: the
        /// connection fails; there is no PKIX fallback.
        case rejected
    }

    public let result: Result
    public let reason: String
    /// The record that matched, if any.
    public let matched: TLSARecord?
    /// The records considered after dropping unusable ones and weaker digests.
    public let usable: [TLSARecord]
    public let status: DNSSECStatus
}

public enum DANE {
    /// The records the X.509 adapter must check the chain against: the
    /// usable ones of a secure RRset; nil when the status or the records
    /// already decide.
    public static func recordsToCheck(_ records: [TLSARecord], status: DNSSECStatus) -> [TLSARecord]? {
        let usable = TLSARecord.usable(records)
        return status == .secure && !usable.isEmpty ? usable : nil
    }

    /// Evaluates `records` (with the DNSSEC status of their RRset) given
    /// `check`, OpenSSL's DANE verification of the chain against
    /// `recordsToCheck` (nil when none ran, or no chain was presented).
    /// `names` are the identifiers every usage but DANE-EE must find in the
    /// leaf: per RFC 7673 the SRV target and the source domain, matched by
    /// RFC 9525 rules rather than OpenSSL's host check.
    public static func evaluate(records: [TLSARecord], status: DNSSECStatus, check: DANECheck?,
                                leafIdentifiers: [PresentedIdentifier]?, names: [ReferenceIdentifier]) -> DANEOutcome {
        let usable = TLSARecord.usable(records)
        func outcome(_ result: DANEOutcome.Result, _ reason: String, _ matched: TLSARecord? = nil) -> DANEOutcome {
            DANEOutcome(result: result, reason: reason, matched: matched, usable: usable, status: status)
        }
        switch status {
        case .bogus(let why):
            return outcome(.rejected, "the TLSA records are bogus: \(why)")
        case .insecure:
            return outcome(.notApplicable, "the TLSA records are not DNSSEC-signed, so DANE does not apply")
        case .indeterminate(let why):
            // RFC 7672 section 2.2: dropping the TLSA answer must not remove the veto.
            return outcome(.rejected, "the TLSA lookup did not complete (\(why)), so the DANE state is unknown "
                                      + "and no other prooftype may accept")
        case .secure:
            break
        }
        guard !usable.isEmpty else {
            return outcome(.notApplicable, records.isEmpty ? "no TLSA records" : "no usable TLSA record (unknown parameters or bad digest lengths)")
        }
        guard let leafIdentifiers else { return outcome(.rejected, "no certificate was presented") }
        let published = "secure TLSA records exist (\(usable.map(\.description).joined(separator: ", ")))"
        switch check {
        case nil:
            return outcome(.rejected, "\(published), and the chain was not checked against them")
        case .noMatch:
            // `xmppdna check` reads this as a stale record after a rollover.
            return outcome(.rejected, "\(published) and no certificate of the chain matches any of them")
        case .failed(let chainStatus):
            let text: String
            if case .invalid(_, let depth, let why) = chainStatus { text = "\(why) (at depth \(depth))" } else { text = chainStatus.tag }
            return outcome(.rejected, "\(published) and OpenSSL's DANE verification of the chain fails: \(text)")
        case .matched(let match):
            let record = match.record
            guard let usage = record.usage, usage != .daneEE else {
                // RFC 7671 section 5.1: the key is the identity; no name or expiry check.
                return outcome(.accepted, "the leaf matches TLSA \(record) (DANE-EE)", record)
            }
            let presented = leafIdentifiers.map { $0.constrained(by: match.constraints) }
            guard !IdentityMatcher().matches(references: names, presented: presented).isEmpty else {
                return outcome(.rejected, "\(published); TLSA \(record) matches at depth \(match.depth), "
                                          + "but the leaf names none of \(names.map(\.value))")
            }
            return outcome(.accepted, "the chain verifies by TLSA \(record), matched at depth \(match.depth) (\(usage.name))", record)
        }
    }
}

extension TLSARecord.Usage {
    /// RFC 7218 mnemonic.
    var name: String {
        switch self {
        case .pkixTA: return "PKIX-TA"
        case .pkixEE: return "PKIX-EE"
        case .daneTA: return "DANE-TA"
        case .daneEE: return "DANE-EE"
        }
    }
}
