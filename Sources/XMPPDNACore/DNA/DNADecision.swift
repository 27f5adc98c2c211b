/// What `DNAVerifier.decide` concluded: a verdict, or what must be
/// gathered first.
public enum DNADecision: Sendable {
    case verdict(DNAVerdict)
    /// The POSH evidence: no earlier prooftype accepted.
    case needsPOSH
    /// The chain's PKIX path (`ChainEvidence.path`): the PKI prooftype is tried.
    case needsChainPath
}
