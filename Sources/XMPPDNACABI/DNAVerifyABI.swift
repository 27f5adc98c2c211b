import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver

@c(xmppdna_verify_dna)
public func xmppdnaVerifyDNA(_ ctx: OpaquePointer?, _ chain: UnsafeRawPointer?, _ request: UnsafeRawPointer?,
                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return ResultCode.misuse }
    out.pointee = nil
    guard let context = Handle.borrow(ctx, as: ContextHandle.self),
          let chain = Handle.borrow(chain, as: ChainHandle.self), !chain.certificates.isEmpty,
          let handle = Handle.borrow(request, as: DNARequestHandle.self) else { return ResultCode.misuse }
    let (code, verdict) = dnaHandle(answerDNA(context, chain.certificates, handle.question))
    store(verdict, to: out)
    return code
}

/// The C handle for an answer; out of memory becomes XMPPDNA_ENOMEM.
func dnaHandle(_ answer: (Int32, DNAVerdict?)) -> (Int32, DNAHandle?) {
    guard let verdict = answer.1 else { return (answer.0, nil) }
    do {
        return (answer.0, try DNAHandle(verdict))
    } catch {
        return (error.code, nil)
    }
}

/// The verdict for a question, with the lookups it needs; used by the
/// blocking call and by the async workers alike.
func answerDNA(_ context: ContextHandle, _ certificates: [Certificate], _ question: DNAQuestion) -> (Int32, DNAVerdict?) {
    let request = question.request
    let time = context.verifier.configuration.time
    let resolver: DelegationResolver?
    do {
        resolver = try context.resolver.configuration(time: time).map { configuration throws(DNSConfigurationError) in
            try DelegationResolver(configuration)
        }
    } catch .untrustedResolver {
        return (ResultCode.untrusted, nil)
    } catch {
        return (ResultCode.trust, nil)
    }
    let sources = DNASources(
        names: question.names ?? resolver?.nameList(for: request.domain, service: request.service),
        tlsa: { location in
            if let supplied = question.tlsa["\(location.host.text):\(location.port)"] ?? question.tlsa["*"] {
                let status = supplied.dropFirst().reduce(supplied[0].1) { $0.combined(with: $1.1) }
                return DNSAnswer(.records(supplied.map(\.0)), status: status)
            }
            return resolver?.tlsa(host: location.host, port: location.port)
        },
        posh: poshSource(context, question, request, resolver, time),
        dialback: question.dialback)
    do {
        return (ResultCode.ok, try DNAVerification.verify(request, chain: certificates, sources: sources, pki: context.verifier))
    } catch {
        return (ResultCode.trust, nil)
    }
}

/// The supplied document, else a fetch when something can resolve or reach
/// the domain's web server, else nothing.
private func poshSource(_ context: ContextHandle, _ question: DNAQuestion, _ request: DNARequest,
                        _ resolver: DelegationResolver?, _ time: Int64?) -> () -> Result<POSHFetched, POSHError>? {
    if let document = question.poshDocument {
        return {
            Result { () throws(POSHError) -> POSHFetched in
                let posh = try POSHDocument.parse(document)
                return POSHFetched(document: posh, source: "the supplied document", expires: posh.expires)
            }
        }
    }
    guard resolver != nil || context.posh.urlBase != nil else { return { nil } }
    return {
        guard let trust = try? context.verifier.trustStore() else { return .failure(.fetch("the trust store cannot be loaded")) }
        let fetcher = context.posh.fetcher(trust: trust, time: time, resolve: { resolver?.addresses(of: $0) ?? [] })
        return fetcher.fetch(domain: request.domain, service: request.service)
    }
}
