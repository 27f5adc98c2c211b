#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XMPPDNA
import XMPPDNAFuzzTargets
import XMPPDNACore
import XMPPDNAOpenSSL
import XMPPDNAResolver
import XMPPDNANet

#if XMPPDNA_LIBFUZZER
// libFuzzer's driver, linked from libclang_rt.fuzzer_no_main (see fuzz/run.sh).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

nonisolated(unsafe) private var selectedTarget: FuzzTarget = .chain
#endif

/// xmppdna-fuzz TARGET ARGS...
///   built by fuzz/run.sh with libFuzzer: ARGS are libFuzzer's;
///   built plainly: ARGS are corpus files or directories to replay once.
///   xmppdna-fuzz record-dns SERVER ANCHOR_FILE TIME DOMAIN FLAGS OUT
///     records a dns seed from a live (loopback) server.
@main
struct FuzzMain {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else { usage() }
        if arguments[1] == "record-dns" { recordDNS(Array(arguments.dropFirst(2))) }
        guard let target = FuzzTarget(rawValue: arguments[1]) else { usage() }
        #if XMPPDNA_LIBFUZZER
        selectedTarget = target
        let argv = CommandLine.unsafeArgv
        argv[1] = argv[0]  // libFuzzer sees the program name, then its own flags
        var argc = CommandLine.argc - 1
        var shifted = argv + 1
        exit(LLVMFuzzerRunDriver(&argc, &shifted) { data, size in
            selectedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        })
        #else
        var count = 0
        for path in arguments.dropFirst(2) {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                data.withUnsafeBytes { target.run($0) }
                count += 1
            }
        }
        print("\(target.rawValue): replayed \(count) inputs")
        exit(0)
        #endif
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file: \(path)") }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { path + "/" + $0 }
    }

    private static func recordDNS(_ arguments: [String]) -> Never {
        guard arguments.count == 6, let server = try? DNSServerAddress(arguments[0]),
              let anchor = try? String(contentsOfFile: arguments[1], encoding: .utf8),
              let time = Int64(arguments[2]), let flags = UInt8(arguments[4]) else { usage() }
        do {
            let seed = try DNSSeedRecorder.record(server: server, anchorText: anchor, time: time, domain: arguments[3], flags: flags)
            try Data(seed).write(to: URL(fileURLWithPath: arguments[5]))
            exit(0)
        } catch {
            fail("recording failed: \(error)")
        }
    }

    private static func usage() -> Never {
        fail("usage: xmppdna-fuzz TARGET [libFuzzer flags | corpus paths...]\n       xmppdna-fuzz record-dns SERVER ANCHOR_FILE TIME DOMAIN FLAGS OUT\n"
             + "targets: " + FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}
