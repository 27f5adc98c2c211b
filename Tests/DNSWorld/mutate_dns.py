#!/usr/bin/python3
"""A mutating authoritative server for differential fuzzing of the validator.

    mutate_dns.py PORT CONTROL_PORT UPSTREAM_PORT ZONES_DIR PIDFILE OWNER_PID

It listens on 127.0.0.1:PORT (UDP and TCP) and answers every question with the
world's genuine answer (asked of NSD on 127.0.0.1:UPSTREAM_PORT over TCP, with
DO, and kept) or with a MUTATION of it. Every record it serves is genuine and
signed: it comes from NSD or from the signed zone files in ZONES_DIR. Nothing
is forged except where a mutation names it (bitmap, flags, rcode).

Whether and how a question is mutated is a deterministic function of
(case seed, asked qname lowercased, qtype), so the library's validator and the
oracle Unbound (whose stub-zones all point here) see the same mutated world in
one case, whatever order and transport they ask in.

Control channel (UDP on 127.0.0.1:CONTROL_PORT, one datagram each way):
  "case SEED QNAME QTYPE [NAME/TYPE ...]"
                           switch to a case; the reply "ok SEED POLICY" is sent
                           only after the switch, so a client that waits for
                           it cannot race a question against the old case.
                           QNAME/QTYPE is the case's question (policy "focus"
                           mutates it, and only it); the optional NAME/TYPE
                           questions are exempt (answered genuinely), to rerun
                           a case without the mutation of a question that only
                           one side asked.
  "log"                    the mutations applied since the last "case", one
                           line each: "QNAME QTYPE [ASKERS]: description",
                           where ASKERS says who asked that question:
                           "validator" (RD set, as the library asks) and/or
                           "oracle" (RD clear, as Unbound's iterator asks).
  "stop"                   exits.

Per case the policy (from the seed) is one of: none (5%, a control: the world
as it is), focus (45%: only the case's question), sparse (30%: every question
with probability 0.15), dense (20%: with probability 0.4). A mutated question
gets one mutation, sometimes two stacked (25%). The mutations:

  drop-rrsig        an RRset's RRSIGs dropped (answer or authority)
  drop-rrset        an RRset dropped, with its RRSIGs or leaving them behind
  strip-rrsigs      every RRSIG of the response dropped
  rcode-flip        NOERROR <-> NXDOMAIN, sections unchanged
  donor-authority   the authority section (and optionally the rcode, and the
                    answer emptied) of another question's genuine denial:
                    NXDOMAIN and NODATA in NSEC, NSEC3 and opt-out zones,
                    wildcard expansions, DS denials of unsigned children
  foreign-chain     the NSEC/NSEC3 records replaced by (a few or all of)
                    another zone's NSEC or NSEC3 chain, optionally with that
                    zone's SOA
  last-nsec         the last NSEC of a zone (next name wraps to its apex)
                    added to, or replacing, the authority section's denial
  nsec3-ancestors   the zone's genuine NSEC3s at H(qname) and H(ancestors)
                    (and the apex) as the denial, rcode NOERROR or NXDOMAIN
  nsec-at-name      the zone's NSEC (or NSEC3) *at* the asked name as a denial
                    of a name that exists
  wildcard-rename   a wildcard RRset of the world (*.wild.example.com A,
                    *._tcp.wc.example.com/.net SRV) renamed onto the asked
                    name, with a genuine, a donor, an at-name or no authority
  answer-swap       the answer replaced by another name's RRset of the asked
                    type (DS, DNSKEY, A, AAAA, SRV, TLSA, CNAME), with its
                    RRSIGs, renamed onto the asked name or under its own name
  type-swap         the answer replaced by another type's RRset at that name
  extra-denial      a genuine NSEC/NSEC3 of the same or another zone added
  bitmap            an NSEC/NSEC3 type bitmap changed (the asked type, DS, NS
                    or SOA added or removed); its RRSIG is kept
  optout-flip       an NSEC3's opt-out flag toggled; its RRSIG is kept
  empty             answer and authority emptied (a stripped denial)

It needs dnspython (Debian's python3-dnspython) and exits by itself when
OWNER_PID is gone, so a crashed test never leaves it behind.
"""
import hashlib
import os
import random
import socket
import sys
import threading
import time

import dns.dnssec
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone

from loopback_dns import announce, ask_upstream, start, take_back_signals

port, control_port, upstream_port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
zones_dir, pidfile, owner_pid = sys.argv[4], sys.argv[5], int(sys.argv[6])
take_back_signals()
N = dns.name.from_text
T = dns.rdatatype
IN = dns.rdataclass.IN
NOERROR, NXDOMAIN = dns.rcode.NOERROR, dns.rcode.NXDOMAIN

# ---------------------------------------------------------------- the world


def load_zones():
    zones = {}
    for entry in sorted(os.listdir(zones_dir)):
        if not entry.endswith(".zone.signed"):
            continue
        origin = "." if entry == "root.zone.signed" else entry[:-len(".zone.signed")] + "."
        zones[origin] = dns.zone.from_file(os.path.join(zones_dir, entry), origin=origin,
                                           relativize=False, check_origin=False)
    return zones


ZONES = load_zones()
ORIGINS = sorted(ZONES)


def signed(origin, owner, rdtype, rename=None):
    """[RRset, RRSIG RRset] at owner in a zone (empty list if absent)."""
    node = ZONES[origin].get_node(owner)
    if node is None:
        return []
    data = node.get_rdataset(IN, rdtype)
    if data is None:
        return []
    name = rename or owner
    result = [rrset_of(name, data)]
    sigs = node.get_rdataset(IN, T.RRSIG, rdtype)
    if sigs is not None:
        result.append(rrset_of(name, sigs))
    return result


def rrset_of(name, rdataset):
    rrset = dns.rrset.RRset(name, IN, rdataset.rdtype, rdataset.covers)
    rrset.update(rdataset)
    return rrset


POOL = {}         # rdtype -> [(origin, owner)] of signed RRsets, sorted
CHAINS = {}       # origin -> (NSEC or NSEC3 type, [owner...])
LAST_NSEC = {}    # origin -> owner of the NSEC whose next name is the apex
WILDCARDS = []    # (origin, owner, rdtype)
for origin in ORIGINS:
    zone = ZONES[origin]
    apex = N(origin)
    for owner in sorted(zone.nodes):
        node = zone.nodes[owner]
        for rdataset in node.rdatasets:
            if rdataset.rdtype == T.RRSIG or node.get_rdataset(IN, T.RRSIG, rdataset.rdtype) is None:
                continue
            # The delegation's NS and glue are not the zone's data (no RRSIG), so
            # only signed sets land here.
            POOL.setdefault(rdataset.rdtype, []).append((origin, owner))
            if rdataset.rdtype in (T.NSEC, T.NSEC3):
                CHAINS.setdefault(origin, (rdataset.rdtype, []))[1].append(owner)
            if rdataset.rdtype == T.NSEC and rdataset[0].next == apex:
                LAST_NSEC[origin] = owner
            if owner.labels[0] == b"*" and rdataset.rdtype not in (T.NSEC, T.NSEC3):
                WILDCARDS.append((origin, owner, rdataset.rdtype))
# The 1,000 SRV targets of many.example.com make no better donors than one.
POOL = {t: [e for e in v if b"many" not in e[1].labels] for t, v in POOL.items()}

# Genuine denials (and a wildcard expansion) whose authority sections are
# donated to other questions.
DONORS = [("nx.example.com.", T.A), ("nx.example.net.", T.A), ("nx.optout.", T.A),
          ("host1.example.net.", T.TXT), ("example.com.", T.TLSA), ("zz.example.", T.A),
          ("nx.com.", T.A), ("nx.net.", T.A), ("nxtld.", T.A), ("com.", T.TLSA),
          ("u1.optout.", T.DS), ("u2.optout.", T.DS), ("u3.optout.", T.DS), ("u9.optout.", T.DS),
          ("unsigned.example.net.", T.DS), ("insecure.example.", T.DS),
          ("x.wild.example.com.", T.A), ("foo._tcp.wc.example.net.", T.SRV),
          ("foo._tcp.wc.example.com.", T.SRV), ("nosrv2.example.com.", T.SRV),
          ("_xmpp-server._tcp.nothere.example.net.", T.SRV), ("example.net.", T.TLSA),
          ("host.s1.optout.", T.TXT), ("nx.s1.optout.", T.A), ("nx.insecure.example.", T.A),
          ("_5269._tcp.host1.example.net.", T.TXT), ("s1.optout.", T.TXT)]

# ---------------------------------------------------------------- upstream

_upstream_cache = {}
_upstream_lock = threading.Lock()


def genuine(qname, qtype):
    """NSD's answer to (qname, qtype) with DO over TCP, kept: a fixed world."""
    qname = N(qname) if isinstance(qname, str) else qname
    key = (qname, qtype)
    with _upstream_lock:
        if key in _upstream_cache:
            return _upstream_cache[key]
    query = dns.message.make_query(qname, qtype, want_dnssec=True, payload=1232)
    query.flags &= ~dns.flags.RD
    response = dns.message.from_wire(ask_upstream(upstream_port, query.to_wire()))
    with _upstream_lock:
        _upstream_cache[key] = response
    return response


# ---------------------------------------------------------------- helpers


def zone_of(name):
    """The closest zone of the world that holds name (as NSD would answer)."""
    best = None
    for origin in ORIGINS:
        if name.is_subdomain(N(origin)) and (best is None or len(N(origin)) > len(N(best))):
            best = origin
    return best


def key(rrset):
    return (rrset.name, rrset.rdtype, rrset.covers)


def covering_type(rrset):
    return rrset.covers if rrset.rdtype == T.RRSIG else rrset.rdtype


def describe(rrset):
    return "%s/%s" % (rrset.name.to_text(), T.to_text(covering_type(rrset)))


def data_sets(section):
    """The non-RRSIG RRsets of a section."""
    return [r for r in section if r.rdtype != T.RRSIG]


def without(section, name, rdtype, data=True, sigs=True):
    out = []
    for r in section:
        if r.name == name and covering_type(r) == rdtype:
            if (r.rdtype == T.RRSIG and sigs) or (r.rdtype != T.RRSIG and data):
                continue
        out.append(r)
    return out


def chain_records(origin, owners):
    result = []
    kind = CHAINS[origin][0]
    for owner in owners:
        result += signed(origin, owner, kind)
    return result


def nsec3_name(origin, name):
    params = ZONES[origin].get_rdataset(N(origin), T.NSEC3PARAM)
    if params is None:
        return None
    params = params[0]
    digest = dns.dnssec.nsec3_hash(name, params.salt or None, params.iterations, params.algorithm)
    return N(digest.lower(), N(origin))


class Response:
    """The parts of a response a mutation may change."""

    def __init__(self, message):
        self.rcode = message.rcode()
        self.answer = list(message.answer)
        self.authority = list(message.authority)
        self.additional = [r for r in message.additional]


# ---------------------------------------------------------------- mutations


def dropped(r, rng, what):
    """drop-rrsig ("rrsig"): the RRSIGs of a random RRset of the answer or
    authority section dropped; drop-rrset ("rrset"): the RRset itself, with
    its RRSIGs or (40%) leaving them behind."""
    sections = [s for s in ("answer", "authority") if data_sets(getattr(r, s))]
    if not sections:
        return None
    section = rng.choice(sections)
    victim = rng.choice(data_sets(getattr(r, section)))
    sigs_left = what == "rrset" and rng.random() < 0.4
    setattr(r, section, without(getattr(r, section), victim.name, victim.rdtype,
                                data=what == "rrset", sigs=not sigs_left))
    return "drop-%s %s %s%s" % (what, section, describe(victim), " (its RRSIGs left)" if sigs_left else "")


def m_drop_rrsig(r, qname, qtype, rng):
    return dropped(r, rng, "rrsig")


def m_drop_rrset(r, qname, qtype, rng):
    return dropped(r, rng, "rrset")


def m_strip_rrsigs(r, qname, qtype, rng):
    r.answer = [x for x in r.answer if x.rdtype != T.RRSIG]
    r.authority = [x for x in r.authority if x.rdtype != T.RRSIG]
    return "strip-rrsigs"


def m_rcode_flip(r, qname, qtype, rng):
    if r.rcode == NOERROR:
        r.rcode = NXDOMAIN
        return "rcode-flip NOERROR->NXDOMAIN"
    if r.rcode == NXDOMAIN:
        r.rcode = NOERROR
        return "rcode-flip NXDOMAIN->NOERROR"
    return None


def m_donor_authority(r, qname, qtype, rng):
    donor = rng.choice([d for d in DONORS if d != (qname.to_text(), qtype)])
    given = genuine(*donor)
    r.authority = list(given.authority)
    parts = ["donor-authority from %s %s" % (donor[0], T.to_text(donor[1]))]
    if rng.random() < 0.6:
        r.answer = [x for x in r.answer if x.rdtype == T.CNAME or (x.rdtype == T.RRSIG and x.covers == T.CNAME)] \
            if rng.random() < 0.3 else []
        parts.append("answer emptied")
    if rng.random() < 0.6:
        r.rcode = given.rcode()
        parts.append("rcode %s" % dns.rcode.to_text(r.rcode))
    return ", ".join(parts)


def m_foreign_chain(r, qname, qtype, rng):
    own = zone_of(qname)
    others = [o for o in ORIGINS if o in CHAINS and o != own]
    origin = rng.choice(others)
    owners = CHAINS[origin][1]
    if rng.random() < 0.5 or len(owners) <= 3:
        picked, how = owners, "all"
    else:
        picked = sorted(rng.sample(owners, rng.randint(1, 3)))
        how = "%d of" % len(picked)
    r.authority = [x for x in r.authority if covering_type(x) not in (T.NSEC, T.NSEC3)]
    with_soa = rng.random() < 0.5
    if with_soa:
        r.authority = [x for x in r.authority if covering_type(x) != T.SOA] + signed(origin, N(origin), T.SOA)
    r.authority += chain_records(origin, picked)
    if rng.random() < 0.3:
        r.answer = []
    return "foreign-chain %s %s %s's %s chain%s%s" % (
        how, len(owners), origin, T.to_text(CHAINS[origin][0]), " with its SOA" if with_soa else "",
        ", answer emptied" if not r.answer else "")


def m_last_nsec(r, qname, qtype, rng):
    origin = rng.choice(sorted(LAST_NSEC))
    replace = rng.random() < 0.6
    if replace:
        r.authority = [x for x in r.authority if covering_type(x) not in (T.NSEC, T.NSEC3)]
    r.authority += signed(origin, LAST_NSEC[origin], T.NSEC)
    rcode = rng.choice([None, NOERROR, NXDOMAIN])
    if rcode is not None:
        r.rcode = rcode
        r.answer = []
    return "last-nsec of %s (%s)%s" % (origin, LAST_NSEC[origin].to_text(), "" if rcode is None
                                        else ", answer emptied, rcode %s" % dns.rcode.to_text(rcode))


def m_nsec3_ancestors(r, qname, qtype, rng):
    candidates = [o for o in ORIGINS if o in CHAINS and CHAINS[o][0] == T.NSEC3
                  and (qname.is_subdomain(N(o)) or rng.random() < 0.2)]
    if not candidates:
        return None
    origin = rng.choice(candidates)
    names, name = [], qname
    while len(name) >= 1:
        owner = nsec3_name(origin, name)
        if owner is not None and ZONES[origin].get_node(owner) is not None and \
                ZONES[origin].get_node(owner).get_rdataset(IN, T.NSEC3) is not None:
            names.append(owner)
        if name == dns.name.root:
            break
        name = name.parent()
    if not names:
        return None
    r.authority = [x for x in r.authority if covering_type(x) not in (T.NSEC, T.NSEC3)]
    r.authority += chain_records(origin, sorted(set(names)))
    r.answer = []
    r.rcode = rng.choice([NOERROR, NXDOMAIN])
    return "nsec3-ancestors %d matching NSEC3 of %s, rcode %s" % (len(set(names)), origin, dns.rcode.to_text(r.rcode))


def m_nsec_at_name(r, qname, qtype, rng):
    origin = zone_of(qname)
    if origin is None or origin not in CHAINS:
        return None
    owner = qname if CHAINS[origin][0] == T.NSEC else nsec3_name(origin, qname)
    records = signed(origin, owner, CHAINS[origin][0]) if owner is not None else []
    if not records:
        return None
    r.answer = []
    r.authority = [x for x in r.authority if covering_type(x) not in (T.NSEC, T.NSEC3)] + records
    r.rcode = rng.choice([NOERROR, NXDOMAIN])
    return "nsec-at-name %s at %s, answer emptied, rcode %s" % (
        T.to_text(CHAINS[origin][0]), owner.to_text(), dns.rcode.to_text(r.rcode))


def m_wildcard_rename(r, qname, qtype, rng):
    origin, owner, rdtype = rng.choice(WILDCARDS)
    r.answer = signed(origin, owner, rdtype, rename=qname)
    r.rcode = NOERROR
    how = rng.choice(["genuine", "donor", "at-name", "none"])
    if how == "donor":
        donor = rng.choice(DONORS)
        r.authority = list(genuine(*donor).authority)
        how = "donor %s %s" % (donor[0], T.to_text(donor[1]))
    elif how == "at-name":
        at = zone_of(qname)
        records = []
        if at in CHAINS:
            name = qname if CHAINS[at][0] == T.NSEC else nsec3_name(at, qname)
            records = signed(at, name, CHAINS[at][0]) if name is not None else []
        r.authority = records
    elif how == "none":
        r.authority = []
    return "wildcard-rename %s %s onto the name, authority %s" % (owner.to_text(), T.to_text(rdtype), how)


def m_answer_swap(r, qname, qtype, rng):
    pool = [e for e in POOL.get(qtype, []) if e[1] != qname]
    if not pool:
        return None
    origin, owner = rng.choice(pool)
    rename = rng.random() < 0.6
    r.answer = signed(origin, owner, qtype, rename=qname if rename else None)
    r.rcode = NOERROR
    if rng.random() < 0.5:
        r.authority = []
    return "answer-swap %s %s%s" % (owner.to_text(), T.to_text(qtype), " renamed onto the name" if rename else "")


def m_type_swap(r, qname, qtype, rng):
    origin = zone_of(qname)
    if origin is None:
        return None
    node = ZONES[origin].get_node(qname)
    if node is None:
        return None
    types = sorted(x.rdtype for x in node.rdatasets if x.rdtype not in (T.RRSIG, qtype))
    if not types:
        return None
    other = rng.choice(types)
    r.answer = signed(origin, qname, other)
    r.rcode = NOERROR
    return "type-swap %s instead" % T.to_text(other)


def m_extra_denial(r, qname, qtype, rng):
    own = zone_of(qname)
    origin = own if own in CHAINS and rng.random() < 0.5 else rng.choice(sorted(CHAINS))
    owner = rng.choice(CHAINS[origin][1])
    r.authority = r.authority + chain_records(origin, [owner])
    return "extra-denial %s of %s at %s" % (T.to_text(CHAINS[origin][0]), origin, owner.to_text())


def m_bitmap(r, qname, qtype, rng):
    denials = [x for x in r.authority + r.answer if x.rdtype in (T.NSEC, T.NSEC3)]
    if not denials:
        return None
    victim = rng.choice(denials)
    change = rng.choice(sorted({qtype, T.DS, T.NS, T.SOA, T.CNAME}))
    text = victim[0].to_text().split()
    head = 5 if victim.rdtype == T.NSEC3 else 1  # NSEC3: algorithm flags iterations salt next
    types = text[head:]
    name = T.to_text(change)
    if name in types:
        types.remove(name)
        what = "removed"
    else:
        types.append(name)
        what = "added"
    rdata = dns.rdata.from_text(IN, victim.rdtype, " ".join(text[:head] + types))
    replacement = dns.rrset.from_rdata(victim.name, victim.ttl, rdata)

    def swap(section):
        return [replacement if x is victim else x for x in section]
    r.authority, r.answer = swap(r.authority), swap(r.answer)
    return "bitmap %s at %s: %s %s" % (T.to_text(victim.rdtype), victim.name.to_text(), name, what)


def m_optout_flip(r, qname, qtype, rng):
    denials = [x for x in r.authority if x.rdtype == T.NSEC3]
    if not denials:
        return None
    victim = rng.choice(denials)
    text = victim[0].to_text().split()
    text[1] = str(int(text[1]) ^ 1)
    rdata = dns.rdata.from_text(IN, T.NSEC3, " ".join(text))
    replacement = dns.rrset.from_rdata(victim.name, victim.ttl, rdata)
    r.authority = [replacement if x is victim else x for x in r.authority]
    return "optout-flip NSEC3 at %s to flags %s" % (victim.name.to_text(), text[1])


def m_empty(r, qname, qtype, rng):
    r.answer, r.authority = [], []
    return "empty"


MUTATIONS = [m_drop_rrsig, m_drop_rrset, m_strip_rrsigs, m_rcode_flip, m_donor_authority, m_foreign_chain,
             m_last_nsec, m_nsec3_ancestors, m_nsec_at_name, m_wildcard_rename, m_answer_swap, m_type_swap,
             m_extra_denial, m_bitmap, m_optout_flip, m_empty]
WEIGHTS = [6, 6, 2, 5, 10, 8, 6, 5, 5, 6, 8, 3, 4, 5, 4, 2]

# ---------------------------------------------------------------- cases

_state_lock = threading.Lock()
_case = {"seed": 0, "qname": None, "qtype": 0, "policy": "none", "exempt": set(), "mutated": {}, "askers": {}}


def policy_of(seed):
    draw = random.Random("policy %d" % seed).random()
    if draw < 0.05:
        return "none"
    if draw < 0.50:
        return "focus"
    return "sparse" if draw < 0.80 else "dense"


def mutated(qname, qtype):
    """The response for this question in the current case: (Response, [descriptions])."""
    with _state_lock:
        seed, focus, policy = _case["seed"], (_case["qname"], _case["qtype"]), _case["policy"]
        exempt = (qname, qtype) in _case["exempt"]
    r = Response(genuine(qname, qtype))
    rng = random.Random(hashlib.sha256(("%d|%s|%d" % (seed, qname.to_text(), qtype)).encode()).digest())
    chosen = {"none": False, "focus": (qname, qtype) == focus,
              "sparse": rng.random() < 0.15, "dense": rng.random() < 0.4}[policy]
    done = []
    if chosen and not exempt:
        for _ in range(2 if rng.random() < 0.25 else 1):
            for _attempt in range(6):
                mutation = rng.choices(MUTATIONS, WEIGHTS)[0]
                what = mutation(r, qname, qtype, rng)
                if what:
                    done.append(what)
                    break
    return r, done


def answer(wire, over_tcp):
    query = dns.message.from_wire(wire)
    question = query.question[0]
    qname = N(question.name.to_text().lower())
    r, done = mutated(qname, question.rdtype)
    asker = "validator" if query.flags & dns.flags.RD else "oracle"
    with _state_lock:
        asked = (qname, question.rdtype)
        _case["askers"].setdefault(asked, set()).add(asker)
        if done and asked not in _case["mutated"] and len(_case["mutated"]) < 200:
            _case["mutated"][asked] = "; ".join(done)
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    response.set_rcode(r.rcode)
    response.answer = r.answer
    response.authority = r.authority
    response.additional = [x for x in r.additional if x.rdtype != T.OPT]
    response.use_edns(0, dns.flags.DO if query.ednsflags & dns.flags.DO else 0, 1232)
    try:
        return response.to_wire(max_size=65535 if over_tcp else max(512, query.payload))
    except dns.exception.TooBig:
        truncated = dns.message.make_response(query)
        truncated.flags |= dns.flags.TC | dns.flags.AA
        return truncated.to_wire()


def serve_control():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", control_port))
        while True:
            wire, client = server.recvfrom(4096)
            words = wire.decode(errors="replace").split()
            try:
                if words[:1] == ["case"] and len(words) >= 4:
                    seed = int(words[1])
                    exempt = set()
                    for word in words[4:]:
                        name, _, rdtype = word.rpartition("/")
                        exempt.add((N(name.lower()), T.from_text(rdtype)))
                    with _state_lock:
                        _case.update(seed=seed, qname=N(words[2].lower()), qtype=T.from_text(words[3]),
                                     policy=policy_of(seed), exempt=exempt, mutated={}, askers={})
                        policy = _case["policy"]
                    reply = "ok %d %s" % (seed, policy)
                elif words[:1] == ["log"]:
                    with _state_lock:
                        reply = "\n".join("%s %s [%s]: %s" % (name.to_text(), T.to_text(rdtype),
                                                               ",".join(sorted(_case["askers"].get((name, rdtype), ()))), what)
                                          for (name, rdtype), what in _case["mutated"].items())
                elif words[:1] == ["stop"]:
                    server.sendto(b"bye", client)
                    os._exit(0)
                else:
                    reply = "error: unknown command"
            except Exception as problem:
                reply = "error: %r" % problem
            server.sendto(reply.encode()[:60000], client)


def watch_owner():
    while True:
        time.sleep(1)
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def complain(problem):
    print("mutate_dns:", repr(problem), file=sys.stderr)


port = start(port, answer, many_per_connection=True, report=complain)
threading.Thread(target=serve_control, daemon=True).start()
# Every donor is asked once now, so that no case waits for NSD.
for donor in DONORS:
    genuine(*donor)
time.sleep(0.1)
announce(pidfile, port)
watch_owner()
