import XMPPDNACore

/// A DNA request plus the evidence a caller may supply instead of the
/// context's lookups: a value, so an async query keeps the copy it was
/// submitted with.
public struct DNAQuestion: @unchecked Sendable {
    /// The fields live in one copy-on-write box: a server hands the same
    /// question to every verdict, and a copy is then one retain, not one
    /// per array and string.
    private final class Fields {
        var request: DNARequest
        var names: NameList?
        var tlsa: [String: [(TLSARecord, DNSSECStatus)]] = [:]
        var poshDocument: [UInt8]?
        var dialback: DialbackResult?
        var presented: [PresentedIdentifier] = []
        var noLookups = false

        init(request: DNARequest) { self.request = request }

        func copy() -> Fields {
            let copy = Fields(request: request)
            copy.names = names
            copy.tlsa = tlsa
            copy.poshDocument = poshDocument
            copy.dialback = dialback
            copy.presented = presented
            copy.noLookups = noLookups
            return copy
        }
    }
    private var fields: Fields

    private var uniqueFields: Fields {
        mutating get {
            if !isKnownUniquelyReferenced(&fields) { fields = fields.copy() }
            return fields
        }
    }

    public var request: DNARequest {
        get { fields.request }
        _modify { yield &uniqueFields.request }
    }
    /// A name list the caller built (xmppdna_names_build) or looked up.
    public var names: NameList? {
        get { fields.names }
        _modify { yield &uniqueFields.names }
    }
    /// Supplied TLSA by "host:port", or "*" for every location.
    public var tlsa: [String: [(TLSARecord, DNSSECStatus)]] {
        get { fields.tlsa }
        _modify { yield &uniqueFields.tlsa }
    }
    /// A POSH document's JSON, used instead of a fetch.
    public var poshDocument: [UInt8]? {
        get { fields.poshDocument }
        _modify { yield &uniqueFields.poshDocument }
    }
    public var dialback: DialbackResult? {
        get { fields.dialback }
        _modify { yield &uniqueFields.dialback }
    }
    /// The leaf's identifiers as the caller parsed them, for a question
    /// without a chain.
    public var presented: [PresentedIdentifier] {
        get { fields.presented }
        _modify { yield &uniqueFields.presented }
    }
    /// Only what the question carries: no DNS, no POSH fetch.
    public var noLookups: Bool {
        get { fields.noLookups }
        _modify { yield &uniqueFields.noLookups }
    }

    public init(request: DNARequest) {
        fields = Fields(request: request)
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
