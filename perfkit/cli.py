"""``perfkit`` command line.

Each sub-command lives in ``perfkit/commands/<name>.py`` and provides
``register(subparsers)``, which adds its parser and sets ``func`` to a callable
taking the parsed arguments and returning the exit code.

Exit codes: 0 success, 1 checks found errors, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import __version__
from .errors import PerfkitError

COMMAND_MODULES = (
    "templates",  # templates build / check
    "forms",  # fill, extract, freeze
    "validate",  # validate
    "summary",  # summarize, report
    "addin",  # addin build / install
    "score",  # score: quick scoring of typed values
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perfkit",
        description="预算绩效自评表与评价指标体系：模板、校验、评分与批量汇总",
    )
    parser.add_argument("--version", action="version", version=f"perfkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"perfkit.commands.{name}")
        except ModuleNotFoundError as err:  # a command group not installed in this build
            if err.name != f"perfkit.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except PerfkitError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (| head)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
