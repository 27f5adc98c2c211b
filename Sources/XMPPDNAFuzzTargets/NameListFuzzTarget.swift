import CXMPPDNA

/// xmppdna_names_build() from caller records. Input: one flags byte (bit 0
/// client service), a first line with the domain, then lines
/// "TYPE STATUS OWNER DATA" (TYPE one of S A 6 C for SRV, A, AAAA, CNAME;
/// DATA "-" for a denial, passed as NULL).
enum NameListFuzzTarget {
    static func run(_ input: inout FuzzInput) {
        let flags = input.byte()
        var lines = input.lines()[...]
        guard let domain = lines.popFirst() else { return }
        var owned: [[UInt8]] = []
        var specs: [(type: Int32, status: Int32, owner: Int, data: Int?)] = []
        for line in lines.prefix(256) {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, let letter = fields[0].first, let digit = fields[1].first else { continue }
            let type: Int32
            switch letter {
            case UInt8(ascii: "S"): type = XMPPDNA_RR_SRV
            case UInt8(ascii: "A"): type = XMPPDNA_RR_A
            case UInt8(ascii: "6"): type = XMPPDNA_RR_AAAA
            case UInt8(ascii: "C"): type = XMPPDNA_RR_CNAME
            default: type = Int32(letter)
            }
            owned.append(Array(fields[2]) + [0])
            let ownerIndex = owned.count - 1
            var dataIndex: Int?
            if !fields[3].elementsEqual([UInt8(ascii: "-")]) {
                owned.append(Array(fields[3]) + [0])
                dataIndex = owned.count - 1
            }
            specs.append((type, FuzzInput.dnssecStatus(digit: digit), ownerIndex, dataIndex))
        }
        let pointers = owned.map { bytes -> UnsafeMutablePointer<CChar> in
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            for (i, byte) in bytes.enumerated() { pointer[i] = CChar(bitPattern: byte) }
            return pointer
        }
        defer { pointers.forEach { $0.deallocate() } }
        let records = specs.map {
            xmppdna_record(owner: pointers[$0.owner], type: $0.type, status: $0.status, data: $0.data.map { pointers[$0] })
        }
        var names: OpaquePointer?
        let service = flags & 1 == 1 ? XMPPDNA_SERVICE_XMPP_CLIENT : XMPPDNA_SERVICE_XMPP_SERVER
        let rc = domain.withCString { xmppdna_names_build($0, service, records, records.count, &names) }
        VerdictReading.check((rc == XMPPDNA_OK) == (names != nil), "names_build returned \(rc) with a list \(names != nil)")
        if let names {
            VerdictReading.read(names: names)
            xmppdna_names_free(names)
        }
    }
}
