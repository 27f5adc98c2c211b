"""A PEP 517 backend for a pure-Python package: writes the wheel (PEP 427)
and sdist with the standard library alone. Metadata comes from the
[project] table of pyproject.toml."""
import base64
import hashlib
import io
import os
import pathlib
import tarfile
import zipfile

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = "xmppdna"


def _project():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if tomllib is not None:
        return tomllib.loads(text)["project"]
    fields = {}
    for line in text.split("[project]", 1)[1].splitlines():
        if "=" in line and not line.startswith("["):
            key, value = line.split("=", 1)
            # Tables and lists need tomllib; without it they are left out.
            if not value.strip().startswith(("[", "{")):
                fields[key.strip()] = value.strip().strip('"')
    return fields


def _metadata():
    """Core metadata 2.1 (PEP 566) from the [project] table (PEP 621)."""
    project = _project()
    readme = (ROOT / project.get("readme", "README.md")).read_text(encoding="utf-8")
    lines = ["Metadata-Version: 2.1", "Name: " + project["name"], "Version: " + project["version"],
             "Summary: " + project.get("description", "")]
    if isinstance(project.get("license"), dict) and "text" in project["license"]:
        lines.append("License: " + project["license"]["text"])
    for author in project.get("authors", []):
        lines.append("Author: " + author["name"])
    if project.get("keywords"):
        lines.append("Keywords: " + ",".join(project["keywords"]))
    for label, url in project.get("urls", {}).items():
        lines.append("Project-URL: %s, %s" % (label, url))
    lines += ["Classifier: " + classifier for classifier in project.get("classifiers", [])]
    lines += ["Requires-Python: " + project.get("requires-python", ">=3.9"), "Description-Content-Type: text/markdown"]
    return project["name"], project["version"], "\n".join(lines) + "\n\n" + readme


def _files():
    for path in sorted((ROOT / PACKAGE).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path, path.relative_to(ROOT).as_posix()


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version, metadata = _metadata()
    dist_info = "%s-%s.dist-info" % (name, version)
    wheel_name = "%s-%s-py3-none-any.whl" % (name, version)
    entries = [(archive, path.read_bytes()) for path, archive in _files()]
    entries.append(("%s/METADATA" % dist_info, metadata.encode("utf-8")))
    entries.append(("%s/WHEEL" % dist_info,
                    b"Wheel-Version: 1.0\nGenerator: xmppdna_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    record = [_record_line(archive, data) for archive, data in entries] + ["%s/RECORD,," % dist_info]
    entries.append(("%s/RECORD" % dist_info, ("\n".join(record) + "\n").encode("utf-8")))
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for archive, data in entries:
            wheel.writestr(zipfile.ZipInfo(archive, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    name, version, metadata = _metadata()
    base = "%s-%s" % (name, version)
    sdist_name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, sdist_name), "w:gz") as sdist:
        members = [(archive, path.read_bytes()) for path, archive in _files()]
        for extra in ("pyproject.toml", "README.md", "build_backend/xmppdna_build.py"):
            members.append((extra, (ROOT / extra).read_bytes()))
        members.append(("PKG-INFO", metadata.encode("utf-8")))
        for archive, data in members:
            info = tarfile.TarInfo("%s/%s" % (base, archive))
            info.size = len(data)
            info.mtime = 1767225600
            sdist.addfile(info, io.BytesIO(data))
    return sdist_name
