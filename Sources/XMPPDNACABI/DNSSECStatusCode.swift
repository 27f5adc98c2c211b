import CXMPPDNA
import XMPPDNA
import XMPPDNACore

/// DNSSEC statuses to and from XMPPDNA_DNSSEC_*.
extension DNSSECStatus {
    var code: Int32 {
        switch self {
        case .secure: return XMPPDNA_DNSSEC_SECURE
        case .insecure: return XMPPDNA_DNSSEC_INSECURE
        case .bogus: return XMPPDNA_DNSSEC_BOGUS
        case .indeterminate: return XMPPDNA_DNSSEC_INDETERMINATE
        }
    }

    /// From XMPPDNA_DNSSEC_*, for statuses a caller supplies.
    init?(code: Int32, owner: String) {
        switch code {
        case XMPPDNA_DNSSEC_SECURE: self = .secure
        case XMPPDNA_DNSSEC_INSECURE: self = .insecure
        case XMPPDNA_DNSSEC_BOGUS:
            self = .bogus(.dnssecBogus("the caller marked \(owner) bogus, or left its status at zero (XMPPDNA_DNSSEC_BOGUS)"))
        case XMPPDNA_DNSSEC_INDETERMINATE: self = .indeterminate("the caller's resolver gave no answer for \(owner)")
        default: return nil
        }
    }
}
