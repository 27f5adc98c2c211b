import CXMPPDNAShim
import XMPPDNACore

extension Certificate {
    /// A CA certificate's nameConstraints extension (one OpenSSL put on a
    /// validated path), or nil without one. One that cannot be decoded is
    /// kept as unreadable, never dropped.
    static func nameConstraints(of x509: OpaquePointer) -> NameConstraints? {
        var critical: Int32 = 0
        guard let constraints = xdna_shim_X509_get_name_constraints(x509, &critical) else {
            if critical == -1 { return nil }
            ERR_clear_error()
            return NameConstraints(permitted: [.unreadable("the nameConstraints extension cannot be decoded")], excluded: [])
        }
        defer { xdna_shim_NAME_CONSTRAINTS_free(constraints) }
        return NameConstraints(permitted: Certificate.subtrees(constraints.pointee.permittedSubtrees),
                               excluded: Certificate.subtrees(constraints.pointee.excludedSubtrees))
    }

    private static func subtrees(_ stack: OpaquePointer?) -> [NameConstraints.Subtree] {
        guard let stack else { return [] }
        return (0..<xdna_shim_sk_GENERAL_SUBTREE_num(stack)).map { index in
            guard let entry = xdna_shim_sk_GENERAL_SUBTREE_value(stack, index)?.pointee, let base = entry.base else {
                return .unreadable("a subtree without a name")
            }
            let subtree = subtree(base)
            // RFC 5280 section 4.2.1.10: minimum 0, no maximum. OpenSSL fails a
            // chain on such a subtree of a form it checks; ours fail closed too.
            let minimum = entry.minimum.map { ASN1_INTEGER_get($0) } ?? 0
            if subtree != .other, minimum != 0 || entry.maximum != nil {
                return .unreadable("a subtree with a minimum or maximum, which RFC 5280 does not allow")
            }
            return subtree
        }
    }

    private static func subtree(_ name: UnsafeMutablePointer<GENERAL_NAME>) -> NameConstraints.Subtree {
        switch name.pointee.type {
        case GEN_DNS:
            guard let text = printableASCII(name.pointee.d.dNSName) else { return .unreadable("a dNSName subtree that is not ASCII") }
            return .dns(text.lowercased())
        case GEN_OTHERNAME:
            guard let other = name.pointee.d.otherName, let oid = otherNameOID(other) else {
                return .unreadable("an otherName subtree without a type")
            }
            switch oid {
            case oidSRVName:
                guard let value = other.pointee.value, value.pointee.type == V_ASN1_IA5STRING else {
                    return .unreadable("an SRVName subtree that is not an IA5String")
                }
                guard let text = printableASCII(value.pointee.value.asn1_string) else {
                    return .unreadable("an SRVName subtree that is not ASCII")
                }
                return NameConstraints.srvSubtree(text)
            case oidXmppAddr:
                return .xmppAddr
            default:
                return .other
            }
        default:
            return .other
        }
    }

    /// A subtree's text when every byte is printable ASCII other than space.
    private static func printableASCII(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String? {
        let raw = bytes(string)
        return raw.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) ? String(decoding: raw, as: UTF8.self) : nil
    }
}
