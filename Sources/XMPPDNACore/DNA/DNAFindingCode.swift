/// What a prooftype found, as a number a server can act on without reading
/// prose. The values are part of the C ABI (XMPPDNA_FINDING_* in
/// include/xmppdna.h) and the tags of the JSON ("code"): neither is ever
/// renumbered or renamed; new ones are added. Grouped by hundreds: 0xx any
/// prooftype, 1xx PKI, 2xx DANE, 3xx POSH, 4xx dialback.
public enum DNAFindingCode: Int32, CaseIterable, Hashable, Sendable {
    case alreadyAccepted = 1
    case afterDANERejection = 2
    case noCertificate = 3

    case pkiNameMatched = 100
    case pkiChainInvalid = 101
    case pkiNoNameMatches = 102
    case pkiNameOnlyInCN = 103
    case pkiIdentifierIgnored = 104
    case delegationNotSecure = 105
    case pkiChainNotChecked = 106

    case daneMatched = 200
    case tlsaBogus = 201
    case tlsaInsecure = 202
    case tlsaIndeterminate = 203
    case tlsaNone = 204
    case tlsaUnusable = 205
    case tlsaMismatch = 206
    case daneChainInvalid = 207
    case daneNameMismatch = 208
    case daneNotChecked = 209
    case endpointNotCandidate = 210
    case endpointPathNotSecure = 211
    case noSecureCandidate = 212
    case tlsaNotLookedUp = 213
    case tlsaFailedInUnsignedZone = 214
    case tlsaNoLocation = 215

    case poshMatched = 300
    case poshUnavailable = 301
    case poshMalformed = 302
    case poshBadURL = 303
    case poshReferenceNotFollowed = 304
    case poshFetchFailed = 305
    case poshMismatch = 306
    case poshReferenceUnfetched = 307
    case poshNotPublished = 308

    case dialbackStrong = 400
    case dialbackWeak = 401
    case dialbackFailed = 402
    case dialbackWeakRefused = 403
    case dialbackNotSupplied = 404

    /// The JSON name, e.g. "tlsa_mismatch".
    public var tag: String {
        switch self {
        case .alreadyAccepted: return "already_accepted"
        case .afterDANERejection: return "after_dane_rejection"
        case .noCertificate: return "no_certificate"
        case .pkiNameMatched: return "pki_name_matched"
        case .pkiChainInvalid: return "pki_chain_invalid"
        case .pkiNoNameMatches: return "pki_no_name_matches"
        case .pkiNameOnlyInCN: return "pki_name_only_in_cn"
        case .pkiIdentifierIgnored: return "pki_identifier_ignored"
        case .delegationNotSecure: return "delegation_not_secure"
        case .pkiChainNotChecked: return "pki_chain_not_checked"
        case .daneMatched: return "dane_matched"
        case .tlsaBogus: return "tlsa_bogus"
        case .tlsaInsecure: return "tlsa_insecure"
        case .tlsaIndeterminate: return "tlsa_indeterminate"
        case .tlsaNone: return "tlsa_none"
        case .tlsaUnusable: return "tlsa_unusable"
        case .tlsaMismatch: return "tlsa_mismatch"
        case .daneChainInvalid: return "dane_chain_invalid"
        case .daneNameMismatch: return "dane_name_mismatch"
        case .daneNotChecked: return "dane_not_checked"
        case .endpointNotCandidate: return "endpoint_not_candidate"
        case .endpointPathNotSecure: return "endpoint_path_not_secure"
        case .noSecureCandidate: return "no_secure_candidate"
        case .tlsaNotLookedUp: return "tlsa_not_looked_up"
        case .tlsaFailedInUnsignedZone: return "tlsa_failed_in_unsigned_zone"
        case .tlsaNoLocation: return "tlsa_no_location"
        case .poshMatched: return "posh_matched"
        case .poshUnavailable: return "posh_unavailable"
        case .poshMalformed: return "posh_malformed"
        case .poshBadURL: return "posh_bad_url"
        case .poshReferenceNotFollowed: return "posh_reference_not_followed"
        case .poshFetchFailed: return "posh_fetch_failed"
        case .poshMismatch: return "posh_mismatch"
        case .poshReferenceUnfetched: return "posh_reference_unfetched"
        case .poshNotPublished: return "posh_not_published"
        case .dialbackStrong: return "dialback_strong"
        case .dialbackWeak: return "dialback_weak"
        case .dialbackFailed: return "dialback_failed"
        case .dialbackWeakRefused: return "dialback_weak_refused"
        case .dialbackNotSupplied: return "dialback_not_supplied"
        }
    }
}
