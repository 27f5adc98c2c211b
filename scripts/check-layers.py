#!/usr/bin/env python3
"""The layers of README "Architecture", checked: each target imports only
the layers below it, Package.swift declares no dependency upward, and the
sans-I/O core's compiled objects call no C function outside a short list of
computations (no sockets, files, threads, ldns or OpenSSL).

usage: scripts/check-layers.py BUILD_DIR   (e.g. .build/debug; exit 1 on any violation)
"""
import json
import pathlib
import re
import subprocess
import sys

# Lowest first. A target may depend on, and import, only what is listed
# for it: the layers below it and the C modules it wraps.
ALLOWED = {
    "XMPPDNACore": {"CIDN2"},
    "XMPPDNAOpenSSL": {"XMPPDNACore", "CXMPPDNAShim"},
    "XMPPDNAIO": {"CXMPPDNAIO", "CPSL"},
    "XMPPDNAResolver": {"XMPPDNACore", "XMPPDNAIO", "CLDNS"},
    "XMPPDNANet": {"XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "CXMPPDNAShim"},
    "XMPPDNA": {"XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "XMPPDNAResolver", "XMPPDNANet", "CXMPPDNAShim"},
    "XMPPDNAPicture": {"XMPPDNACore"},
    "XMPPDNACABI": {"XMPPDNA", "XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "XMPPDNAResolver", "XMPPDNANet", "CXMPPDNA"},
}
# Modules that are not part of this package's graph.
SYSTEM = {"Glibc", "Musl", "Foundation", "Dispatch", "Synchronization", "ArgumentParser", "Testing"}
# The C functions the core's objects may call; anything else is I/O or a
# library that belongs to a layer above it.
CORE_C_CALLS = re.compile(
    r"^(swift_\w+|_swift\w+|\$s\w+|\$S\w+|_\$s\w+|__stack_chk_fail|memcpy|memmove|memset|memcmp|strlen|free|malloc|"
    r"malloc_usable_size|pthread_mutex_(init|destroy|lock|unlock)|idn2_\w+|inet_pton|inet_ntop|"
    r"__cxa_\w+|_Unwind_\w+|__gxx_personality_v0|_GLOBAL_OFFSET_TABLE_)$")

def imports(path):
    for line in path.read_text().splitlines():
        m = re.match(r"\s*(?:@testable\s+|@_exported\s+)?import\s+(?:struct\s+|enum\s+|class\s+|func\s+)?(\w+)", line)
        if m:
            yield m.group(1)


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".build/debug").resolve()
    problems = []
    dump = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                     capture_output=True, text=True).stdout)
    declared = {}
    for target in dump["targets"]:
        deps = set()
        for dep in target.get("dependencies", []):
            for kind in ("byName", "target", "product"):
                if kind in dep:
                    deps.add(dep[kind][0])
        declared[target["name"]] = deps
    for target, allowed in ALLOWED.items():
        if target not in declared:
            problems.append(f"{target}: the layer is missing from Package.swift")
            continue
        for dep in sorted(declared[target] - allowed):
            problems.append(f"Package.swift: {target} depends on {dep}, which is not below it")
        for path in sorted((root / "Sources" / target).rglob("*.swift")):
            for module in imports(path):
                if module in SYSTEM or module in allowed:
                    continue
                problems.append(f"{path.relative_to(root)}: imports {module}, which is not below {target}")
    # One object per source file; a stale object of a deleted file is not asked.
    objects = [build / "XMPPDNACore.build" / (path.name + ".o") for path in (root / "Sources" / "XMPPDNACore").rglob("*.swift")]
    missing = [path for path in objects if not path.exists()]
    if missing or not objects:
        problems.append(f"objects of XMPPDNACore missing under {build} ({len(missing)}): build first")
        objects = [path for path in objects if path.exists()]
    calls = subprocess.run(["nm", "-u", "--format=just-symbols", *map(str, objects)], check=True,
                           capture_output=True, text=True).stdout.split()
    for symbol in sorted(set(calls)):
        if not CORE_C_CALLS.match(symbol):
            problems.append(f"XMPPDNACore calls {symbol}, which is I/O or belongs to a layer above the core")
    for problem in problems:
        print("check-layers:", problem)
    if problems:
        sys.exit(1)
    print(f"check-layers: {len(ALLOWED)} layers, every import points down")


if __name__ == "__main__":
    main()
