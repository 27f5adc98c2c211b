/// The fuzz targets: each takes one input from libFuzzer (or a corpus file)
/// and drives it through the entry points a server calls. A finding is a
/// crash, a sanitizer report, or a broken invariant, which traps.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// DER and PEM chains through the PKI verdict.
    case chain
    /// Random reference identifiers against random presented identifiers.
    case match
    /// DNS-ID matching against OpenSSL's X509_check_host where both follow RFC 9525.
    case matchOpenSSL = "match-openssl"
    /// TLSA rdata and DANE matching.
    case tlsa
    /// POSH documents through the POSH prooftype.
    case posh
    /// Raw DNS replies through the resolver's parse and validate path.
    case dns
    /// The name-list builder from caller-supplied records.
    case names
    /// A POSH server's HTTP response: status line, fields, framing, redirects.
    case http

    public func run(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        switch self {
        case .chain: ChainFuzzTarget.run(&input)
        case .match: MatchFuzzTarget.run(&input)
        case .matchOpenSSL: MatchDifferentialFuzzTarget.run(&input)
        case .tlsa: TLSAFuzzTarget.run(&input)
        case .posh: POSHFuzzTarget.run(&input)
        case .dns: DNSResponseFuzzTarget.run(&input)
        case .names: NameListFuzzTarget.run(&input)
        case .http: HTTPFuzzTarget.run(&input)
        }
    }
}
