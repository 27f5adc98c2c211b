import CXMPPDNA
import XMPPDNA
import XMPPDNACore
import XMPPDNAIO
import XMPPDNAOpenSSL

public typealias NamesCallback = @convention(c) (UnsafeMutableRawPointer?, Int32, OpaquePointer?) -> Void
public typealias VerdictCallback = @convention(c) (UnsafeMutableRawPointer?, Int32, OpaquePointer?) -> Void

/// What a finished query hands back to `xmppdna_process`.
private enum AsyncAnswer: @unchecked Sendable {
    case names(Int32, NameList?)
    case verdict(Int32, DNAVerdict?)
    /// A names-only answer: the verdict is made when a reader asks.
    case nameCheck(NameCheck)
}

/// A submitted query's callback, kept on the context until its answer is processed.
private struct PendingCallback: @unchecked Sendable {
    enum Function {
        case names(NamesCallback)
        case verdict(VerdictCallback)
    }
    let function: Function
    let userdata: UnsafeMutableRawPointer?
}

/// The C side of the context's questions: the callbacks of questions not
/// yet processed, by query id.
final class AsyncState: @unchecked Sendable {
    private let queries: AsyncQueries
    private let callbacks = Locked([Int32: PendingCallback]())

    init(_ queries: AsyncQueries) { self.queries = queries }

    var fd: Int32 { queries.fd }

    fileprivate func submit(_ callback: PendingCallback, _ work: @escaping @Sendable () async -> AsyncAnswer) -> Result<Int32, ABIError> {
        // Held across submit so a fast answer never finds no callback.
        callbacks.withLock { callbacks in
            guard let id = queries.submit({ await work() }) else { return .failure(ABIError(ResultCode.noMemory)) }
            callbacks[id] = callback
            return .success(id)
        }
    }

    fileprivate func submitAnswered(_ callback: PendingCallback, _ answer: AsyncAnswer) -> Result<Int32, ABIError> {
        callbacks.withLock { callbacks in
            guard let id = queries.submitAnswered(answer) else { return .failure(ABIError(ResultCode.noMemory)) }
            callbacks[id] = callback
            return .success(id)
        }
    }

    func cancel(_ id: Int32) -> Bool {
        callbacks.withLock { callbacks in
            guard callbacks.removeValue(forKey: id) != nil else { return false }
            _ = queries.cancel(id)
            return true
        }
    }

    var hasPending: Bool { callbacks.withLock { !$0.isEmpty } }

    func waitForCompletion(milliseconds: Int32) { queries.waitForCompletion(milliseconds: milliseconds) }

    /// Runs the callbacks of finished queries on this thread, outside the lock.
    func process() -> Int32 {
        var ran: Int32 = 0
        for (id, result) in queries.takeCompleted() {
            guard let callback = callbacks.withLock({ $0.removeValue(forKey: id) }),
                  let answer = result as? AsyncAnswer else { continue }
            switch (callback.function, answer) {
            case let (.names(function), .names(code, list)):
                function(callback.userdata, code, list.map { NamesHandle($0).retainedPointer() })
            case let (.verdict(function), .verdict(code, verdict)):
                function(callback.userdata, code, verdict.map { VerdictHandle($0).retainedPointer() })
            case let (.verdict(function), .nameCheck(names)):
                function(callback.userdata, ResultCode.ok, VerdictHandle(names).retainedPointer())
            default:
                continue
            }
            ran += 1
        }
        return ran
    }

    /// Cancels everything and waits for the questions' tasks (xmppdna_ctx_free).
    func shutdown() {
        callbacks.withLock { $0.removeAll() }
        queries.shutdown()
    }
}

@c(xmppdna_names_lookup_async)
public func xmppdnaNamesLookupAsync(_ ctx: OpaquePointer?, _ domain: UnsafePointer<CChar>?, _ service: Int32,
                                    _ callback: NamesCallback?, _ userdata: UnsafeMutableRawPointer?,
                                    _ queryID: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self), let callback else { return ResultCode.misuse }
    let target: (DNSName, XMPPService)
    switch domainAndService(domain, service) {
    case .success(let parsed): target = parsed
    case .failure(let error): return error.code
    }
    guard context.resolver.hasServers else { return ResultCode.noServer }
    let pending = PendingCallback(function: .names(callback), userdata: userdata)
    // A warm list needs no task: it is queued as finished at once.
    if let (code, list) = cachedNames(context, target.0, target.1) {
        return deliver(context.async.submitAnswered(pending, .names(code, list)), to: queryID)
    }
    let submitted = context.async.submit(pending) {
        let (code, list) = await answerNames(context, target.0, target.1)
        return AsyncAnswer.names(code, list)
    }
    return deliver(submitted, to: queryID)
}

@c(xmppdna_verify_async)
public func xmppdnaVerifyAsync(_ ctx: OpaquePointer?, _ chain: UnsafeRawPointer?, _ request: UnsafeRawPointer?,
                               _ callback: VerdictCallback?, _ userdata: UnsafeMutableRawPointer?,
                               _ queryID: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self),
          let handle = Handle.borrow(request, as: RequestHandle.self), let callback else { return ResultCode.misuse }
    let certificates: [Certificate]
    switch chainCertificates(chain) {
    case .success(let chain): certificates = chain
    case .failure(let error): return error.code
    }
    let question = handle.question, pending = PendingCallback(function: .verdict(callback), userdata: userdata)
    // Bad arguments are reported here, never through the callback.
    guard question.request.isConsistent else { return ResultCode.invalid }
    // A question with nothing to look up and no chain to verify costs
    // microseconds: answered now, without a task. Chain work never runs
    // on the caller's thread, which is the server's event loop.
    if question.noLookups && certificates.isEmpty {
        if let names = context.context.checkNames(question, chain: certificates) {
            return deliver(context.async.submitAnswered(pending, .nameCheck(names)), to: queryID)
        }
        let (code, verdict) = answerNow(context, certificates, question)
        return deliver(context.async.submitAnswered(pending, .verdict(code, verdict)), to: queryID)
    }
    let submitted = context.async.submit(pending) {
        let (code, verdict) = await answer(context, certificates, question)
        return AsyncAnswer.verdict(code, verdict)
    }
    return deliver(submitted, to: queryID)
}

private func deliver(_ submitted: Result<Int32, ABIError>, to queryID: UnsafeMutablePointer<Int32>?) -> Int32 {
    switch submitted {
    case .success(let id):
        queryID?.pointee = id
        return ResultCode.ok
    case .failure(let error):
        return error.code
    }
}

@c(xmppdna_fd)
public func xmppdnaFD(_ ctx: OpaquePointer?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    return context.async.fd
}

@c(xmppdna_process)
public func xmppdnaProcess(_ ctx: OpaquePointer?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    return context.async.process()
}

@c(xmppdna_wait)
public func xmppdnaWait(_ ctx: OpaquePointer?) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    var ran: Int32 = 0
    while context.async.hasPending {
        context.async.waitForCompletion(milliseconds: 100)
        ran += context.async.process()
    }
    return ran
}

@c(xmppdna_cancel)
public func xmppdnaCancel(_ ctx: OpaquePointer?, _ queryID: Int32) -> Int32 {
    guard let context = Handle.borrow(ctx, as: ContextHandle.self) else { return ResultCode.misuse }
    return context.async.cancel(queryID) ? ResultCode.ok : ResultCode.notFound
}
