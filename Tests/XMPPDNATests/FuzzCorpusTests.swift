import Foundation
import Testing
import XMPPDNAFuzzTargets

/// Replays every seed and every regression input (fuzz/corpus, fuzz/regressions)
/// through its fuzz target: a fixed finding stays fixed in every test run,
/// and under `make asan-test` with AddressSanitizer and LeakSanitizer too.
@Suite struct FuzzCorpusTests {
    private static let fuzzDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz")

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndRegressionsReplayCleanly(_ target: FuzzTarget) throws {
        var replayed = 0
        for kind in ["corpus", "regressions"] {
            let directory = Self.fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let data = try Data(contentsOf: directory.appendingPathComponent(name))
                data.withUnsafeBytes { target.run($0) }
                replayed += 1
            }
        }
        #expect(replayed >= 4, "\(target.rawValue): only \(replayed) corpus inputs")
    }
}
