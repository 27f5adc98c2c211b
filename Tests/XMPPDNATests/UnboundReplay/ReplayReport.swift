/// The Markdown table README.md shows for the Unbound replay: the counts,
/// then every disagreement (ours against Unbound's) and every scenario that
/// does not apply, with its reason.
enum ReplayReport {
    static func markdown(_ results: [ReplayOutcome]) -> String {
        func count(_ verdict: ReplayVerdict) -> Int { results.filter { $0.verdict == verdict }.count }
        let applicable = results.count - count(.notApplicable)
        var lines = [
            "| scenarios | applicable | agreeing | less trusting | more trusting |",
            "|---:|---:|---:|---:|---:|",
            "| \(results.count) | \(applicable) | \(count(.agrees)) | \(count(.lessTrusting)) | \(count(.moreTrusting)) |",
        ]
        let disagreeing = results.filter { $0.verdict == .moreTrusting || $0.verdict == .lessTrusting }
        if !disagreeing.isEmpty {
            lines += ["", "| disagreeing scenario | step and question | xmppdna | Unbound |", "|---|---|---|---|"]
            for outcome in disagreeing {
                for step in outcome.steps where step.verdict == .moreTrusting || step.verdict == .lessTrusting {
                    lines.append("| `\(outcome.name)` | \(step.step) `\(step.question)` | \(step.ours?.rawValue ?? "?") | \(step.expected?.rawValue ?? "?") |")
                }
            }
        }
        let skipped = results.filter { $0.verdict == .notApplicable }
        if !skipped.isEmpty {
            lines += ["", "| not applicable | why |", "|---|---|"]
            for outcome in skipped { lines.append("| `\(outcome.name)` | \(outcome.notApplicableReason) |") }
        }
        return lines.joined(separator: "\n")
    }
}
