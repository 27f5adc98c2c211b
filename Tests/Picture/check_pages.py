"""Opens each page Tests/Picture/run.sh wrote in headless Chromium and checks
what an operator would look for: the page loads from disk with no console
error and no request but its own file, the embedded JSON document is the
one `--json` printed in the same run, the nodes and edges the case needs
are there in the colour of their DNSSEC status, and the cards and the
diagnosis say the verdict. A screenshot of each page goes to OUT/shots.

    check_pages.py OUT
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Browser  # noqa: E402

# Sources/XMPPDNAPicture/StatusStyle.swift
COLOURS = {"secure": "#0a5fb4", "insecure": "#333333", "bogus": "#d0021b", "indeterminate": "#d97a00"}

# Every SVG node and edge: id, classes, text, and the stroke of its first shape.
SURVEY = """(() => Array.from(document.querySelectorAll('#drawing svg g.node, #drawing svg g.edge, #drawing svg g.cluster'))
  .map(g => { const shape = g.querySelector('ellipse, polygon, path');
              return {id: g.id, classes: Array.from(g.classList), text: g.textContent.replace(/\\s+/g, ' ').trim(),
                      stroke: shape ? shape.getAttribute('stroke') : null}; }))()"""

failures = []
passed = 0


def check(case, what, ok, detail=""):
    global passed
    if ok:
        passed += 1
        print("ok - %s: %s" % (case, what))
    else:
        failures.append("%s: %s" % (case, what))
        print("not ok - %s: %s %s" % (case, what, detail))


class Drawing:
    def __init__(self, items):
        self.items = items
        self.by_id = {item["id"]: item for item in items}

    def get(self, id_):
        return self.by_id.get(id_)

    def has(self, id_, *classes):
        item = self.get(id_)
        return item is not None and all(c in item["classes"] for c in classes)

    def with_class(self, *classes):
        return [i for i in self.items if all(c in i["classes"] for c in classes)]


def common(case, page, document, drawing, exit_code, expected_exit):
    check(case, "exit code %d" % expected_exit, exit_code == expected_exit, "got %d" % exit_code)
    check(case, "no console error", not page.console_errors, page.console_errors)
    local = [u for u in page.requests if not u.startswith("file://")]
    check(case, "no request but the page's own file", not local, local)
    embedded = json.loads(page.evaluate("document.getElementById('xmppdna-report').textContent"))
    check(case, "the embedded document is the one --json printed", embedded == document)
    check(case, "the title names the domain", document["domain"] in page.evaluate("document.title"))
    wrong = [(i["id"], s, i["stroke"]) for i in drawing.items for s in COLOURS
             if "status-" + s in i["classes"] and "cluster" not in i["classes"] and i["stroke"] != COLOURS[s]]
    check(case, "every node and edge has its status's colour", not wrong, wrong[:5])
    statuses = {c for i in drawing.items for c in i["classes"] if c.startswith("status-")}
    check(case, "the drawing carries DNSSEC statuses", bool(statuses), statuses)
    summary = page.evaluate("document.getElementById('summary').className")
    check(case, "the summary says %s" % ("ok" if expected_exit == 0 else "failed"),
          ("ok" if expected_exit == 0 else "failed") in summary.split(), summary)
    sentences = page.evaluate("Array.from(document.querySelectorAll('#diagnosis li')).map(l => l.textContent)")
    wanted = [s for e in document["endpoints"] for s in e["diagnosis"]] + ([document["dns_problem"]] if document["dns_problem"] else [])
    check(case, "the diagnosis sentences of check are at the top",
          all(any(s in li for li in sentences) for s in wanted), wanted)
    cards = page.evaluate("document.querySelectorAll('#endpoints article.card').length")
    check(case, "a card per endpoint", cards == len(document["endpoints"]), "%d cards" % cards)
    for index, endpoint in enumerate(document["endpoints"]):
        state = "verified" if endpoint["verified"] else ("failed" if endpoint["reachable"] else "unreachable")
        check(case, "endpoint %d is drawn %s" % (index, state), drawing.has("endpoint-%d" % index, "endpoint", state))
    links = page.evaluate("Array.from(document.querySelectorAll('#drawing svg g.endpoint a')).map(a => "
                          "document.querySelector(a.getAttribute('xlink:href') || a.getAttribute('href')) ? 1 : 0)")
    check(case, "each endpoint in the drawing links to its card", links == [1] * len(document["endpoints"]), links)
    for zone in document["dns"]["zones"]:
        check(case, "zone %s is drawn %s" % (zone["zone"], zone["status"]),
              drawing.has("zone-" + zone["zone"], "zone", "status-" + zone["status"]))


def card_rows(page, index):
    return page.evaluate("Array.from(document.querySelectorAll('#card-%d tr.attempt')).map(r => "
                         "Array.from(r.cells).map(c => c.textContent))" % index)


def secure_dane(case, page, document, drawing):
    check(case, "the domain is secure and acceptable", drawing.has("name-example.com", "domain", "status-secure", "acceptable"))
    srv = drawing.with_class("srv")
    check(case, "three secure SRV records", len(srv) == 3 and all("status-secure" in s["classes"] for s in srv), srv)
    check(case, "the delegated hosts are acceptable",
          drawing.has("name-host1.example.net", "acceptable") and drawing.has("name-host2.example.net", "acceptable"))
    check(case, "TLSA beside each endpoint", all(drawing.has("tlsa-_%d._tcp.%s" % (p, h), "tlsa", "status-secure")
                                                 for p, h in [(5269, "host1.example.net"), (5270, "host1.example.net"),
                                                              (5269, "host2.example.net")]))
    check(case, "every endpoint verified", len(drawing.with_class("endpoint", "verified")) == 6)
    check(case, "the root's KSK is the trust anchor", len(drawing.with_class("dnskey", "trust-anchor")) >= 1)
    check(case, "no broken link", not drawing.with_class("broken"))
    rows = card_rows(page, 0)
    check(case, "the first card says DANE accepted", ["DANE", "accepted"] == rows[0][:2], rows)
    check(case, "the card shows the TLS version and cipher", "TLSv1.3" in page.evaluate("document.getElementById('card-0').textContent"))


def posh_only(case, page, document, drawing):
    check(case, "the domain is insecure", drawing.has("name-insecure.example", "domain", "status-insecure"))
    check(case, "its SRV record is insecure", all("status-insecure" in s["classes"] for s in drawing.with_class("srv")))
    check(case, "host1 is not an acceptable name", drawing.get("name-host1.example.net") is not None
          and not drawing.has("name-host1.example.net", "acceptable"))
    check(case, "no TLSA looked up", not drawing.with_class("tlsa"))
    check(case, "the zone is an insecure delegation", bool(drawing.with_class("no-ds", "status-insecure")))
    check(case, "the endpoints are verified", drawing.with_class("endpoint", "verified")
          and not drawing.with_class("endpoint", "failed"))
    rows = card_rows(page, 0)
    check(case, "the card says POSH accepted", ["POSH", "accepted"] in [r[:2] for r in rows], rows)


def unsigned_delegation(case, page, document, drawing):
    check(case, "the SRV record is insecure", all("status-insecure" in s["classes"] for s in drawing.with_class("srv")))
    check(case, "the zone has no DS", drawing.has("zone-unsigned.example.net", "status-insecure"))
    check(case, "the endpoints failed", drawing.with_class("endpoint", "failed")
          and not drawing.with_class("endpoint", "verified"))
    text = page.evaluate("document.getElementById('diagnosis').textContent")
    check(case, "the diagnosis says what to do", "sign the zone or obtain a certificate for unsigned.example.net" in text)


def bogus(case, page, document, drawing):
    domain = drawing.get("name-bogus.example")
    check(case, "the domain is bogus with its RFC 8914 reason",
          domain is not None and "status-bogus" in domain["classes"] and "Signature Expired" in domain["text"], domain)
    check(case, "the zone is bogus", drawing.has("zone-bogus.example", "status-bogus"))
    refused = drawing.with_class("srv", "refused", "status-bogus")
    check(case, "the bogus SRV record is drawn refused, in red",
          len(refused) == 1 and refused[0]["stroke"] == COLOURS["bogus"] and "host1.example.net" in refused[0]["text"], refused)
    check(case, "its target is no acceptable name", not drawing.has("name-host1.example.net", "acceptable"))
    broken = drawing.with_class("rrsig", "broken")
    check(case, "the broken link is the expired RRSIG, in red",
          broken and all(b["stroke"] == COLOURS["bogus"] for b in broken)
          and any("signature has expired" in b["text"] for b in broken), broken)
    check(case, "the parent's link is intact", drawing.has("zone-example", "status-secure"))
    problem = page.evaluate("document.querySelector('#diagnosis .problem').textContent")
    check(case, "the DNS problem is at the top", "bogus" in problem and "refusing to connect" in problem, problem)


def tlsa_mismatch(case, page, document, drawing):
    check(case, "the delegation is secure", all("status-secure" in s["classes"] for s in drawing.with_class("srv")))
    check(case, "the endpoints failed", drawing.with_class("endpoint", "failed")
          and not drawing.with_class("endpoint", "verified"))
    rows = card_rows(page, 0)
    dane = [r for r in rows if r[0] == "DANE"]
    check(case, "DANE rejected for the mismatch", dane and dane[0][1] == "rejected" and "match" in dane[0][2], rows)
    text = page.evaluate("document.getElementById('diagnosis').textContent")
    check(case, "the diagnosis points at a rollover", "after a certificate rollover?" in text)


def cname_hop(case, page, document, drawing):
    hops = [e for e in drawing.with_class("edge", "status-secure") if "CNAME" in e["text"]]
    check(case, "the secure CNAME hop from the SRV target to host1 is drawn",
          any("name:xmpp.alias.example.com->name:host1.example.net" in e["text"] for e in hops), hops)
    check(case, "both names on the secure chain are acceptable",
          drawing.has("name-xmpp.alias.example.com", "acceptable") and drawing.has("name-host1.example.net", "acceptable"))
    check(case, "host1's addresses hang from it", drawing.has("address-127.0.0.1", "status-secure", "acceptable"))
    text = page.evaluate("document.getElementById('diagnosis').textContent")
    check(case, "the diagnosis says the server does not serve the domain", "it does not serve alias.example.com" in text, text)


CASES = [("secure-dane", 0, secure_dane), ("posh-only", 0, posh_only), ("unsigned-delegation", 1, unsigned_delegation),
         ("bogus", 3, bogus), ("cname-hop", 3, cname_hop), ("tlsa-mismatch", 1, tlsa_mismatch)]


def main():
    out = sys.argv[1]
    shots = os.path.join(out, "shots")
    os.makedirs(shots, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile, Browser(profile) as browser:
        for name, expected_exit, specific in CASES:
            exit_code = int(open(os.path.join(out, name + ".exit")).read())
            with open(os.path.join(out, name + ".json")) as stream:
                document = json.load(stream)
            page = browser.open("file://" + os.path.abspath(os.path.join(out, name + ".html")))
            drawing = Drawing(page.evaluate(SURVEY))
            common(name, page, document, drawing, exit_code, expected_exit)
            specific(name, page, document, drawing)
            svg = open(os.path.join(out, name + ".svg")).read()
            check(name, "--svg wrote the same drawing", svg[svg.index("<svg"):].strip() in
                  open(os.path.join(out, name + ".html")).read())
            page.screenshot(os.path.join(shots, name + ".png"))
            page.collect()
            check(name, "still no console error after the screenshot", not page.console_errors, page.console_errors)
            print("# screenshot: " + os.path.join(shots, name + ".png"))
    said = open(os.path.join(out, "no-graphviz.err")).read()
    check("no-graphviz", "exit 2 and a clear message without Graphviz",
          open(os.path.join(out, "no-graphviz.exit")).read().strip() == "2" and "apt install graphviz" in said, said)
    check("no-graphviz", "no page written", not os.path.exists(os.path.join(out, "none.html")))
    print("picture: %d passed, %d failed" % (passed, len(failures)))
    if failures:
        for failure in failures:
            print("FAILED: " + failure)
        sys.exit(1)


if __name__ == "__main__":
    main()
