import XMPPDNACore
import XMPPDNAOpenSSL

/// The answer to a names-only question (`XMPPDNAContext.checkNames`): its
/// PKI verdict, and what makes the whole DNA verdict on demand. A value
/// the caller keeps, so a server that reads only `accepted` never pays for
/// attempts, findings and their text.
public struct NameCheck: @unchecked Sendable {
    public let pki: PKIVerdict
    let question: DNAQuestion
    let chain: [Certificate]
    let configuration: PKIVerifier.Configuration

    /// The DNA verdict `verifyNow` would make, with the configuration as it
    /// was when the names were checked.
    public func verdict() -> DNAVerdict {
        let snapshot = PKIVerifier()
        snapshot.update { $0 = configuration }
        // Cannot fail: a names-only question needs no trust store.
        do {
            return try DNAVerification.verifyNow(question.request, chain: chain, presented: question.presented,
                                                 names: question.names, tlsa: { _ in nil }, posh: { nil },
                                                 dialback: question.dialback, pki: snapshot)
        } catch {
            preconditionFailure("a names-only verdict failed: \(error)")
        }
    }
}
