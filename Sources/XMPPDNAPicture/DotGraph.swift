/// Graphviz source. Every name and label is quoted and escaped here:
/// they come from DNS and from certificates, so nothing goes in raw.
struct DotGraph {
    /// Attributes in the order written.
    struct Attributes: ExpressibleByDictionaryLiteral {
        fileprivate var pairs: [(key: String, value: String)]

        init(dictionaryLiteral elements: (String, String)...) { pairs = elements.map { (key: $0.0, value: $0.1) } }

        mutating func set(_ key: String, _ value: String) {
            pairs.removeAll { $0.key == key }
            pairs.append((key, value))
        }

        func with(_ key: String, _ value: String) -> Attributes {
            var copy = self
            copy.set(key, value)
            return copy
        }
    }

    private var lines: [String] = []
    private var indent = "  "

    mutating func set(_ attributes: Attributes) {
        for (key, value) in attributes.pairs { lines.append(indent + "\(key)=\(DotGraph.quote(value));") }
    }

    mutating func defaults(_ kind: String, _ attributes: Attributes) {
        lines.append(indent + kind + " [" + DotGraph.list(attributes) + "];")
    }

    mutating func node(_ name: String, _ attributes: Attributes) {
        lines.append(indent + DotGraph.quote(name) + " [" + DotGraph.list(attributes) + "];")
    }

    mutating func edge(_ from: String, _ to: String, _ attributes: Attributes) {
        lines.append(indent + DotGraph.quote(from) + " -> " + DotGraph.quote(to) + " [" + DotGraph.list(attributes) + "];")
    }

    /// A subgraph whose name starts with "cluster" is drawn as a box.
    mutating func subgraph(_ name: String, _ body: (inout DotGraph) -> Void) {
        lines.append(indent + "subgraph " + DotGraph.quote(name) + " {")
        let outer = indent
        indent += "  "
        body(&self)
        indent = outer
        lines.append(indent + "}")
    }

    func source(name: String) -> String {
        "digraph " + DotGraph.quote(name) + " {\n" + lines.joined(separator: "\n") + "\n}\n"
    }

    private static func list(_ attributes: Attributes) -> String {
        attributes.pairs.map { "\($0.key)=\(quote($0.value))" }.joined(separator: ", ")
    }

    /// A double-quoted string: backslashes doubled (a lone one would start
    /// an escape such as \N or \G), quotes escaped, a newline as \n, other
    /// control characters dropped.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default:
                if scalar.value >= 0x20 && scalar.value != 0x7F { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
