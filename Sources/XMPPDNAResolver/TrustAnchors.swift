import CLDNS
import XMPPDNACore

/// DNSSEC trust anchors: DS or DNSKEY records for a zone (normally the root).
final class TrustAnchors: @unchecked Sendable {
    let records: RRList

    /// The IANA root KSKs, key tags 20326 (KSK-2017) and 38696 (KSK-2024),
    /// as published at https://data.iana.org/root-anchors/root-anchors.xml.
    static let ianaRootDS = [
        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
        ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
    ]

    init(records: RRList) { self.records = records }

    /// Parses zone-file lines; comments and blank lines are skipped. Only DS
    /// and DNSKEY records are anchors; anything else is an error.
    static func parse(_ text: String) -> Result<TrustAnchors, DNSConfigurationError> {
        let list = RRList()
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: " \t")
            if line.isEmpty { continue }
            var rr: UnsafeMutablePointer<ldns_rr>?
            guard ldns_rr_new_frm_str(&rr, line, 3600, nil, nil) == LDNS_STATUS_OK, let rr else {
                return .failure(.badAnchor("cannot parse \"\(line)\""))
            }
            let type = UInt16(ldns_rr_get_type(rr).rawValue)
            guard type == DNSType.ds || type == DNSType.dnskey else {
                ldns_rr_free(rr)
                return .failure(.badAnchor("\"\(line)\" is neither DS nor DNSKEY"))
            }
            _ = ldns_rr_list_push_rr(list.list, rr)
        }
        guard !list.isEmpty else { return .failure(.badAnchor("no DS or DNSKEY record found")) }
        return .success(TrustAnchors(records: list))
    }

    // The embedded text is known to parse.
    static let ianaRoot = try! parse(ianaRootDS.joined(separator: "\n")).get()

    /// Anchors whose owner is `zone`.
    func anchors(for zone: DName) -> [UnsafeMutablePointer<ldns_rr>] {
        records.records.filter { ldns_dname_compare(ldns_rr_owner($0), zone.rdf) == 0 }
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var view = self
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}

/// A resolver configuration that cannot work.
public enum DNSConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    case badAnchor(String)
    case untrustedResolver(String)

    public var description: String {
        switch self {
        case .badAnchor(let why): return "trust anchor: \(why)"
        case .untrustedResolver(let why): return why
        }
    }
}
