"""The wheel and sdist the in-tree backend makes carry what an index and a
type checker need: licence, classifiers, the typed marker, every module."""
import pathlib
import sys
import tarfile
import zipfile

BINDING = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BINDING / "build_backend"))
import xmppdna_build  # noqa: E402


def test_wheel_metadata_and_files(tmp_path):
    wheel = tmp_path / xmppdna_build.build_wheel(str(tmp_path))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("xmppdna-0.3.0.dist-info/METADATA").decode()
        record = archive.read("xmppdna-0.3.0.dist-info/RECORD").decode()
    modules = {p.relative_to(BINDING).as_posix() for p in (BINDING / "xmppdna").glob("*.py")}
    assert modules | {"xmppdna/py.typed"} <= names
    assert all(name in record for name in modules)
    fields = [line for line in metadata.split("\n\n", 1)[0].splitlines()]
    assert "License: Apache-2.0" in fields
    assert "Classifier: Typing :: Typed" in fields
    assert "Classifier: License :: OSI Approved :: Apache Software License" in fields
    assert "Requires-Python: >=3.9" in fields


def test_sdist_builds_the_same_wheel(tmp_path):
    sdist = tmp_path / xmppdna_build.build_sdist(str(tmp_path))
    with tarfile.open(sdist) as archive:
        names = set(archive.getnames())
    assert {"xmppdna-0.3.0/pyproject.toml", "xmppdna-0.3.0/xmppdna/py.typed",
            "xmppdna-0.3.0/build_backend/xmppdna_build.py", "xmppdna-0.3.0/PKG-INFO"} <= names
