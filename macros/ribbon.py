"""Excel macros behind the ribbon buttons 新建自评表, 新建评分表, 定稿导出 and 帮助.

The add-in's VBA callbacks (``macros/addin/PerfkitRibbon.bas``) run them with
xlwings' ``RunPython "import macros; macros.<name>()"``.  Each function takes
``book=None`` (the calling workbook) so that tests can pass a fake book; the
work itself is done by the core (``perfkit.writers.template.build``,
``perfkit.writers.freeze.freeze``), never here.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from perfkit.errors import PerfkitError
from perfkit.model import EVAL_TABLE, SELF_EVAL

from ._excel import calling_book

TITLE = "绩效评价"
FORM_TITLES = {SELF_EVAL: "项目支出绩效自评表", EVAL_TABLE: "绩效评价指标体系评分表"}

HELP_TEXT = """绩效评价加载项（perfkit）

校验：检查当前自评表或评分表（必填项、执行率、分值与得分、总分和等级），标出有问题的单元格并列出问题清单。
复核：选择一个文件夹，按风险为其中全部表格排序并抽样，在旁边新建的文件夹中生成复核清单、复核工作底稿和整改通知（原表格不改动）。
清除标记：去掉校验留下的标记，不改动填写的内容。
新建自评表 / 新建评分表：在“文档\\perfkit”文件夹生成一份空白模板并打开。
插入指标行：在所选指标行下方插入新行（选中几行插入几行，一次最多 20 行），带上得分公式和格式，合并单元格、小计与总分随之覆盖新行；填写的内容不变。
定稿导出：保存当前工作簿，另存一份“_定稿”副本：评分函数换成数值或 Excel 自带公式，不装加载项也能打开。
帮助：显示本说明。

评分函数（在任意单元格输入，或在“插入函数”中选类别“绩效评价”）：
=EXEC_RATE(执行数, 预算数)  预算执行率（%）
=EXEC_SCORE(执行数, 预算数, [分值])  执行率得分
=PERF_SCORE(年度指标值, 实际完成值, 分值)  指标得分
=PERF_DEDUCT / PERF_RULE / PERF_TOTAL / PERF_GRADE / PERF_PARSE
"""


def new_selfeval(book: Any = None) -> Path:
    """新建自评表: a fresh 项目支出绩效自评表 template, opened in Excel."""
    return _new_form(SELF_EVAL, book)


def new_evaltable(book: Any = None) -> Path:
    """新建评分表: a fresh 绩效评价指标体系评分表 template, opened in Excel."""
    return _new_form(EVAL_TABLE, book)


def freeze(book: Any = None) -> Path | None:
    """定稿导出: save the active workbook, write ``<name>_定稿.xlsx`` beside it and open it."""
    book = calling_book(book)
    source = _saved_path(book)
    if source is None:
        _alert(book, "请先把工作簿保存到磁盘（文件 → 另存为），再点“定稿导出”。")
        return None
    try:
        book.save()
    except Exception:  # read-only or locked: freeze what is on disk
        pass
    out = unique_path(source.with_name(f"{source.stem}_定稿.xlsx"))
    try:
        from perfkit.writers.freeze import freeze as freeze_copy

        freeze_copy(source, out)
    except PerfkitError as err:
        _alert(book, f"定稿导出失败：{err}")
        return None
    _open(book, out)
    _alert(book, f"已导出定稿：{out}\n原工作簿未改动。")
    return out


def show_help(book: Any = None) -> str:
    """帮助: a message box with the buttons and functions, and where the full guide is."""
    book = calling_book(book)
    text = HELP_TEXT
    guide = docs_path()
    if guide is not None:
        text += f"\n完整说明：{guide}"
    _alert(book, text)
    return text


# --------------------------------------------------------------------------
# helpers (no Excel needed)
# --------------------------------------------------------------------------


def forms_dir() -> Path:
    """Where new forms go: ``~/Documents/perfkit`` (``PERFKIT_FORMS_DIR`` overrides)."""
    override = os.environ.get("PERFKIT_FORMS_DIR")
    if override:
        return Path(override)
    home = Path.home()
    docs = home / "Documents"
    return (docs if docs.is_dir() else home) / "perfkit"


def unique_path(path: Path) -> Path:
    """*path*, or ``stem (2).suffix``, ``stem (3).suffix`` ... if it exists."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def new_form_path(kind: str, today: dt.date | None = None) -> Path:
    today = today or dt.date.today()
    return unique_path(forms_dir() / f"{FORM_TITLES[kind]}_{today:%Y%m%d}.xlsx")


def docs_path() -> Path | None:
    """``docs/addin.md`` of a source checkout, if there is one."""
    guide = Path(__file__).resolve().parent.parent / "docs" / "addin.md"
    return guide if guide.is_file() else None


def _new_form(kind: str, book: Any) -> Path:
    from perfkit.writers import template as templates

    book = calling_book(book)
    path = new_form_path(kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        templates.build(kind, path)
    except PerfkitError as err:
        _alert(book, f"无法生成{FORM_TITLES[kind]}：{err}")
        raise
    _open(book, path)
    _status(book, f"已新建{FORM_TITLES[kind]}：{path}")
    return path


def _saved_path(book: Any) -> Path | None:
    try:
        full = Path(str(book.fullname))
    except Exception:
        return None
    return full if full.is_file() else None


def _open(book: Any, path: Path) -> Any:
    try:
        return book.app.books.open(str(path))
    except Exception as err:  # pragma: no cover - Excel only
        _alert(book, f"文件已生成，但无法在 Excel 中打开：{path}（{err}）")
        return None


def _status(book: Any, message: str) -> None:
    try:
        book.app.status_bar = message
    except Exception:
        pass


def _alert(book: Any, message: str) -> None:
    _status(book, message.splitlines()[0])
    try:
        book.app.alert(message, title=TITLE)
    except Exception:
        pass
