"""What make-man1.py and make-man3.py share: roff escaping, and writing a
set of pages into their directory, or checking that it holds exactly them."""
import os


def escape(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def write_or_check(files, directory, section, source, check):
    """files: {name: text}, all ending in "." + section. Returns an exit status."""
    suffix = "." + section
    present = {n for n in os.listdir(directory) if n.endswith(suffix)} if os.path.isdir(directory) else set()
    if check:
        stale = sorted(present - set(files))
        differing = sorted(n for n in files
                           if n not in present or open(os.path.join(directory, n), encoding="utf-8").read() != files[n])
        if stale or differing:
            print(f"man({section}) pages out of date with {source} (run: make man): differing {differing}, stale {stale}")
            return 1
        print(f"man({section}): {len(files)} pages match {source}")
        return 0
    os.makedirs(directory, exist_ok=True)
    for name in present - set(files):
        os.remove(os.path.join(directory, name))
    for name, text in files.items():
        with open(os.path.join(directory, name), "w", encoding="utf-8") as out:
            out.write(text)
    print(f"man({section}): wrote {len(files)} pages to {directory}")
    return 0
