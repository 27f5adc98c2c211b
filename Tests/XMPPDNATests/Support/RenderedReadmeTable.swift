import Foundation
import Testing

/// A README table that a test renders from what the library does: the
/// README's copy between the markers must equal it, so the README cannot
/// drift; XMPPDNA_WRITE_README=1 writes it instead.
enum RenderedReadmeTable {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md").path

    /// `marker` names the table: `<!-- marker: rendered by … -->` … `<!-- /marker -->`.
    static func check(_ table: String, marker: String, renderedBy suite: String) throws {
        let text = (try? String(contentsOfFile: readme, encoding: .utf8)) ?? ""
        let begin = "<!-- \(marker): rendered by \(suite) -->", end = "<!-- /\(marker) -->"
        guard let from = text.range(of: begin), let to = text.range(of: end) else {
            Issue.record("README.md lacks the \(begin) markers")
            return
        }
        let rendered = text[..<from.upperBound] + "\n" + table + "\n" + text[to.lowerBound...]
        if ProcessInfo.processInfo.environment["XMPPDNA_WRITE_README"] == "1" {
            try String(rendered).write(toFile: readme, atomically: true, encoding: .utf8)
        } else {
            #expect(String(rendered) == text, "README.md's \(marker) table differs from \(suite); run with XMPPDNA_WRITE_README=1")
        }
    }
}
