import Foundation

/// One of Unbound's testbound replay scenarios (`testdata/val_*.rpl`), as
/// text: the config block, the simulated servers' answers (RANGE/ENTRY) and
/// the steps. Records stay zone-file text here; ReplayWire turns them into
/// packets, so parsing never depends on ldns.
struct ReplayScenario: Sendable {
    /// One ENTRY_BEGIN ... ENTRY_END block: a server's canned answer, a
    /// STEP QUERY's question or a STEP CHECK_ANSWER's expected reply.
    struct Entry: Sendable {
        /// MATCH keywords, lowercased (opcode, qtype, qname, subdomain, all, tcp, ...).
        var match: Set<String> = []
        /// ADJUST keywords (copy_id, copy_query).
        var adjust: Set<String> = []
        /// REPLY flags (QR, AA, AD, RD, RA, CD, TC, DO), upper case.
        var flags: Set<String> = []
        var rcode = "NOERROR"
        /// Zone-file lines per section, comments removed.
        var sections: [String: [String]] = [:]

        func records(_ section: String) -> [String] { sections[section] ?? [] }

        /// The first QUESTION line as (name, type), both as written.
        var question: (name: String, type: String)? {
            guard let line = records("QUESTION").first else { return nil }
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            // "name [class] type"; the class is optional.
            guard fields.count >= 2 else { return nil }
            return (fields[0], fields[fields.count - 1].uppercased())
        }
    }

    /// Answers one server (or, without ADDRESS, any server) gives during
    /// steps `start...end`.
    struct Range: Sendable {
        var start: Int
        var end: Int
        var addresses: [String] = []
        var entries: [Entry] = []
    }

    enum Step: Sendable {
        case query(Int, Entry)
        case checkAnswer(Int, Entry)
        /// TIME_PASSES, TRAFFIC and anything else: noted, so a scenario that
        /// depends on them can be reported not applicable.
        case other(Int, String)
    }

    /// A stub-zone or forward-zone: where questions under `name` go first.
    struct Zone: Sendable {
        var name: String
        var addresses: [String]
        var forward: Bool
    }

    let file: String
    var title = ""
    var trustAnchors: [String] = []
    var trustAnchorFiles: [String] = []
    var overrideDate: String?
    var zones: [Zone] = []
    /// Other `key: value` options of the config block, in order.
    var options: [(key: String, value: String)] = []
    var ranges: [Range] = []
    var steps: [Step] = []

    /// An address record in the generic `\\# N` form with a length no
    /// address has: ldns's text parser shortens it, so the replay cannot
    /// carry the malformed record the scenario is about.
    var hasMalformedAddressRecord = false

    init(file: String) { self.file = file }

    func option(_ key: String) -> String? { options.first { $0.key == key }?.value }

    /// The override date as seconds since the epoch (the format is
    /// YYYYMMDDhhmmss, UTC, or a plain number of seconds).
    var validationTime: Int64? {
        guard let text = overrideDate else { return nil }
        // "-1" tells testbound to ignore signature dates; ours always checks
        // them, so validate inside every signature's window instead.
        if text == "-1" { return signatureWindowTime }
        if text.count != 14, let seconds = Int64(text) { return seconds }
        let digits = Array(text)
        guard digits.count == 14, digits.allSatisfy(\.isNumber) else { return nil }
        func field(_ from: Int, _ length: Int) -> Int { Int(String(digits[from..<from + length]))! }
        var parts = DateComponents()
        parts.year = field(0, 4); parts.month = field(4, 2); parts.day = field(6, 2)
        parts.hour = field(8, 2); parts.minute = field(10, 2); parts.second = field(12, 2)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: parts).map { Int64($0.timeIntervalSince1970) }
    }

    /// A second after the latest RRSIG inception in the scenario, if that is
    /// before the earliest expiration; nil when no time suits every signature.
    var signatureWindowTime: Int64? {
        var inception = Int64.min, expiration = Int64.max
        for line in ranges.flatMap(\.entries).flatMap({ $0.sections.values.joined() }) {
            guard let rr = ReplayRR(line), rr.type == "RRSIG", rr.rdata.count >= 6 else { continue }
            guard let expires = ReplayScenario.seconds(rr.rdata[4]), let incepted = ReplayScenario.seconds(rr.rdata[5]) else { continue }
            inception = max(inception, incepted)
            expiration = min(expiration, expires)
        }
        guard inception != .min, inception < expiration else { return nil }
        return inception + 1
    }

    private static func seconds(_ text: String) -> Int64? {
        var copy = ReplayScenario(file: "")
        copy.overrideDate = text
        return text == "-1" ? nil : copy.validationTime
    }

    enum ParseError: Error, CustomStringConvertible {
        case malformed(String, line: Int)
        var description: String {
            switch self { case .malformed(let why, let line): return "line \(line): \(why)" }
        }
    }

    // MARK: - Parsing

    static func parse(file: String, text: String) throws -> ReplayScenario {
        var scenario = ReplayScenario(file: file)
        scenario.hasMalformedAddressRecord = text.range(of: #"\sIN\s+A\s+\x5C#\s+(?!4\s)\d+"#, options: .regularExpression) != nil
        var lines = text.components(separatedBy: "\n").enumerated().makeIterator()
        var inConfig = true
        var block = "server"
        var range: Range?
        var entry: Entry?
        var section = ""
        var pendingStep: (Int, String)?

        while let (index, raw) = lines.next() {
            let number = index + 1
            if inConfig {
                // The config is unbound.conf: '#' starts a comment.
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces)
                if line == "CONFIG_END" { inConfig = false; continue }
                if line.isEmpty || line.hasPrefix(";") { continue }
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
                var value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                switch key {
                case "server", "stub-zone", "forward-zone":
                    block = key
                    if key != "server" { scenario.zones.append(Zone(name: "", addresses: [], forward: key == "forward-zone")) }
                case "name" where block != "server":
                    scenario.zones[scenario.zones.count - 1].name = value
                case "stub-addr", "forward-addr":
                    scenario.zones[scenario.zones.count - 1].addresses.append(value.components(separatedBy: "@")[0])
                case "trust-anchor":
                    scenario.trustAnchors.append(value)
                case "trust-anchor-file", "auto-trust-anchor-file":
                    scenario.trustAnchorFiles.append(value)
                case "val-override-date":
                    scenario.overrideDate = value
                default:
                    scenario.options.append((key, value))
                }
                continue
            }
            let line = stripComment(raw).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if entry != nil {
                switch words[0] {
                case "MATCH": entry!.match.formUnion(words.dropFirst().map { $0.lowercased() })
                case "ADJUST": entry!.adjust.formUnion(words.dropFirst().map { $0.lowercased() })
                case "REPLY":
                    for word in words.dropFirst() {
                        let upper = word.uppercased()
                        if ["QR", "AA", "TC", "RD", "RA", "AD", "CD", "DO"].contains(upper) { entry!.flags.insert(upper) }
                        else { entry!.rcode = upper }
                    }
                case "SECTION":
                    guard words.count >= 2 else { throw ParseError.malformed("SECTION without a name", line: number) }
                    section = words[1].uppercased()
                    entry!.sections[section, default: []] = entry!.sections[section] ?? []
                case "ENTRY_END":
                    if let step = pendingStep {
                        scenario.steps.append(step.1 == "QUERY" ? .query(step.0, entry!) : .checkAnswer(step.0, entry!))
                        pendingStep = nil
                    } else if range != nil {
                        range!.entries.append(entry!)
                    } else {
                        throw ParseError.malformed("ENTRY outside a RANGE or STEP", line: number)
                    }
                    entry = nil
                default:
                    guard !section.isEmpty else { throw ParseError.malformed("record before any SECTION: \(line)", line: number) }
                    entry!.sections[section, default: []].append(line)
                }
                continue
            }
            switch words[0] {
            case "SCENARIO_BEGIN": scenario.title = words.dropFirst().joined(separator: " ")
            case "SCENARIO_END": break
            case "RANGE_BEGIN":
                guard words.count >= 3, let start = Int(words[1]), let end = Int(words[2]) else {
                    throw ParseError.malformed("bad RANGE_BEGIN", line: number)
                }
                range = Range(start: start, end: end)
            case "ADDRESS":
                guard range != nil, words.count >= 2 else { throw ParseError.malformed("ADDRESS outside a RANGE", line: number) }
                range!.addresses.append(words[1])
            case "RANGE_END":
                guard let done = range else { throw ParseError.malformed("RANGE_END without RANGE_BEGIN", line: number) }
                scenario.ranges.append(done)
                range = nil
            case "ENTRY_BEGIN":
                entry = Entry()
                section = ""
            case "STEP":
                guard words.count >= 3, let step = Int(words[1]) else { throw ParseError.malformed("bad STEP", line: number) }
                switch words[2] {
                case "QUERY", "CHECK_ANSWER": pendingStep = (step, words[2])
                default: scenario.steps.append(.other(step, words.dropFirst(2).joined(separator: " ")))
                }
            default:
                throw ParseError.malformed("unexpected \(words[0])", line: number)
            }
        }
        return scenario
    }

    /// Drops a ';' comment that is not inside a quoted string.
    private static func stripComment(_ line: String) -> String {
        var quoted = false
        var escaped = false
        for index in line.indices {
            let character = line[index]
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted { return String(line[..<index]) }
        }
        return line
    }
}
