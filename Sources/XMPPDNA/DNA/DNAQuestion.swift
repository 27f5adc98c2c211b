import XMPPDNACore

/// A DNA request plus the evidence a caller may supply instead of the
/// context's lookups: a value, so an async query keeps the copy it was
/// submitted with.
public struct DNAQuestion: @unchecked Sendable {
    public var request: DNARequest
    /// A name list the caller built (xmppdna_names_build) or looked up.
    public var names: NameList?
    /// Supplied TLSA by "host:port", or "*" for every location.
    public var tlsa: [String: [(TLSARecord, DNSSECStatus)]] = [:]
    /// A POSH document's JSON, used instead of a fetch.
    public var poshDocument: [UInt8]?
    public var dialback: DialbackResult?
    /// The leaf's identifiers as the caller parsed them, for a question
    /// without a chain.
    public var presented: [PresentedIdentifier] = []
    /// Only what the question carries: no DNS, no POSH fetch.
    public var noLookups = false

    public init(request: DNARequest) {
        self.request = request
    }

    /// The supplied TLSA answer for a location, if any.
    func suppliedTLSA(_ location: TLSALocation) -> DNSAnswer<TLSARecord>? {
        guard let supplied = tlsa["\(location.host.text):\(location.port)"] ?? tlsa["*"], let first = supplied.first else {
            return nil
        }
        let status = supplied.dropFirst().reduce(first.1) { $0.combined(with: $1.1) }
        return DNSAnswer(.records(supplied.map(\.0)), status: status)
    }
}
