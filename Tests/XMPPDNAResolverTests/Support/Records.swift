import CLDNS
import Testing
@testable import XMPPDNAResolver

/// Records from presentation format, parsed by ldns as a zone file line
/// would be, held in one owned list so the borrowed pointers stay valid.
func records(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> RRList {
    let list = RRList()
    for line in lines {
        var rr: UnsafeMutablePointer<ldns_rr>?
        let status = ldns_rr_new_frm_str(&rr, line, 3600, nil, nil)
        let parsed = try #require(status == LDNS_STATUS_OK ? rr : nil, "ldns cannot parse \"\(line)\"",
                                  sourceLocation: sourceLocation)
        _ = ldns_rr_list_push_rr(list.list, parsed)
    }
    return list
}

func dname(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> DName {
    try #require(DName(text), "not a domain name: \(text)", sourceLocation: sourceLocation)
}

/// One signed zone's NSEC3 chain (RFC 5155 section 7.1), built from its
/// names and their types with the real SHA-1 hashes ldns computes, so a
/// test can pick the records a server would put in a denial: the one
/// matching a name, or the one covering it.
struct NSEC3Chain {
    struct Link {
        let name: String
        let hash: String
        let types: String
        let optOut: Bool
    }

    let zone: String
    let saltHex: String
    let iterations: UInt16
    /// Sorted by hash: the order of the chain.
    let links: [Link]

    /// `names`: each existing name (empty non-terminals included) with its
    /// types, "" for none; `optOut`: the names whose NSEC3 has the flag.
    init(zone: String, saltHex: String = "aabbccdd", iterations: UInt16 = 12,
         names: [(String, String)], optOut: Set<String> = []) throws {
        self.zone = zone
        self.saltHex = saltHex
        self.iterations = iterations
        var links: [Link] = []
        for (owner, types) in names {
            let hash = try NSEC3Chain.hash(owner, saltHex: saltHex, iterations: iterations)
            links.append(Link(name: owner, hash: hash, types: types, optOut: optOut.contains(owner)))
        }
        self.links = links.sorted { $0.hash < $1.hash }
    }

    /// The base32hex SHA-1 hash of `name` (RFC 5155 section 5), by ldns.
    static func hash(_ name: String, saltHex: String = "aabbccdd", iterations: UInt16 = 12) throws -> String {
        let owner = try dname(name)
        var salt: [UInt8] = []
        var hex = Substring(saltHex == "-" ? "" : saltHex)
        while !hex.isEmpty {
            salt.append(try #require(UInt8(hex.prefix(2), radix: 16)))
            hex = hex.dropFirst(2)
        }
        let hashed = try #require(withExtendedLifetime(owner) {
            ldns_nsec3_hash_name(owner.rdf, 1, iterations, UInt8(salt.count), salt)
        })
        return DName(owning: hashed).text
    }

    func hash(_ name: String) throws -> String {
        try NSEC3Chain.hash(name, saltHex: saltHex, iterations: iterations)
    }

    /// The NSEC3 of the link at `index`, pointing to the next one (the last to the first).
    /// `flags` and `algorithm` override the record's own (opt-out and SHA-1).
    func text(_ index: Int, optOut: Bool? = nil, types: String? = nil, zone: String? = nil,
              flags: Int? = nil, algorithm: Int = 1) -> String {
        let link = links[index], next = links[(index + 1) % links.count]
        let flags = flags ?? ((optOut ?? link.optOut) ? 1 : 0)
        return "\(link.hash).\(zone ?? self.zone). 3600 IN NSEC3 \(algorithm) \(flags) \(iterations) \(saltHex) "
            + "\(next.hash) \(types ?? link.types)"
    }

    /// The NSEC3 whose owner hash is the hash of `name`.
    func matching(_ name: String, optOut: Bool? = nil, types: String? = nil) throws -> String {
        let hashed = try hash(name)
        let index = try #require(links.firstIndex { $0.hash == hashed }, "\(name) is not in the chain")
        return text(index, optOut: optOut, types: types)
    }

    /// The NSEC3 whose span holds the hash of `name`, strictly.
    func covering(_ name: String, optOut: Bool? = nil) throws -> String {
        try text(coveringIndex(name), optOut: optOut)
    }

    func coveringIndex(_ name: String) throws -> Int {
        let hashed = try hash(name)
        #expect(!links.contains { $0.hash == hashed }, "\(name) exists: no NSEC3 covers it")
        // The last link whose hash sorts before; none: the last link, which wraps.
        return links.lastIndex { $0.hash < hashed } ?? links.count - 1
    }

    /// Runs `body` on the proof over `lines` (for the chain's zone unless
    /// told), the parsed records kept alive meanwhile: the proof borrows them.
    func withProof<T>(_ lines: [String], zone: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: (NSEC3Proof) throws -> T) throws -> T {
        let list = try records(lines, sourceLocation: sourceLocation)
        return try withExtendedLifetime(list) {
            switch NSEC3Proof.make(zone: try dname(zone ?? self.zone), from: list.records) {
            case .success(let proof): return try body(proof)
            case .failure(let unusable):
                Issue.record("the NSEC3 set is unusable: \(unusable.reason)", sourceLocation: sourceLocation)
                throw unusable
            }
        }
    }

    /// Why `NSEC3Proof.make` refuses `lines`; nil when it accepts them.
    func refusal(_ lines: [String], zone: String? = nil) throws -> String? {
        let list = try records(lines)
        return try withExtendedLifetime(list) {
            switch NSEC3Proof.make(zone: try dname(zone ?? self.zone), from: list.records) {
            case .success: return nil
            case .failure(let unusable): return unusable.reason
            }
        }
    }
}

/// Runs `body` on the NSEC record parsed from `line`, kept alive meanwhile.
func withNSEC<T>(_ line: String, sourceLocation: SourceLocation = #_sourceLocation,
                 _ body: (NSECProof.Record) throws -> T) throws -> T {
    let list = try records([line], sourceLocation: sourceLocation)
    return try withExtendedLifetime(list) {
        let record = try #require(NSECProof.Record(list[0]), "not an NSEC: \(line)", sourceLocation: sourceLocation)
        return try body(record)
    }
}

/// The names of the signed zone of RFC 5155 Appendix A with their types,
/// its salt AABBCCDD and 12 iterations, without its opt-out flags (each
/// test sets the ones it needs). c.example is the unsigned delegation the
/// appendix opts out of the chain; w.example and y.w.example are empty
/// non-terminals.
func rfc5155Chain(optOut: Set<String> = []) throws -> NSEC3Chain {
    try NSEC3Chain(zone: "example", names: [
        ("example", "NS SOA MX RRSIG DNSKEY NSEC3PARAM"),
        ("a.example", "NS DS RRSIG"),
        ("ai.example", "A HINFO AAAA RRSIG"),
        ("ns1.example", "A RRSIG"),
        ("ns2.example", "A RRSIG"),
        ("w.example", ""),
        ("*.w.example", "MX RRSIG"),
        ("x.w.example", "MX RRSIG"),
        ("y.w.example", ""),
        ("x.y.w.example", "MX RRSIG"),
        ("xx.example", "A HINFO AAAA RRSIG"),
    ], optOut: optOut)
}

/// A name from a literal, for use inside expectations.
func n(_ text: String) -> DName {
    guard let name = DName(text) else { fatalError("not a domain name: \(text)") }
    return name
}
