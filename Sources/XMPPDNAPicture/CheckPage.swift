/// The page of one check: the summary and diagnosis first, then the
/// drawing with its legend, a card per endpoint, the acceptable names and
/// the JSON document it was all made from. One file: styles and drawing
/// inline, nothing fetched (its Content-Security-Policy forbids it).
struct CheckPage {
    let report: ReportDocument
    let json: String
    let svg: String

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    var html: String {
        let domain = report["domain"].text
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="xmppdna check">
        <title>xmppdna check: \(e(domain))</title>
        <style>\(CheckPage.style)</style>
        </head>
        <body>
        \(header)
        \(diagnosis)
        <section id="drawing"><h2>Delegation and chain of trust</h2>
        \(legend)
        <div class="svg">\(svg)</div>
        </section>
        \(endpoints)
        \(acceptableNames)
        <section id="document"><h2>The JSON document</h2>
        <p>Everything on this page is drawn from this document, the output of <code>xmppdna check \(e(domain)) --json</code>.</p>
        <details><summary>Show</summary><pre>\(e(json))</pre></details>
        </section>
        <script type="application/json" id="xmppdna-report">\(HTMLText.scriptJSON(json))</script>
        </body>
        </html>

        """
    }

    private var header: String {
        let summary = report["summary"]
        let total = summary["endpoints"].int ?? 0, verified = summary["verified"].int ?? 0
        let exit = report["exit_code"].int ?? 1
        let (word, kind) = exit == 0 ? ("OK", "ok") : ("FAILED", "failed")
        let detail = exit == 3 ? "no endpoint reachable (\(verified) of \(total) endpoints verified)" : "\(verified) of \(total) endpoints verified"
        let dnsStatus = report["dns"]["names"]["status"].text
        return """
        <header>
        <h1>\(e(report["domain"].text)) <small>\(e(report["service"].text))</small></h1>
        <p id="summary" class="summary \(kind)"><strong>\(word)</strong>: \(e(detail))</p>
        <p class="dns">DNS <span class="status status-\(e(dnsStatus))">\(e(dnsStatus))</span>\
        \(report["dns"]["names"]["reason"].string.map { ": " + e($0) } ?? "")</p>
        </header>
        """
    }

    /// The sentences `xmppdna check` prints, in its order.
    private var diagnosis: String {
        var items: [String] = []
        if let problem = report["dns_problem"].string { items.append("<li class=\"problem\">\(e(problem))</li>") }
        for (index, endpoint) in report["endpoints"].array.enumerated() {
            let sentences = endpoint["diagnosis"].array.map { "<li>\(e($0.text))</li>" }.joined()
            items.append("<li><a href=\"#card-\(index)\">\(e(label(endpoint)))</a><ul>\(sentences)</ul></li>")
        }
        return "<section id=\"diagnosis\"><h2>Diagnosis</h2><ul>\(items.joined(separator: "\n"))</ul></section>"
    }

    private var legend: String {
        let statuses = StatusStyle.statuses.map {
            "<li><span class=\"swatch\" style=\"border-color:\(StatusStyle.colour($0))\"></span>\($0)</li>"
        }.joined()
        return """
        <ul class="legend">\(statuses)\
        <li><span class="swatch fill" style="background:\(StatusStyle.acceptableFill)"></span>acceptable name</li>\
        <li><span class="swatch fill" style="background:\(StatusStyle.verifiedFill)"></span>verified endpoint</li>\
        <li><span class="swatch fill" style="background:\(StatusStyle.failedFill)"></span>failed endpoint</li>\
        <li>dashed: bogus or indeterminate, or missing; double border: trust anchor</li></ul>
        """
    }

    private func label(_ endpoint: ReportDocument) -> String {
        "\(endpoint["host"].text):\(endpoint["port"].int ?? 0)" + (endpoint["address"].string.map { " (\($0))" } ?? "")
            + (endpoint["direct_tls"].bool ? " direct TLS" : " STARTTLS")
    }

    private var endpoints: String {
        let cards = report["endpoints"].array.enumerated().map { card($1, index: $0) }
        let none = cards.isEmpty ? "<p class=\"problem\">No endpoint to connect to"
            + (report["dns_problem"].string.map { ": " + e($0) } ?? ".") + "</p>" : ""
        return "<section id=\"endpoints\"><h2>Endpoints</h2>\(none)<div class=\"cards\">\(cards.joined(separator: "\n"))</div></section>"
    }

    private func card(_ endpoint: ReportDocument, index: Int) -> String {
        let state = !endpoint["reachable"].bool ? "unreachable" : (endpoint["verified"].bool ? "verified" : "failed")
        var rows = [row("address", endpoint["address"].string ?? "none"),
                    row("transport", endpoint["direct_tls"].bool ? "direct TLS (XEP-0368)" : "STARTTLS")]
        if let error = endpoint["error"].string ?? endpoint["error"]["message"].string {
            rows.append(row("error", "\(endpoint["error"]["kind"].text): \(error)"))
        }
        let tls = endpoint["tls"]
        if tls["version"].string != nil {
            rows.append(row("TLS", "\(tls["version"].text) \(tls["cipher"].text)" + (tls["alpn"].string.map { ", ALPN \($0)" } ?? "")))
        }
        let certificate = endpoint["certificate"]
        if certificate["chain_length"].int != nil {
            rows.append(row("certificate", certificate["names"].array.map(\.text).joined(separator: ", ")))
            rows.append(row("expires", certificate["not_after"].int.map(UTCDate.text) ?? "unknown"))
            rows.append(row("chain", "\(certificate["chain_length"].int ?? 0) certificates"))
        }
        let verdict = endpoint["verdict"]
        let attempts = verdict["attempts"].array.map { attempt in
            let outcome = attempt["outcome"].text
            return "<tr class=\"attempt \(e(outcome))\"><td>\(e(attempt["prooftype"].text.uppercased()))</td>"
                + "<td class=\"outcome\">\(e(outcome.replacingAll("_", with: " ")))</td><td>\(e(attempt["reason"].text))</td></tr>"
        }
        let evidence = verdict["evidence"].array.map { item in
            let status = item["status"].string
            return "<li>\(e(item["what"].text))" + (status.map { " <span class=\"status status-\(e($0))\">\(e($0))</span>" } ?? "") + "</li>"
        }
        var body = "<table class=\"facts\">\(rows.joined())</table>"
        if !attempts.isEmpty {
            body += "<table class=\"prooftypes\"><tr><th>prooftype</th><th>outcome</th><th>reason</th></tr>\(attempts.joined())</table>"
        }
        if let match = verdict["tlsa_match"].string { body += "<p class=\"relied\">TLSA record that matched: <code>\(e(match))</code></p>" }
        if !evidence.isEmpty { body += "<p class=\"relied\">Relied on:</p><ul class=\"evidence\">\(evidence.joined())</ul>" }
        let sentences = endpoint["diagnosis"].array.map { "<li>\(e($0.text))</li>" }.joined()
        return """
        <article class="card \(state)" id="card-\(index)"><h3><span class="badge">\(state)</span> \(e(label(endpoint)))</h3>
        \(body)<ul class="diagnosis">\(sentences)</ul></article>
        """
    }

    private func row(_ name: String, _ value: String) -> String { "<tr><th>\(e(name))</th><td>\(e(value))</td></tr>" }

    private var acceptableNames: String {
        let rows = report["dns"]["names"]["acceptable_names"].array.map { name in
            "<tr><td>\(e(name["name"].text))</td><td><span class=\"status status-\(e(name["status"].text))\">"
                + "\(e(name["status"].text))</span></td><td>\(e(name["source"].text))</td></tr>"
        }
        return """
        <section id="names"><h2>Acceptable names</h2>
        <p>The names a certificate may carry for \(e(report["domain"].text)): the domain, and what its secure SRV records delegate to.</p>
        <table><tr><th>name</th><th>status</th><th>source</th></tr>\(rows.joined())</table></section>
        """
    }

    private static let style = """
    body{font:14px/1.45 system-ui,Helvetica,Arial,sans-serif;margin:0 auto;max-width:1400px;padding:0 1.5em 3em;color:#222}
    h1{margin:.6em 0 .2em}h1 small{color:#666;font-weight:normal;font-size:.55em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em}
    .summary{font-size:1.2em;padding:.4em .8em;border-radius:6px;display:inline-block;margin:.2em 0}
    .summary.ok{background:\(StatusStyle.verifiedFill)}.summary.failed{background:\(StatusStyle.failedFill)}
    .status{font-weight:600}\(StatusStyle.statuses.map { ".status-\($0){color:\(StatusStyle.colour($0))}" }.joined())
    .problem{color:\(StatusStyle.colour("bogus"));font-weight:600}
    .legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1.2em;color:#444}
    .swatch{display:inline-block;width:1.4em;height:.9em;border:2px solid;margin-right:.4em;vertical-align:middle;border-radius:3px}
    .swatch.fill{border-color:#999}
    .svg{overflow:auto;border:1px solid #eee;border-radius:6px;padding:.5em}.svg svg{max-width:100%;height:auto}
    .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:1em}
    .card{border:1px solid #ccc;border-radius:8px;padding:.2em 1em 1em;min-width:0}.card h3{font-size:1em}
    .card td,.card li,.card p,.card code{overflow-wrap:anywhere}
    .card.verified{border-left:6px solid #3c9a3c}.card.failed{border-left:6px solid \(StatusStyle.colour("bogus"))}
    .card.unreachable{border-left:6px solid #999}
    .badge{text-transform:uppercase;font-size:.8em;padding:.1em .5em;border-radius:4px;background:#eee}
    .verified .badge{background:\(StatusStyle.verifiedFill)}.failed .badge{background:\(StatusStyle.failedFill)}
    table{border-collapse:collapse;margin:.4em 0}th,td{text-align:left;vertical-align:top;padding:.15em .6em .15em 0}
    .facts th{color:#666;font-weight:normal;white-space:nowrap}.prooftypes th{color:#666;font-weight:normal}
    .outcome{white-space:nowrap}.attempt.accepted .outcome{color:#2a7d2a;font-weight:600}.attempt.rejected .outcome{color:\(StatusStyle.colour("bogus"));font-weight:600}
    .relied{margin:.4em 0 0;color:#666}.evidence{margin:.2em 0}
    pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:1em;border-radius:6px;font-size:12px}
    """
}
