// What `DNAVerifier.decide` concluded: a verdict, or that the POSH
/// evidence must be gathered first (no earlier prooftype accepted).
public enum DNADecision: Sendable {
    case verdict(DNAVerdict)
    case needsPOSH
}
