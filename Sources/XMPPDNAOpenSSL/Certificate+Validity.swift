import CXMPPDNAShim
import XMPPDNACore
#if canImport(Glibc)
import Glibc
#endif

extension Certificate {
    /// The end of the validity period, seconds since the epoch (for
    /// "certificate expires in 6 days" diagnoses; chain verification itself
    /// is OpenSSL's).
    public var notAfter: Int64? { x509.flatMap { Certificate.seconds(X509_get0_notAfter($0)) } }

    public var notBefore: Int64? { x509.flatMap { Certificate.seconds(X509_get0_notBefore($0)) } }

    /// From notBefore to notAfter of an X509 (one on a verified path).
    static func validity(of x509: OpaquePointer) -> ClosedRange<Int64>? {
        guard let from = seconds(X509_get0_notBefore(x509)), let until = seconds(X509_get0_notAfter(x509)), from <= until else {
            return nil
        }
        return from...until
    }

    private static func seconds(_ time: UnsafePointer<ASN1_TIME>?) -> Int64? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Int64(timegm(&parts))
    }
}
