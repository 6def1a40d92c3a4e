"""``perfkit`` command line.

Each sub-command lives in ``perfkit/commands/<name>.py`` and provides
``register(subparsers)``, which adds its parser and sets ``func`` to a callable
taking the parsed arguments and returning the exit code.

Exit codes: 0 success, 1 checks found errors, 2 bad input or usage.

Every message is Chinese: argparse's own texts (usage, headings, errors) go
through :class:`ArgumentParser`, which hands argparse a translation while it
builds, parses and prints; a :class:`~perfkit.errors.PerfkitError` is printed
as it is, an ``OSError`` that escapes a command is put into words by
:mod:`perfkit.fsutil`; nothing prints a Python traceback unless
``PERFKIT_DEBUG=1`` asks for one.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import sys
from collections.abc import Iterator

from . import __version__
from .errors import PerfkitError

COMMAND_MODULES = (
    "templates",  # templates build / check
    "forms",  # fill, extract, freeze
    "validate",  # validate
    "summary",  # summarize, report
    "review",  # review: risk ranking, sample, 复核工作底稿
    "addin",  # addin build / install
    "score",  # score: quick scoring of typed values
)

# argparse's own texts (its gettext calls), in Chinese.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "optional arguments": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示此帮助信息并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s（用 -h 查看可用的参数）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid choice: %(value)s (choose from %(choices)s)": "无效的选项 %(value)s（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
    "ignored explicit argument %r": "多余的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的子命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
    "unexpected option string: %s": "意外的选项 %s",
}
TYPE_NAMES = {"int": "整数", "float": "数字"}


def _zh(text: str) -> str:
    return ARGPARSE_ZH.get(text, text)


@contextlib.contextmanager
def _chinese() -> Iterator[None]:
    """argparse looks its texts up through the module's ``_``/``ngettext`` at the
    moment it needs them: point them at the Chinese table meanwhile."""
    saved = argparse._, argparse.ngettext
    argparse._ = _zh
    argparse.ngettext = lambda one, many, n: _zh(one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class ArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese usage lines, headings, help and error messages;
    sub-command parsers are of the same class (argparse's default)."""

    def __init__(self, *args, **kwargs):
        with _chinese():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with _chinese():
            return super().add_subparsers(**kwargs)

    def add_argument_group(self, *args, **kwargs):
        with _chinese():
            return super().add_argument_group(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese():
            return super().format_help()

    def error(self, message: str):
        for english, chinese in TYPE_NAMES.items():
            message = re.sub(rf"不是有效的 {english}$", f"不是{chinese}", message)
        with _chinese():
            super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="perfkit",
        description="预算绩效自评表与评价指标体系：模板、校验、评分与批量汇总",
        epilog="各命令的用法：perfkit 命令 -h（例如 perfkit summarize -h）",
    )
    parser.add_argument(
        "--version", action="version", version=f"perfkit {__version__}", help="显示版本号并退出"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", title="命令", help="下列之一")
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
    except OSError as err:  # a file the command could not open: say which, in Chinese
        if os.environ.get("PERFKIT_DEBUG") == "1":
            raise
        from .fsutil import read_error_message

        where = f"{err.filename}：" if err.filename else ""
        print(f"错误：{where}{read_error_message(err)}", file=sys.stderr)
        return 2
    except Exception:  # a defect of perfkit: a clear sentence, the details on request
        if os.environ.get("PERFKIT_DEBUG") == "1":
            raise
        print(
            "错误：perfkit 内部错误，命令未完成。请把所用的命令和输入文件报告给维护者；"
            "设置环境变量 PERFKIT_DEBUG=1 后重新运行可显示详细信息。",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
