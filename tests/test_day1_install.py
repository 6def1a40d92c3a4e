"""The quick start's ``pip install .`` (issue 12.15): a fresh virtual
environment, perfkit installed from this checkout WITHOUT the test extras,
then every command once.  Each must exit as documented and never print a
Python traceback; a run-time import that only the test extras provide
(olefile once) fails here.

One environment per test session (about a minute the first time, pip's cache
helps afterwards).  Needs the network (PyPI); CI runs it like every other test
(``-m "not install"`` leaves it out of a quick local run)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
pytestmark = pytest.mark.install

# Import names that are not the distribution's name on PyPI.
DISTRIBUTIONS = {
    "docx": "python-docx",
    "python_calamine": "python-calamine",
    "ms_ovba": "ms-ovba",
    "ms_ovba_compression": "ms-ovba-compression",
    "xlsxwriter": "XlsxWriter",
    "tomli": "tomli",
}


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level modules imported by perfkit/, udfs/ and macros/ that are not
    the standard library or the project itself -> the files importing them."""
    found: dict[str, set[str]] = {}
    for folder in ("perfkit", "udfs", "macros"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in ("perfkit", "udfs", "macros"):
                        continue
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_run_time_import_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        _normalise(re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0]) for req in project["dependencies"]
    }
    missing = {
        module: sorted(files)
        for module, files in _third_party_imports().items()
        if _normalise(DISTRIBUTIONS.get(module, module)) not in declared
    }
    assert missing == {}


def _copy_checkout(dest: Path) -> Path:
    """What ``pip install .`` reads, copied, so that the build writes nothing
    into the working tree."""
    keep = ("pyproject.toml", "README.md", "perfkit", "udfs", "macros")
    dest.mkdir(parents=True)
    for name in keep:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.new")
            )
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def venv(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("fresh")
    source = _copy_checkout(base / "src")
    env_dir = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=300)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", str(source)],
        capture_output=True,
        text=True,
        timeout=1200,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_USER")},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return bindir


def _run(bindir: Path, cwd: Path, *args) -> subprocess.CompletedProcess:
    exe = bindir / ("perfkit.exe" if os.name == "nt" else "perfkit")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [str(exe), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        env=env,
    )


HELP = [
    (),
    ("templates",),
    ("templates", "build"),
    ("templates", "check"),
    ("fill",),
    ("extract",),
    ("freeze",),
    ("validate",),
    ("summarize",),
    ("report",),
    ("addin",),
    ("addin", "build"),
    ("addin", "install"),
    ("score",),
]


def test_every_command_runs_after_a_plain_install(venv, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    seen = []
    for args in HELP:
        proc = _run(venv, work, *args, "--help")
        assert proc.returncode == 0, (args, proc.stderr)
        assert "用法：" in proc.stdout and "Traceback" not in proc.stderr, args
        seen.append(args)
    falv = EXAMPLES / "longgang2023_falv.xlsx"
    runs = [
        (("validate", EXAMPLES, "--no-progress"), 1),  # the seeds' own 2 errors
        (("summarize", EXAMPLES, "-o", work / "out" / "汇总.xlsx", "--no-progress"), 0),
        (("addin", "build", "-o", work / "perfkit.xlam"), 0),
        (("templates", "check", "--dir", ROOT / "xlsx_templates"), 0),
        (("fill", "selfeval", EXAMPLES / "longgang2023_falv.json", "-o", work / "f.xlsx"), 0),
        (("extract", falv, "-o", work / "f.json"), 0),
        (("freeze", falv, "-o", work / "定稿.xlsx"), 0),
        (("report", EXAMPLES / "futian2021_evaltable.xlsx", "-o", work / "报告.docx"), 0),
        (("score", "exec", "1937189.02", "1959300"), 0),
    ]
    for args, code in runs:
        proc = _run(venv, work, *args)
        output = proc.stdout + proc.stderr
        assert proc.returncode == code, (args, output[-2000:])
        assert "Traceback" not in output and "Error" not in output, (args, output[-2000:])
    assert (work / "out" / "汇总.xlsx").is_file() and (work / "perfkit.xlam").is_file()
    assert _run(venv, work, "score", "exec", "1937189.02", "1959300").stdout.strip() == (
        "执行率 98.87%  得分 9.89"
    )
