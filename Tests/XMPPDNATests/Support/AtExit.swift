import Foundation
@testable import XMPPDNA
@testable import XMPPDNACore
@testable import XMPPDNANet
@testable import XMPPDNAOpenSSL
@testable import XMPPDNAResolver

/// Cleanup for when the test process exits, for the servers a test process
/// starts once (DNSWorld, MutationWorld). atexit() takes a C function, not a
/// closure with captures, so the work waits here; the latest added runs
/// first, as with atexit() itself.
enum AtExit {
    private static let work = Locked<[@Sendable () -> Void]>([])
    private static let registered: Void = {
        atexit {
            for job in AtExit.work.withLock({ $0 }).reversed() { job() }
        }
    }()

    static func add(_ job: @escaping @Sendable () -> Void) {
        registered
        work.withLock { $0.append(job) }
    }
}
