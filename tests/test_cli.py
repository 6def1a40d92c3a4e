"""The command line as a whole: every command group is there, and output
piped into a reader that stops early ends quietly, never with a traceback."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from perfkit import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", cli.COMMAND_MODULES)
def test_every_command_group_is_installed(name):
    assert hasattr(importlib.import_module(f"perfkit.commands.{name}"), "register")


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in (
        "validate",
        "summarize",
        "report",
        "templates",
        "fill",
        "extract",
        "freeze",
        "addin",
        "score",
    ):
        assert command in out


def test_no_command_prints_help_and_exits_2(capsys):
    assert cli.main([]) == 2


def test_output_into_a_closed_pipe_is_not_a_traceback():
    proc = subprocess.run(
        # `true` exits without reading, long before Python writes: the write gets EPIPE
        f'"{sys.executable}" -m perfkit validate examples --format json --no-progress | true',
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_reading_checking_and_summarizing_import_neither_openpyxl_nor_pandas():
    """Start-up cost of every command line run and of every batch worker:
    openpyxl (template building, marked copies) and pandas (the DataFrame of
    the Python API, --csv) are imported only where they are used; summarize
    writes 汇总.xlsx without either."""
    import subprocess
    import sys
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "longgang2023_dangjian.xlsx"
    code = (
        "import sys, perfkit.cli\n"
        "perfkit.cli.build_parser()\n"
        "from perfkit.readers import read_form\n"
        "from perfkit.validate import validate_form\n"
        "from perfkit import summary\n"
        f"form = read_form({str(example)!r})\n"
        "assert validate_form(form)\n"
        "import tempfile, os\n"
        "out = os.path.join(tempfile.mkdtemp(), 'summary.xlsx')\n"
        "rows, bad = summary.run([form.source], out, jobs=1, progress=False)\n"
        "assert len(rows) == 1 and bad == 0 and os.path.getsize(out) > 0\n"
        "print(sorted(m for m in ('openpyxl', 'pandas', 'xlwings') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
