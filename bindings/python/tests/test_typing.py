"""The package is typed (py.typed): the README's examples type-check under
mypy --strict against the installed package, and a wrong call does not."""
import pathlib
import re
import shutil
import subprocess
import sys

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _mypy():
    """A Python that has mypy: this one, or Debian's (python3-mypy)."""
    for python in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        if python and subprocess.run([python, "-c", "import mypy"], capture_output=True).returncode == 0:
            return python
    raise AssertionError("mypy is not installed (Debian: python3-mypy)")


def _check(tmp_path, source):
    path = tmp_path / "example.py"
    path.write_text(source)
    return subprocess.run([_mypy(), "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
                           "--python-executable", sys.executable, str(path)], capture_output=True, text=True)


def _readme_examples():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    return "import asyncio\nimport xmppdna\n" + "\n".join(blocks)


def test_the_readme_examples_pass_mypy_strict(tmp_path):
    result = _check(tmp_path, _readme_examples())
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_call_fails_it(tmp_path):
    result = _check(tmp_path, _readme_examples() + '\nctx.names(42)\nverdict.accepted.upper()\n')
    assert result.returncode == 1
    assert 'Argument 1 to "names" of "Context" has incompatible type "int"' in result.stdout
    assert '"bool" has no attribute "upper"' in result.stdout
