/// The Domain Name Association prooftypes xmppdna evaluates (RFC 7712
/// section 3 and the DNA slides): which fits which deployment is in the
/// README. Raw values are the CLI and JSON names.
public enum Prooftype: String, CaseIterable, Hashable, Sendable {
    case dane
    case pki
    case posh
    case dialback

    /// DANE first (a secure mismatch must end the matter), then PKI, then
    /// POSH, then dialback if the caller ran it.
    public static let defaultOrder: [Prooftype] = [.dane, .pki, .posh, .dialback]

    /// "dane,pki,posh" to an ordered list without repeats.
    public static func parseList(_ text: String) -> [Prooftype]? {
        var list: [Prooftype] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let prooftype = Prooftype(rawValue: item.trimmingCharacters().lowercased()), !list.contains(prooftype) else {
                return nil
            }
            list.append(prooftype)
        }
        return list.isEmpty ? nil : list
    }
}

/// What the caller's XEP-0220 exchange concluded, if it ran one.
public enum DialbackResult: Hashable, Sendable {
    case verified
    case failed
}

/// How far a successful dialback can be trusted: only as far as the DNS
/// that led to the authoritative server ("Secure DNS: needed in order to
/// really trust the information").
public enum DialbackStrength: String, Hashable, Sendable {
    case strong
    case weak
}
