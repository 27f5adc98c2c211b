/// The chain-of-trust half of the drawing, as DNSViz draws it: one box per
/// zone from the root down, its DNSKEYs (a double border on a key the trust
/// anchor names) and the DS records that vouch for them, the RRSIGs as
/// arrows from the signing key, each with its validity window. A broken
/// link is red and dashed and says why.
struct TrustChainDrawing {
    let report: ReportDocument

    private var zones: [ReportDocument] { report["dns"]["zones"].array }

    static func keyNode(_ zone: String, _ tag: Int64, _ algorithm: Int64) -> String { "dnskey:\(zone):\(tag):\(algorithm)" }

    func draw(into graph: inout DotGraph) {
        guard !zones.isEmpty else { return }
        let drawn = Set(zones.map { $0["zone"].text })
        graph.subgraph("cluster_trust") { graph in
            graph.set(["id": "chain-of-trust", "label": "Chain of trust", "style": "rounded", "color": "#999999",
                       "labeljust": "l"])
            for (index, zone) in zones.enumerated() { drawZone(zone, index: index, into: &graph) }
        }
        for zone in zones { drawLinks(zone, parentDrawn: zone["parent"].string.map(drawn.contains) ?? false, into: &graph) }
    }

    private func drawZone(_ zone: ReportDocument, index: Int, into graph: inout DotGraph) {
        let name = zone["zone"].text
        let status = zone["status"].text
        let reason = zone["reason"].string
        graph.subgraph("cluster_zone_\(index)") { graph in
            var label = (name == "." ? "the root (.)" : name) + "\n\(status)"
            if let reason { label += ": " + DelegationDrawing.shortened(reason, to: 70) }
            graph.set(["id": "zone-\(name)", "class": "zone status-\(status)", "label": label, "style": "rounded",
                       "color": StatusStyle.colour(status), "fontcolor": StatusStyle.colour(status),
                       "penwidth": status == "bogus" ? "2.5" : "1.2", "tooltip": "\(name): \(reason.map { "\(status): \($0)" } ?? status)"])
            for key in zone["dnskeys"].array {
                let tag = key["key_tag"].int ?? 0, algorithm = key["algorithm"].int ?? 0
                let role = key["role"].text == "ksk" ? "KSK" : "ZSK"
                let anchored = zone["trust_anchor"].bool && role == "KSK"
                graph.node(TrustChainDrawing.keyNode(name, tag, algorithm), [
                    "id": "dnskey-\(name)-\(tag)", "class": "dnskey status-\(status)" + (anchored ? " trust-anchor" : ""),
                    "shape": "ellipse", "peripheries": anchored ? "2" : "1", "color": StatusStyle.colour(status),
                    "label": "DNSKEY id \(tag)\n\(StatusStyle.algorithm(algorithm)) · \(role)"
                        + (key["revoked"].bool ? " · revoked" : "") + (anchored ? "\ntrust anchor" : ""),
                    "tooltip": "DNSKEY of \(name), key tag \(tag), algorithm \(algorithm), flags \(key["flags"].int ?? 0)",
                ])
            }
            for ds in zone["ds"].array {
                let matches = ds["matches_key"].bool
                let dsStatus = matches ? status : "bogus"
                graph.node(dsNode(name, ds), [
                    "id": "ds-\(name)-\(ds["key_tag"].int ?? 0)-\(ds["digest_type"].int ?? 0)",
                    "class": "ds " + (matches ? "matched" : "unmatched") + " status-\(dsStatus)",
                    "shape": "ellipse", "style": matches ? "solid" : "dashed", "color": StatusStyle.colour(dsStatus),
                    "label": "DS id \(ds["key_tag"].int ?? 0)\n\(StatusStyle.algorithm(ds["algorithm"].int ?? 0)) · "
                        + StatusStyle.digest(ds["digest_type"].int ?? 0) + (matches ? "" : "\n✘ matches no DNSKEY"),
                    "tooltip": matches ? "DS at the parent, matching a DNSKEY of \(name)"
                        : "DS at the parent whose digest matches no DNSKEY of \(name)",
                ])
            }
            if zone["dnskeys"].array.isEmpty && zone["ds"].array.isEmpty {
                graph.node("unsigned:" + name, ["id": "unsigned-\(name)", "class": "unsigned status-\(status)", "shape": "box",
                                                "style": "dashed", "color": StatusStyle.colour(status),
                                                "label": "no DS, no DNSKEY\n(unsigned)"])
            }
        }
    }

    private func dsNode(_ zone: String, _ ds: ReportDocument) -> String {
        "ds:\(zone):\(ds["key_tag"].int ?? 0):\(ds["algorithm"].int ?? 0):\(ds["digest_type"].int ?? 0)"
    }

    private func drawLinks(_ zone: ReportDocument, parentDrawn: Bool, into graph: inout DotGraph) {
        let name = zone["zone"].text
        let keys = zone["dnskeys"].array
        let keyNodes = keys.map { TrustChainDrawing.keyNode(name, $0["key_tag"].int ?? 0, $0["algorithm"].int ?? 0) }
        // DS -> the key it names, or a broken arrow into the key set.
        for ds in zone["ds"].array {
            let tag = ds["key_tag"].int ?? 0, algorithm = ds["algorithm"].int ?? 0
            if ds["matches_key"].bool {
                graph.edge(dsNode(name, ds), TrustChainDrawing.keyNode(name, tag, algorithm),
                           ["class": "digest valid", "color": StatusStyle.colour("secure"), "tooltip": "digest of this key"])
            } else if let first = keyNodes.first {
                graph.edge(dsNode(name, ds), first, ["class": "digest broken", "color": StatusStyle.colour("bogus"),
                                                     "style": "dashed", "label": "✘ no key with this digest",
                                                     "fontcolor": StatusStyle.colour("bogus")])
            }
        }
        // RRSIGs over the DNSKEY set: from the signing key to every key it covers.
        for signature in zone["dnskey_signatures"].array {
            let signer = signerNode(name, signature, keys: keys, into: &graph)
            for (index, key) in keyNodes.enumerated() where key == signer || keys[index]["role"].text != "ksk" || keyNodes.count == 1 {
                graph.edge(signer, key, signatureStyle(signature, labelled: key == signer))
            }
        }
        guard let parent = zone["parent"].string, parentDrawn else { return }
        let parentZone = zones.first { $0["zone"].text == parent }
        let parentKeys = parentZone?["dnskeys"].array ?? []
        // RRSIGs over the DS set, made by the parent's keys.
        for signature in zone["ds_signatures"].array {
            let signer = signerNode(parent, signature, keys: parentKeys, into: &graph)
            for ds in zone["ds"].array { graph.edge(signer, dsNode(name, ds), signatureStyle(signature, labelled: true)) }
        }
        if zone["ds"].array.isEmpty, let parentKey = parentKeys.first(where: { $0["role"].text != "ksk" }) ?? parentKeys.first {
            let status = zone["status"].text
            let target = keys.isEmpty ? "unsigned:" + name : keyNodes[0]
            graph.edge(TrustChainDrawing.keyNode(parent, parentKey["key_tag"].int ?? 0, parentKey["algorithm"].int ?? 0), target,
                       ["class": "no-ds status-\(status)", "color": StatusStyle.colour(status), "style": "dashed",
                        "label": status == "insecure" ? "no DS: insecure delegation" : "no DS",
                        "fontcolor": StatusStyle.colour(status)])
        }
    }

    /// The key that made a signature, or a dashed stand-in when the zone
    /// publishes no key with that tag.
    private func signerNode(_ zone: String, _ signature: ReportDocument, keys: [ReportDocument], into graph: inout DotGraph) -> String {
        let tag = signature["key_tag"].int ?? 0, algorithm = signature["algorithm"].int ?? 0
        let node = TrustChainDrawing.keyNode(zone, tag, algorithm)
        if !keys.contains(where: { $0["key_tag"].int == tag && $0["algorithm"].int == algorithm }) {
            graph.node(node, ["id": "dnskey-\(zone)-\(tag)", "class": "dnskey missing status-bogus", "shape": "ellipse",
                              "style": "dashed", "color": StatusStyle.colour("bogus"),
                              "label": "DNSKEY id \(tag)\n\(StatusStyle.algorithm(algorithm))\n(not published)"])
        }
        return node
    }

    private func signatureStyle(_ signature: ReportDocument, labelled: Bool) -> DotGraph.Attributes {
        let window = "\(UTCDate.day(signature["inception"].int ?? 0)) to \(UTCDate.day(signature["expiration"].int ?? 0))"
        let valid = signature["valid"].bool
        let colour = StatusStyle.colour(valid ? "secure" : "bogus")
        var style: DotGraph.Attributes = [
            "class": "rrsig " + (valid ? "valid" : "broken"), "color": colour, "fontcolor": colour,
            "style": valid ? "solid" : "dashed",
            "tooltip": "RRSIG by key \(signature["key_tag"].int ?? 0) of \(signature["signer"].text), valid \(window)"
                + (signature["problem"].string.map { ": \($0)" } ?? ""),
        ]
        if labelled {
            style.set("label", valid ? "RRSIG\n\(window)" : "✘ \(signature["problem"].text)\n\(window)")
        }
        return style
    }
}
