"""The ribbon button 复核: ``perfkit review`` on a folder chosen in Excel.

The add-in's callback ``OnReview`` runs ``RunPython "import macros; macros.review()"``.
:func:`review` asks for the folder of forms with Excel's own folder picker
(``Application.FileDialog(msoFileDialogFolderPicker)``), falls back to the
folder of the workbook when the picker is not available, reviews every form
in it with the core (:func:`perfkit.review.run`, the command's very function)
and opens the 复核清单.xlsx it wrote.  The results go to a new folder beside
the chosen one (``<folder>_复核_<date>``), never into it: the review marks
its files, but a clerk's folder of submissions stays as it was sent.

Excel runs the review in one process (no worker processes under Excel's
Python); the command line uses every core.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from perfkit.errors import PerfkitError

from ._excel import calling_book
from .ribbon import _alert, _open, _saved_path, _status, forms_dir, unique_path

MSO_FOLDER_PICKER = 4  # msoFileDialogFolderPicker
PICKED = -1  # FileDialog.Show() when the user pressed OK
TITLE = "选择要复核的表格所在的文件夹"


def choose_folder(book: Any) -> Path | None:
    """The folder the user picks in Excel's folder picker, None when cancelled;
    the workbook's folder when Excel has no picker to show (raises LookupError
    when there is neither)."""
    start = _saved_path(book)
    try:
        dialog = book.app.api.FileDialog(MSO_FOLDER_PICKER)
        dialog.Title = TITLE
        dialog.AllowMultiSelect = False
        if start is not None:
            dialog.InitialFileName = str(start.parent) + "\\"
        shown = dialog.Show()
    except Exception:  # no COM picker (macOS, a fake book): the workbook's folder
        if start is None:
            raise LookupError("no folder") from None
        return start.parent
    if shown != PICKED:
        return None
    return Path(str(dialog.SelectedItems(1)))


def out_folder(folder: Path, today: dt.date | None = None) -> Path:
    """A new folder beside *folder* for its review: ``<name>_复核_<yyyymmdd>``
    (`` (2)`` … when it exists); under Documents\\perfkit for a drive's root."""
    today = today or dt.date.today()
    folder = Path(folder)
    name = f"{folder.name or '表格'}_复核_{today:%Y%m%d}"
    parent = folder.parent if folder.parent != folder else forms_dir()
    return unique_path(parent / name)


def review(book: Any = None, folder: str | Path | None = None, out: str | Path | None = None):
    """复核: review every form of a folder; opens 复核清单.xlsx; returns its path
    (None when nothing was reviewed)."""
    from perfkit.review import run

    book = calling_book(book)
    if folder is None:
        try:
            picked = choose_folder(book)
        except LookupError:
            _alert(book, "请先保存工作簿，或在弹出的对话框中选择要复核的表格所在的文件夹。")
            return None
        if picked is None:
            _status(book, "已取消复核")
            return None
        folder = picked
    folder = Path(folder)
    target = Path(out) if out is not None else out_folder(folder)
    _status(book, f"正在复核 {folder} 中的表格……")
    try:
        result = run([folder], target, jobs=1, progress=False)
    except PerfkitError as err:
        _alert(book, f"复核未完成：{err}")
        return None
    _open(book, result.list_path)
    ranked = result.ranked
    lines = [
        f"已复核 {len(ranked)} 份表格（错误 {sum(r.errors for r in ranked)}，"
        f"警告 {sum(r.warnings for r in ranked)}）"
        + (f"，{len(result.unreadable)} 个文件无法读取" if result.unreadable else ""),
        f"抽取 {len(result.sampled)} 份：风险最高 {len(result.riskiest)} 份 + 随机 {len(result.drawn)} 份"
        f"（随机种子 {result.seed}，命令行加 --seed {result.seed} 可复现）",
        f"复核清单：{result.list_path}",
        f"复核工作底稿 {len(result.workpapers)} 份、整改通知 {len(result.letters)} 份在同一文件夹；"
        "原表格未改动。",
    ]
    _alert(book, "\n".join(lines))
    return result.list_path


__all__ = ["choose_folder", "out_folder", "review"]
