import Foundation
import Testing
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// Issue 17: xmppdna_ctx_free (QueryPool.shutdown) on one thread while a
/// submit on another is starting a worker must still join that worker.
struct QueryPoolShutdownTests {
    @Test func shutdownWhileAWorkerStartsStillJoinsIt() throws {
        let pool = try QueryPool(maxThreads: 1)
        let shutdown = DispatchGroup()
        pool.beforeWorkerStart = {
            shutdown.enter()
            Thread.detachNewThread {
                pool.shutdown()
                shutdown.leave()
            }
            // Ample time for a shutdown the pool does not hold off to finish first.
            _ = shutdown.wait(timeout: .now() + .milliseconds(300))
        }
        _ = try? pool.submit { 0 }
        shutdown.wait()
        pool.beforeWorkerStart = nil
        #expect(pool.unjoinedWorkers == 0, "a worker was recorded after shutdown had joined the others")
    }
}
