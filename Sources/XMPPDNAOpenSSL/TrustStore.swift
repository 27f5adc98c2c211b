import CXMPPDNAShim
import XMPPDNACore
#if canImport(Glibc)
import Glibc
#endif

/// Where trust anchors come from.
public struct TrustSource: Hashable, Sendable {
    public var caFile: String?
    public var caDirectory: String?

    public init(caFile: String? = nil, caDirectory: String? = nil) {
        self.caFile = caFile
        self.caDirectory = caDirectory
    }

    /// OpenSSL's compiled-in default paths (the system store).
    public var usesSystemStore: Bool { caFile == nil && caDirectory == nil }
}

public enum TrustStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)

    public var description: String {
        switch self {
        case .unreadable(let why): return why
        }
    }
}

/// A loaded OpenSSL X509_STORE. OpenSSL locks the store internally, so one
/// instance serves concurrent verifications once it is built.
public final class TrustStore: @unchecked Sendable {
    let store: OpaquePointer
    public let source: TrustSource
    /// Chains verified against this store (a trust change makes a new store).
    public let paths: ChainPathCache

    public init(_ source: TrustSource, verifiedChains: Int = ChainPathCache.defaultCapacity) throws(TrustStoreError) {
        paths = ChainPathCache(capacity: verifiedChains)
        guard let store = X509_STORE_new() else { throw .unreadable("out of memory") }
        self.store = store
        self.source = source
        ERR_clear_error()
        if source.usesSystemStore {
            guard X509_STORE_set_default_paths(store) == 1 else {
                throw .unreadable("the system trust store cannot be loaded: \(OpenSSLError.drain())")
            }
        }
        if let file = source.caFile {
            guard X509_STORE_load_file(store, file) == 1 else {
                throw .unreadable("CA file \(file) cannot be loaded: \(OpenSSLError.drain())")
            }
        }
        if let directory = source.caDirectory {
            guard TrustStore.isDirectory(directory), X509_STORE_load_path(store, directory) == 1 else {
                ERR_clear_error()
                throw .unreadable("CA directory \(directory) cannot be read")
            }
        }
    }

    deinit { X509_STORE_free(store) }

    private static func isDirectory(_ path: String) -> Bool {
        guard let dir = opendir(path) else { return false }
        closedir(dir)
        return true
    }
}
