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
    public let finding: DNAFinding
    public var reason: String { finding.text }
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
        func outcome(_ result: DANEOutcome.Result, _ finding: DNAFinding, _ matched: TLSARecord? = nil) -> DANEOutcome {
            DANEOutcome(result: result, finding: finding, matched: matched, usable: usable, status: status)
        }
        func finding(_ code: DNAFindingCode, expected: String? = nil, seen: String? = nil, opensslCode: Int32 = 0,
                     depth: Int = 0, detail: String? = nil) -> DNAFinding {
            DNAFinding(code, .dane, expected: expected, seen: seen, dnssec: status, opensslCode: opensslCode, depth: depth,
                       detail: detail)
        }
        switch status {
        case .bogus:
            return outcome(.rejected, finding(.tlsaBogus))
        case .insecure:
            return outcome(.notApplicable, finding(.tlsaInsecure))
        case .indeterminate:
            // RFC 7672 section 2.2: dropping the TLSA answer must not remove the veto.
            return outcome(.rejected, finding(.tlsaIndeterminate))
        case .secure:
            break
        }
        guard !usable.isEmpty else {
            return outcome(.notApplicable, finding(records.isEmpty ? .tlsaNone : .tlsaUnusable))
        }
        guard let leafIdentifiers else { return outcome(.rejected, finding(.noCertificate)) }
        let published = usable.map(\.description).joined(separator: ", ")
        switch check {
        case nil:
            return outcome(.rejected, finding(.daneNotChecked, expected: published))
        case .noMatch:
            // `xmppdna check` reads this code as a stale record after a rollover.
            return outcome(.rejected, finding(.tlsaMismatch, expected: published))
        case .failed(let chainStatus):
            if case .invalid(let code, let depth, let why) = chainStatus {
                return outcome(.rejected, finding(.daneChainInvalid, expected: published, seen: why, opensslCode: code,
                                                  depth: Int(depth), detail: "\(why) (at depth \(depth))"))
            }
            return outcome(.rejected, finding(.daneChainInvalid, expected: published, seen: chainStatus.tag, detail: chainStatus.tag))
        case .matched(let match):
            let record = match.record
            guard let usage = record.usage, usage != .daneEE else {
                // RFC 7671 section 5.1: the key is the identity; no name or expiry check.
                return outcome(.accepted, finding(.daneMatched, seen: record.description, detail: "DANE-EE"), record)
            }
            let presented = leafIdentifiers.map { $0.constrained(by: match.constraints) }
            guard !IdentityMatcher().matches(references: names, presented: presented).isEmpty else {
                return outcome(.rejected, finding(.daneNameMismatch, expected: "\(names.map(\.value))", seen: record.description,
                                                  depth: match.depth, detail: published))
            }
            return outcome(.accepted, finding(.daneMatched, seen: record.description, depth: match.depth, detail: usage.name), record)
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
