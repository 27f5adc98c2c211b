import Testing
import XMPPDNACore
@testable import XMPPDNAPicture

private func occurrences(of needle: String, in text: String) -> Int {
    var count = 0
    var rest = text[...]
    while let found = rest.firstRange(of: needle) {
        count += 1
        rest = rest[found.upperBound...]
    }
    return count
}

/// A document as `check --json` writes it, with hostile text wherever a
/// name, a record or a certificate can put it.
private let hostile = #"""
{"schema_version":1,"domain":"<img src=x onerror=alert(1)>","service":"xmpp-server",
 "dns":{"names":{"domain":"x","status":"bogus","reason":"</script><script>alert(2)</script>","kind":"srv",
   "acceptable_names":[{"name":"\"a\\G","type":"dns","status":"secure","source":"<b>"}],
   "candidates":[{"host":"h\"\\N","port":5269,"records":[
     {"record":"SRV _xmpp-server._tcp.x 0 0 5269 h\"\\N.","status":"secure"},
     {"record":"A h\"\\N 127.0.0.1","status":"secure"}]}]},
  "tlsa":[],"zones":[{"zone":"x","parent":null,"trust_anchor":false,"status":"bogus","reason":"\\L\u0007",
    "ds":[],"ds_signatures":[],"dnskeys":[],"dnskey_signatures":[]}]},
 "dns_problem":"<u>problem</u>",
 "endpoints":[{"host":"h","port":5269,"direct_tls":false,"address":"127.0.0.1","reachable":true,"verified":false,
   "tls":{"version":"TLSv1.3","cipher":"<i>","alpn":null},
   "certificate":{"names":["DNS-ID <evil>\"'&"],"not_after":2051222400,"chain_length":1},
   "verdict":{"prooftype":null,"attempts":[{"prooftype":"pki","outcome":"rejected","reason":"<x>"}],"evidence":[]},
   "diagnosis":["<script>alert(3)</script>"]}],
 "summary":{"endpoints":1,"verified":0,"failed":1,"unreachable":0},"exit_code":1}
"""#

@Suite struct CheckPictureTests {
    @Test func hostileTextNeverBecomesMarkup() throws {
        let page = try CheckPicture(json: hostile).page(svg: "<svg></svg>")
        #expect(!page.contains("<img"))
        #expect(!page.contains("<u>") && !page.contains("<b>") && !page.contains("<i>") && !page.contains("<evil>"))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(page.contains("DNS-ID &lt;evil&gt;&quot;&#39;&amp;"))
        // The only script element is the JSON block, and nothing inside it ends it early.
        #expect(occurrences(of: "<script", in: page) == 1)
        #expect(occurrences(of: "</script>", in: page) == 1)
        #expect(page.contains("\\u003c/script>\\u003cscript>alert(2)"))
    }

    @Test func theEmbeddedDocumentReadsBackAsTheSame() throws {
        let page = try CheckPicture(json: hostile).page(svg: "")
        let start = try #require(page.firstRange(of: "<script type=\"application/json\" id=\"xmppdna-report\">"))
        let end = try #require(page[start.upperBound...].firstRange(of: "</script>"))
        let embedded = try JSONParser.parse(Array(page[start.upperBound..<end.lowerBound].utf8))
        #expect(embedded == (try JSONParser.parse(Array(hostile.utf8))))
    }

    @Test func hostileTextIsQuotedForGraphviz() throws {
        let dot = try CheckPicture(json: hostile).dot
        // A backslash from DNS stays a backslash (\\N), never Graphviz's \N escape.
        #expect(dot.contains(#""name:h\"\\N""#))
        #expect(!dot.contains("\u{07}"))
        #expect(DotGraph.quote("a\"b\\c\nd\u{0}e") == #""a\"b\\c\nde""#)
    }

    @Test func aNameHasTheStatusOfThePathThatReachedIt() throws {
        // A secure SRV to host1, whose addresses are insecure: host1 stays secure
        // (and acceptable); its address records are drawn insecure.
        let json = #"""
        {"domain":"example.com","dns":{"names":{"status":"secure",
          "acceptable_names":[{"name":"example.com"},{"name":"host1.example.net"}],
          "candidates":[{"records":[{"record":"SRV _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.","status":"secure"},
                                    {"record":"CNAME host1.example.net host9.example.org","status":"insecure"},
                                    {"record":"A host9.example.org 192.0.2.1","status":"insecure"}]}]}}}
        """#
        let dot = try CheckPicture(json: json).dot
        #expect(dot.contains(#""name:host1.example.net" [id="name-host1.example.net", class="name status-secure acceptable""#))
        #expect(dot.contains(#""name:host9.example.org" [id="name-host9.example.org", class="name status-insecure""#))
        #expect(dot.contains(#""address:192.0.2.1" [id="address-192.0.2.1", class="record address status-insecure""#))
    }

    @Test func anyDocumentRenders() throws {
        for json in ["{}", "[]", "{\"dns\":7,\"endpoints\":{\"a\":1}}"] {
            let picture = try CheckPicture(json: json)
            #expect(picture.dot.hasPrefix("digraph \"xmppdna\" {"))
            #expect(picture.page(svg: "").hasPrefix("<!DOCTYPE html>"))
        }
        #expect(throws: JSONParser.Error.self) { try CheckPicture(json: "{\"domain\":") }
    }

    @Test func onlyTheSVGElementOfGraphvizOutputIsInlined() {
        let output = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\">\n<svg width=\"1pt\"></svg>\n"
        #expect(CheckPicture.inlineSVG(output) == "<svg width=\"1pt\"></svg>\n")
        #expect(CheckPicture.inlineSVG("dot: error") == "")
    }

    @Test func recordLinesAsTheNameListWritesThem() {
        #expect(DNSRecordLine("SRV _xmpp-server._tcp.example.com 5 0 5269 host1.example.net.").kind
                == .srv(target: "host1.example.net", data: "5 0 5269 host1.example.net."))
        #expect(DNSRecordLine("CNAME xmpp.alias.example.com host1.example.net").kind == .cname(target: "host1.example.net"))
        #expect(DNSRecordLine("AAAA host1.example.net ::1").kind == .address(type: "AAAA", value: "::1"))
        #expect(DNSRecordLine("A host1.example.net (none)").kind == .address(type: "A", value: nil))
        let denial = DNSRecordLine("no SRV at _xmpp-server._tcp.example.org")
        #expect(denial.kind == .noSRV && denial.owner == "_xmpp-server._tcp.example.org")
        #expect(DNSRecordLine("SRV broken").kind == .other)
    }

    @Test func datesAreUTC() {
        #expect(UTCDate.text(0) == "1970-01-01 00:00 UTC")
        #expect(UTCDate.text(2_051_222_400) == "2035-01-01 00:00 UTC")
        #expect(UTCDate.text(951_825_600) == "2000-02-29 12:00 UTC")
        #expect(UTCDate.text(-1) == "1969-12-31 23:59 UTC")
        #expect(UTCDate.day(4_107_542_400) == "2100-03-01")
    }
}
