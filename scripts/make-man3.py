#!/usr/bin/env python3
"""Writes the C API's man pages from include/xmppdna.h, so they cannot say
anything the header does not: xmppdna(3), the overview (the header's opening
comment, versions, result codes, constants, handles), one page per handle
type, xmppdna_async(3), and a one-line ".so" page per function that points
at the page describing it.

    make-man3.py HEADER OUTDIR          write the pages
    make-man3.py --check HEADER DIR     exit 1 if DIR differs from what HEADER gives
"""
import re
import sys

from man_pages import escape, write_or_check

# Header section (its "/* ---- name */" marker) -> page.
PAGES = {
    "version": "xmppdna", "result codes": "xmppdna", "constants": "xmppdna", "handles": "xmppdna",
    "context": "xmppdna_ctx", "the chain": "xmppdna_chain", "request": "xmppdna_request",
    "verification": "xmppdna_verdict", "verdict": "xmppdna_verdict", "delegation": "xmppdna_names",
    "ASYNC": "xmppdna_async",
}
SUMMARIES = {
    "xmppdna": "XMPP Domain Name Associations: delegation and identity, the C API",
    "xmppdna_ctx": "the context: trust store, DNS servers, limits and caches",
    "xmppdna_chain": "the certificates a peer presented",
    "xmppdna_request": "a question about a peer domain",
    "xmppdna_verdict": "xmppdna_verify and its answer, with attempts and findings",
    "xmppdna_names": "the names a peer domain's certificate may carry (DNSSEC delegation)",
    "xmppdna_async": "queries that do not block: submit, watch a descriptor, process",
}
ORDER = ["xmppdna", "xmppdna_ctx", "xmppdna_chain", "xmppdna_request", "xmppdna_verdict", "xmppdna_names",
         "xmppdna_async"]
FUNCTION = re.compile(r"^[a-z][\w \*]*?\b(xmppdna_\w+)\s*\(", re.M)
SECTION = re.compile(r"^/\* -+ (.+?) \*/$")



def comment_lines(block):
    """The text of a /* ... */ block, one entry per line, without the frame."""
    lines = []
    for line in block.splitlines():
        line = re.sub(r"^\s*/\*\s?", "", line)
        line = re.sub(r"\s*\*/\s*$", "", line)
        line = re.sub(r"^\s*\*(\s|$)", "", line)
        lines.append(line.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def prose(lines):
    """Comment text as roff: an all-capitals line is a heading, lines at the
    paragraph's indent are filled, anything indented deeper (examples, lists,
    tables) is kept as it is."""
    out, base, verbatim, hang = [], None, False, None
    for line in lines:
        if not line.strip():
            if verbatim:
                out.append("")
            else:
                out.append(".PP")
            continue
        indent = len(line) - len(line.lstrip())
        if re.fullmatch(r"[A-Z][A-Z ]+", line.strip()) and indent <= 1:
            if verbatim:
                out.append(".fi")
                verbatim = False
            out.append(".SH " + line.strip())
            base = None
            continue
        if base is None or (not verbatim and out and out[-1] in (".PP",) and indent < base):
            base = indent
        if hang is not None and indent == hang and not verbatim and out and not out[-1].startswith("."):
            out.append(escape(line.strip()))  # the rest of a numbered item
            continue
        hang = None
        if indent > base:
            if not verbatim:
                out += [".RS", ".nf"]
                verbatim = True
            out.append(escape(line[base:]))
        else:
            if verbatim:
                while out[-1] == "":
                    out.pop()
                out += [".fi", ".RE"]
                verbatim = False
                if out[-1] != ".PP":
                    out.append(".PP")
            out.append(escape(line.strip()))
            item = re.match(r"(\d+\. |- )", line.strip())
            hang = indent + len(item.group(1)) if item else None
    if verbatim:
        out += [".fi", ".RE"]
    while out and out[-1] in (".PP", ""):
        out.pop()
    cleaned = []
    for line in out:
        if line == ".PP" and cleaned and cleaned[-1] in (".PP", ".RE") and line == cleaned[-1]:
            continue
        cleaned.append(line)
    return cleaned


def code(text):
    return [".RS", ".nf"] + [escape(line) for line in text.strip("\n").splitlines()] + [".fi", ".RE"]


def parse(header):
    """(opening comment lines, {page: [chunk]}) where a chunk is
    ("comment", lines) or ("code", text)."""
    opening_end = header.index("*/") + 2
    opening = comment_lines(header[:opening_end])
    pages = {page: [] for page in ORDER}
    section = None
    position = opening_end
    pattern = re.compile(r"/\*.*?\*/|[^/]+|/", re.S)
    pending_code = ""
    for match in pattern.finditer(header, position):
        piece = match.group(0)
        marker = SECTION.match(piece.strip()) if piece.startswith("/*") else None
        if marker:
            if section and pending_code.strip():
                pages[PAGES[section]].append(("code", pending_code))
            pending_code = ""
            section = marker.group(1)
            if section not in PAGES:
                sys.exit(f"make-man3: header section '{section}' has no page; add it to PAGES")
            continue
        if section is None:
            continue
        if piece.startswith("/*") and not pending_code.strip():
            pages[PAGES[section]].append(("comment", comment_lines(piece)))
        elif piece.startswith("/*") and "\n" not in pending_code.rstrip("\n").split("\n")[-1] and \
                not pending_code.endswith("\n"):
            pending_code += piece  # a trailing comment on a declaration line
        elif piece.startswith("/*"):
            pages[PAGES[section]].append(("code", pending_code))
            pending_code = ""
            pages[PAGES[section]].append(("comment", comment_lines(piece)))
        else:
            pending_code += piece
    if section and pending_code.strip():
        pages[PAGES[section]].append(("code", pending_code))
    # The end of the header: include guards and extern "C" are not API.
    for page in pages:
        pages[page] = [(kind, body if kind == "comment" else strip_guards(body)) for kind, body in pages[page]]
        pages[page] = [(kind, body) for kind, body in pages[page] if body and (kind == "comment" or body.strip())]
    return opening, pages


def strip_guards(text):
    kept = [line for line in text.splitlines()
            if not re.match(r"\s*(#ifdef __cplusplus|#endif|#ifndef XMPPDNA_H|#define XMPPDNA_H\b|}\s*$|#include)", line)]
    return "\n".join(kept)


def functions(chunks):
    names = []
    for kind, body in chunks:
        if kind == "code":
            names += FUNCTION.findall(body)
    return names


def page_text(page, chunks, opening, version):
    names = functions(chunks)
    title = [f'.TH {page.upper()} 3 "" "xmppdna {version}" "xmppdna"', ".nh",
             ".SH NAME", escape(", ".join([page] + [n for n in names if n != page])) + " \\- " + SUMMARIES[page],
             ".SH SYNOPSIS", ".nf", ".B #include <xmppdna.h>", ".fi"]
    if names:
        title += [".PP", ".nf"]
        for kind, body in chunks:
            if kind == "code":
                for declaration in re.findall(r"^[a-z][^;{]*?\bxmppdna_\w+\s*\([^;]*\);", body, re.M | re.S):
                    title.append(escape(re.sub(r"\s+", " ", declaration)))
        title.append(".fi")
    text = list(title)
    if page == "xmppdna":
        text += [".SH DESCRIPTION"] + prose(opening)
        text += [".SH CONSTANTS"]
    else:
        text += [".SH DESCRIPTION"]
    for kind, body in chunks:
        if kind == "comment":
            text += [".PP"] + prose(body)
        else:
            text += [".PP"] + code(body)
    see = [p for p in ORDER if p != page]
    text += [".SH SEE ALSO", ",\n".join(f".BR {p} (3)" for p in see) + ",", ".BR xmppdna (1)"]
    return "\n".join(fix_paragraphs(text)) + "\n"


def fix_paragraphs(lines):
    out = []
    for line in lines:
        if line == ".PP" and out and (out[-1] == ".PP" or out[-1].startswith(".SH") or out[-1].startswith(".TH")):
            continue
        out.append(line)
    return out


def render(header_path):
    header = open(header_path, encoding="utf-8").read()
    version = re.search(r'#define XMPPDNA_VERSION\s+"([^"]+)"', header).group(1)
    opening, pages = parse(header)
    declared = FUNCTION.findall(header)
    documented = [name for page in ORDER for name in functions(pages[page])]
    if sorted(declared) != sorted(documented):
        missing = sorted(set(declared) - set(documented))
        sys.exit(f"make-man3: functions the pages would not describe: {missing}")
    files = {}
    for page in ORDER:
        files[f"{page}.3"] = page_text(page, pages[page], opening, version)
        for name in functions(pages[page]):
            if name != page:
                files[f"{name}.3"] = f".so man3/{page}.3\n"
    return files


def main(argv):
    check = argv[:1] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) != 2:
        sys.exit(__doc__)
    header, directory = argv
    files = render(header)
    return write_or_check(files, directory, "3", header, check)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
