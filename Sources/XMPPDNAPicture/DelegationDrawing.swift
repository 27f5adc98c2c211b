/// The delegation half of the drawing: the domain, its SRV records, their
/// targets, CNAME hops and addresses, the TLSA records of each endpoint,
/// and every endpoint with its verdict. A node or edge has the colour of
/// its DNSSEC status; the acceptable names are filled yellow.
struct DelegationDrawing {
    let report: ReportDocument

    private var names: ReportDocument { report["dns"]["names"] }
    private var domain: String { report["domain"].text }

    /// Node names in the Graphviz source; their SVG ids are made from the same text.
    static func nameNode(_ name: String) -> String { "name:" + name }
    static func addressNode(_ address: String) -> String { "address:" + address }
    static func endpointNode(_ index: Int) -> String { "endpoint:\(index)" }

    func draw(into graph: inout DotGraph) {
        let acceptable = Set(names["acceptable_names"].array.map { $0["name"].text })
        // A name has the status of the weakest path that reached it (SRV,
        // then CNAME hops); records at the name (addresses, TLSA) do not change it.
        var nameStatus: [(name: String, status: String)] = [(domain, names["status"].text)]
        func pathStatus(of name: String) -> String? { nameStatus.first { $0.name == name }?.status }
        func reached(_ name: String, _ status: String) {
            if let at = nameStatus.firstIndex(where: { $0.name == name }) {
                if name != domain { nameStatus[at].status = StatusStyle.weaker(nameStatus[at].status, status) }
            } else {
                nameStatus.append((name, status))
            }
        }
        func mention(_ name: String, _ status: String) {
            if !nameStatus.contains(where: { $0.name == name }) { nameStatus.append((name, status)) }
        }
        var drawn = Set<String>()
        var records: [(line: DNSRecordLine, status: String, reason: String?, refused: Bool)] = []
        for candidate in names["candidates"].array {
            for record in candidate["records"].array where drawn.insert(record["record"].text).inserted {
                records.append((DNSRecordLine(record["record"].text), record["status"].text, record["reason"].string, false))
            }
        }
        // A bogus answer's records: drawn to show what is bogus, never candidates.
        for record in report["dns"]["refused"].array where drawn.insert(record["record"].text).inserted {
            records.append((DNSRecordLine(record["record"].text), record["status"].text, record["reason"].string, true))
        }
        var srvCount = 0
        for (line, status, reason, refused) in records {
            let statusClass = "status-\(status)"
            let why = reason.map { "\(status): \($0)" } ?? status
            switch line.kind {
            case .srv(let target, let data):
                srvCount += 1
                let node = "srv:\(line.owner) \(data)"
                graph.node(node, ["id": "srv-\(srvCount)", "class": "record srv \(statusClass)" + (refused ? " refused" : ""),
                                  "shape": "box", "style": StatusStyle.line(status),
                                  "label": "\(line.owner)\nSRV \(data)" + (refused ? "\n✘ refused: \(status)" : ""),
                                  "color": StatusStyle.colour(status),
                                  "tooltip": "SRV \(line.owner) \(data): \(why)"])
                graph.edge(Self.nameNode(domain), node, edgeStyle(status, why))
                graph.edge(node, Self.nameNode(target), edgeStyle(status, why))
                reached(target, status)
            case .cname(let target):
                mention(line.owner, status)
                graph.edge(Self.nameNode(line.owner), Self.nameNode(target),
                           edgeStyle(status, "CNAME \(line.owner) \(target): \(why)").with("label", "CNAME"))
                reached(target, StatusStyle.weaker(pathStatus(of: line.owner) ?? status, status))
            case .address(let type, let value?):
                mention(line.owner, status)
                let node = Self.addressNode(value)
                if drawn.insert(node).inserted {
                    let highlight = acceptable.contains(value)
                    graph.node(node, ["id": "address-\(value)",
                                      "class": "record address \(statusClass)" + (highlight ? " acceptable" : ""),
                                      "shape": "box", "style": highlight ? "filled" : "solid",
                                      "fillcolor": StatusStyle.acceptableFill,
                                      "label": "\(type) \(value)", "color": StatusStyle.colour(status),
                                      "tooltip": "\(type) \(line.owner) \(value): \(why)"])
                }
                graph.edge(Self.nameNode(line.owner), node, edgeStyle(status, why))
            case .address(let type, nil):
                mention(line.owner, status)
                let node = "none:\(type):\(line.owner)"
                graph.node(node, ["id": "none-\(type)-\(line.owner)", "class": "record none \(statusClass)", "shape": "box",
                                  "style": "dashed", "label": "no \(type)", "color": StatusStyle.colour(status),
                                  "tooltip": "no \(type) record at \(line.owner): \(why)"])
                graph.edge(Self.nameNode(line.owner), node, edgeStyle(status, why))
            case .noSRV:
                let node = "nosrv:\(line.owner)"
                graph.node(node, ["id": "nosrv-\(line.owner)", "class": "record none \(statusClass)", "shape": "box",
                                  "style": "dashed", "label": "no SRV at\n\(line.owner)", "color": StatusStyle.colour(status),
                                  "tooltip": "no SRV record at \(line.owner): \(why)"])
                graph.edge(Self.nameNode(domain), node, edgeStyle(status, why))
            case .other:
                break
            }
        }
        drawTLSA(into: &graph, mention: mention)
        drawEndpoints(into: &graph)
        for (name, status) in nameStatus {
            let isDomain = name == domain
            let highlight = acceptable.contains(name)
            var label = name
            var tooltip = "\(name): \(status)"
            if isDomain {
                label += "\n\(report["service"].text) · DNS \(status)"
                if let reason = names["reason"].string {
                    label += "\n" + DelegationDrawing.shortened(reason, to: 60)
                    tooltip += ": \(reason)"
                }
                if let problem = report["dns_problem"].string { tooltip += "\n\(problem)" }
            }
            graph.node(Self.nameNode(name), [
                "id": "name-\(name)",
                "class": "name \(isDomain ? "domain " : "")status-\(status)" + (highlight ? " acceptable" : ""),
                "shape": "box", "style": highlight ? "rounded,filled" + (isDomain ? ",bold" : "") : "rounded",
                "fillcolor": StatusStyle.acceptableFill, "color": StatusStyle.colour(status),
                "penwidth": isDomain ? "2" : "1", "label": label, "tooltip": tooltip,
            ])
        }
    }

    private func edgeStyle(_ status: String, _ tooltip: String) -> DotGraph.Attributes {
        ["class": "status-\(status)", "color": StatusStyle.colour(status), "tooltip": tooltip, "style": StatusStyle.line(status)]
    }

    private func drawTLSA(into graph: inout DotGraph, mention: (String, String) -> Void) {
        for answer in report["dns"]["tlsa"].array {
            let owner = answer["owner"].text
            let status = answer["status"].text
            let host = owner.split(separator: ".", maxSplits: 2).dropFirst(2).first.map(String.init) ?? owner
            let records = answer["records"].array.map { "TLSA " + DelegationDrawing.shortTLSA($0.text) }
            let via = answer["cnames"].array.map { "via " + $0.text }
            let why = answer["reason"].string.map { "\(status): \($0)" } ?? status
            let node = "tlsa:" + owner
            graph.node(node, ["id": "tlsa-\(owner)", "class": "record tlsa status-\(status)", "shape": "box",
                              "style": records.isEmpty ? "dashed" : "solid",
                              "label": ([owner] + (records.isEmpty ? ["no TLSA"] : records) + via).joined(separator: "\n"),
                              "color": StatusStyle.colour(status), "tooltip": "TLSA at \(owner): \(why)"])
            mention(host, status)
            graph.edge(Self.nameNode(host), node, edgeStyle(status, why).with("label", "TLSA"))
        }
    }

    private func drawEndpoints(into graph: inout DotGraph) {
        for (index, endpoint) in report["endpoints"].array.enumerated() {
            let transport = endpoint["direct_tls"].bool ? "direct TLS" : "STARTTLS"
            let address = endpoint["address"].string
            let outcome: (word: String, fill: String, line: String)
            if !endpoint["reachable"].bool {
                outcome = ("unreachable", StatusStyle.unreachableFill, "unreachable: \(endpoint["error"]["kind"].text)")
            } else if endpoint["verified"].bool {
                outcome = ("verified", StatusStyle.verifiedFill, "✔ verified by \(endpoint["verdict"]["prooftype"].text.uppercased())")
            } else {
                outcome = ("failed", StatusStyle.failedFill, "✘ not verified")
            }
            let node = Self.endpointNode(index)
            graph.node(node, ["id": "endpoint-\(index)", "class": "endpoint \(outcome.word)", "shape": "box",
                              "style": "filled", "fillcolor": outcome.fill, "color": "#555555",
                              "label": "\(address ?? endpoint["host"].text) port \(endpoint["port"].int ?? 0)\n\(transport)\n\(outcome.line)",
                              "URL": "#card-\(index)", "tooltip": (endpoint["diagnosis"].array.first?.text ?? outcome.line)])
            let from = address.map(Self.addressNode) ?? Self.nameNode(endpoint["host"].text)
            graph.edge(from, node, ["class": "connect", "color": "#777777", "style": "dotted", "arrowhead": "vee"])
        }
    }

    /// "3 1 1 0123456789abcdef…" keeps the start and end of a long digest.
    static func shortTLSA(_ record: String) -> String {
        let fields = record.split(separator: " ")
        guard fields.count == 4, fields[3].count > 20 else { return record }
        let data = fields[3]
        return fields[0...2].joined(separator: " ") + " " + data.prefix(12) + "…" + data.suffix(6)
    }

    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
