import CXMPPDNAShim
import XMPPDNACore

extension Certificate {
    /// The identifiers this certificate presents: every subjectAltName entry
    /// of a kind RFC 9525 or RFC 6120 knows, then the subject CNs. Kinds that
    /// play no part (email, directory names, unknown otherNames) are skipped.
    /// Read once, on first use, then kept with the certificate.
    public var presentedIdentifiers: [PresentedIdentifier] {
        identifiers.withLock { kept in
            if let kept { return kept }
            var read = subjectAltNameIdentifiers
            read += commonNames.map { PresentedIdentifier(type: .cn, raw: $0) }
            kept = read
            return read
        }
    }

    static let oidSRVName = "1.3.6.1.5.5.7.8.7"
    static let oidXmppAddr = "1.3.6.1.5.5.7.8.5"

    private var subjectAltNameIdentifiers: [PresentedIdentifier] {
        // Undecodable, it presents nothing usable, and never a CN to fall back on.
        guard let x509 else {
            return [PresentedIdentifier(type: .dns, raw: [], problem: .invalidSyntax("is in a certificate that does not decode"))]
        }
        var critical: Int32 = 0
        guard let names = xdna_shim_X509_get_subject_alt_names(x509, &critical) else {
            // -1: no SAN at all. Anything else: present but undecodable or
            // repeated, which must not quietly turn into "no SAN" (that would
            // open the legacy CN fallback), so report an unusable entry.
            if critical == -1 { return [] }
            ERR_clear_error()
            return [PresentedIdentifier(type: .dns, raw: [],
                                        problem: .invalidSyntax("is a subjectAltName extension that cannot be decoded"))]
        }
        defer { xdna_shim_GENERAL_NAMES_free(names) }
        var identifiers: [PresentedIdentifier] = []
        for i in 0..<xdna_shim_sk_GENERAL_NAME_num(names) {
            guard let name = xdna_shim_sk_GENERAL_NAME_value(names, i) else { continue }
            switch name.pointee.type {
            case GEN_DNS:
                identifiers.append(PresentedIdentifier(type: .dns, raw: Certificate.bytes(name.pointee.d.dNSName)))
            case GEN_IPADD:
                identifiers.append(PresentedIdentifier(type: .ip, raw: Certificate.bytes(name.pointee.d.iPAddress)))
            case GEN_URI:
                identifiers.append(PresentedIdentifier(type: .uri, raw: Certificate.bytes(name.pointee.d.uniformResourceIdentifier)))
            case GEN_OTHERNAME:
                if let identifier = Certificate.otherName(name.pointee.d.otherName) { identifiers.append(identifier) }
            default:
                continue
            }
        }
        return identifiers
    }

    /// SRVName must be an IA5String (RFC 4985), XmppAddr a UTF8String (RFC
    /// 6120 section 13.7.1.4); the wrong ASN.1 type is reported, not guessed.
    private static func otherName(_ other: UnsafeMutablePointer<OTHERNAME>?) -> PresentedIdentifier? {
        guard let other, let text = otherNameOID(other), let value = other.pointee.value else { return nil }
        let (type, asn1Type, asn1Name): (IdentifierType, Int32, String)
        switch text {
        case oidSRVName: (type, asn1Type, asn1Name) = (.srv, V_ASN1_IA5STRING, "IA5String")
        case oidXmppAddr: (type, asn1Type, asn1Name) = (.xmpp, V_ASN1_UTF8STRING, "UTF8String")
        default: return nil
        }
        guard value.pointee.type == asn1Type else {
            return PresentedIdentifier(type: type, raw: [], problem: .wrongASN1Type("is not encoded as an \(asn1Name)"))
        }
        // Both string types share the ASN1_STRING layout in the union.
        return PresentedIdentifier(type: type, raw: bytes(value.pointee.value.asn1_string))
    }

    /// The UTF-8 bytes of every subject commonName.
    private var commonNames: [[UInt8]] {
        guard let x509, let subject = X509_get_subject_name(x509) else { return [] }
        var names: [[UInt8]] = []
        var index: Int32 = -1
        while true {
            index = X509_NAME_get_index_by_NID(subject, NID_commonName, index)
            guard index >= 0 else { break }
            guard let entry = X509_NAME_get_entry(subject, index),
                  let data = X509_NAME_ENTRY_get_data(entry) else { continue }
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, data)
            guard length >= 0, let utf8 else {
                ERR_clear_error()
                continue
            }
            names.append(Array(UnsafeBufferPointer(start: utf8, count: Int(length))))
            xdna_shim_OPENSSL_free(utf8)
        }
        return names
    }

    /// An otherName's type OID in dotted form, or nil when it has none.
    static func otherNameOID(_ other: UnsafeMutablePointer<OTHERNAME>) -> String? {
        guard let oid = other.pointee.type_id else { return nil }
        var buffer = [CChar](repeating: 0, count: 80)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), oid, 1)
        guard length > 0, Int(length) < buffer.count else { return nil }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func bytes(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> [UInt8] {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }
}
