#!/usr/bin/env python3
"""Writes the command's man pages, xmppdna(1) and one per subcommand
(xmppdna-check(1), ...), from what the built command says about itself
(swift-argument-parser's --experimental-dump-help: the same abstracts,
discussions and options as --help) plus the sections --help lacks (exit
status, examples, files, see also) from docs/man/xmppdna.1.extra.

    make-man1.py CLI EXTRA OUTDIR          write the pages
    make-man1.py --check CLI EXTRA DIR     exit 1 if DIR differs from what they give
"""
import json
import re
import subprocess
import sys

from man_pages import escape, write_or_check



def paragraphs(text):
    """Plain text as roff: blank lines part paragraphs, lines indented by
    two or more spaces are kept as they are (commands, tables)."""
    out, verbatim = [], False
    for line in text.strip("\n").splitlines():
        if line.startswith("  ") and line.strip():
            if not verbatim:
                out += [".PP", ".RS", ".nf"] if out and out[-1] != ".PP" else [".RS", ".nf"]
                verbatim = True
            out.append(escape(line[2:]))
            continue
        if verbatim:
            out += [".fi", ".RE"]
            verbatim = False
        out.append(".PP" if not line.strip() else escape(line))
    if verbatim:
        out += [".fi", ".RE"]
    return out


def extras(path):
    """{(page, SECTION): text} from '== page SECTION' headed blocks."""
    sections, key = {}, None
    for line in open(path, encoding="utf-8").read().splitlines():
        heading = re.match(r"== (\S+) (.+)$", line)
        if heading:
            key = (heading.group(1), heading.group(2).strip())
            sections[key] = ""
        elif key:
            sections[key] += line + "\n"
    return sections


def option_lines(argument):
    names = [("--" if n["kind"] == "long" else "-") + n["name"] for n in argument.get("names", [])]
    if argument["kind"] == "positional":
        head = f"<{argument['valueName']}>"
    elif argument["kind"] == "flag":
        head = ", ".join(names)
    else:
        head = ", ".join(f"{n} <{argument['valueName']}>" for n in names)
    text = argument.get("abstract", "")
    if argument.get("allValues"):
        text += " Values: " + ", ".join(argument["allValues"]) + "."
    if "defaultValue" in argument:
        text += f" Default: {argument['defaultValue']}."
    if argument.get("isRepeating") and argument["kind"] != "positional" and "Repeatable" not in text:
        text += " Repeatable."
    return [".TP", ".B " + escape(head), escape(text)]


def synopsis(name, command):
    parts = []
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True) or argument["kind"] == "positional":
            continue
        preferred = argument["preferredName"]
        flag = ("--" if preferred["kind"] == "long" else "-") + preferred["name"]
        word = flag if argument["kind"] == "flag" else f"{flag} <{argument['valueName']}>"
        parts.append(word if not argument.get("isOptional") else f"[{word}]")
    for argument in command.get("arguments", []):
        if argument["kind"] == "positional":
            parts.append(f"<{argument['valueName']}>")
    return [".B " + escape(name), escape(" ".join(parts))]


def page(name, command, version, extra, see_also):
    lines = [f'.TH {name.upper()} 1 "" "xmppdna {version}" "xmppdna"', ".nh",
             ".SH NAME", escape(f"{name} - {command['abstract']}"), ".SH SYNOPSIS"]
    subcommands = [c for c in command.get("subcommands", []) if c.get("shouldDisplay", True) and c["commandName"] != "help"]
    if subcommands:
        lines += [".B xmppdna", "<subcommand> [<options>]"]
    else:
        lines += synopsis(name.replace("-", " "), command)
    lines += [".SH DESCRIPTION", escape(command["abstract"])]
    if command.get("discussion"):
        lines += [".PP"] + paragraphs(command["discussion"])
    if subcommands:
        lines.append(".SH COMMANDS")
        for sub in subcommands:
            lines += [".TP", f".BR xmppdna\\-{sub['commandName']} (1)", escape(sub["abstract"])]
    arguments = [a for a in command.get("arguments", []) if a.get("shouldDisplay", True)]
    if arguments:
        lines.append(".SH OPTIONS")
        for argument in arguments:
            lines += option_lines(argument)
    for section in ("EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"):
        if (name, section) in extra:
            lines += [".SH " + section] + paragraphs(extra[(name, section)])
    lines += [".SH SEE ALSO", ",\n".join(f".BR {p} ({s})" for p, s in see_also)]
    cleaned = []
    for line in lines:
        if line == ".PP" and cleaned and (cleaned[-1] == ".PP" or cleaned[-1].startswith(".SH")):
            continue
        cleaned.append(line)
    return "\n".join(cleaned) + "\n"


def render(cli, extra_path):
    dump = json.loads(subprocess.run([cli, "--experimental-dump-help"], capture_output=True, text=True, check=True).stdout)
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    root = dump["command"]
    extra = extras(extra_path)
    subcommands = [c for c in root["subcommands"] if c.get("shouldDisplay", True) and c["commandName"] != "help"]
    names = ["xmppdna"] + [f"xmppdna-{c['commandName']}" for c in subcommands]
    known = {(p, s) for p in names for s in ("EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES")}
    if set(extra) - known:
        sys.exit(f"make-man1: sections for no page: {sorted(set(extra) - known)}")
    files = {}
    for name, command in [("xmppdna", root)] + [(f"xmppdna-{c['commandName']}", c) for c in subcommands]:
        see = [(n, 1) for n in names if n != name] + [("xmppdna", 3)]
        files[f"{name}.1"] = page(name, command, version, extra, see)
    return files


def main(argv):
    check = argv[:1] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) != 3:
        sys.exit(__doc__)
    cli, extra, directory = argv
    files = render(cli, extra)
    return write_or_check(files, directory, "1", cli, check)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
