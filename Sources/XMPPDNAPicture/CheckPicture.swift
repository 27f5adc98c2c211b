import XMPPDNACore

/// `xmppdna check --html/--svg`: the report's JSON document, drawn. Both
/// the Graphviz source and the page are made from the document alone, so
/// the page and `--json` never disagree. Pure: running Graphviz is the
/// caller's (the CLI's) business.
public struct CheckPicture {
    let json: String
    let report: ReportDocument

    /// The report is as large as its domain makes it; a hostile one is
    /// bounded by the check's own limits long before these.
    public init(json: String) throws(JSONParser.Error) {
        var limits = JSONParser.Limits()
        limits.maxBytes = 64 << 20
        limits.maxDepth = 32
        self.json = json
        report = ReportDocument(try JSONParser.parse(Array(json.utf8), limits: limits))
    }

    /// The drawing: delegation on the left, chain of trust on the right.
    public var dot: String {
        var graph = DotGraph()
        graph.set(["rankdir": "TB", "fontname": "Helvetica,Arial,sans-serif", "fontsize": "11", "nodesep": "0.25",
                   "ranksep": "0.45", "bgcolor": "white", "id": "xmppdna-drawing"])
        graph.defaults("node", ["fontname": "Helvetica,Arial,sans-serif", "fontsize": "10", "penwidth": "1.2"])
        graph.defaults("edge", ["fontname": "Helvetica,Arial,sans-serif", "fontsize": "9", "penwidth": "1.2"])
        graph.subgraph("cluster_delegation") { graph in
            graph.set(["id": "delegation", "label": "Delegation of \(report["domain"].text)", "style": "rounded",
                       "color": "#999999", "labeljust": "l"])
            DelegationDrawing(report: report).draw(into: &graph)
        }
        TrustChainDrawing(report: report).draw(into: &graph)
        return graph.source(name: "xmppdna")
    }

    /// The self-contained page around `svg` (Graphviz's output for `dot`).
    public func page(svg: String) -> String {
        CheckPage(report: report, json: json, svg: CheckPicture.inlineSVG(svg)).html
    }

    /// Graphviz's SVG without the XML declaration and doctype, for inlining.
    static func inlineSVG(_ svg: String) -> String {
        guard let start = svg.firstRange(of: "<svg") else { return "" }
        return String(svg[start.lowerBound...])
    }
}
