"""The ribbon's 复核 (macros.review) on the fake xlwings book of
tests/test_validate_macros.py, with Excel's folder picker faked (FileDialog(4)):
only the Python side runs here; the COM calls are checked as calls, not in Excel."""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
from pathlib import Path

import openpyxl

import macros
from perfkit.outputs import REVIEW, output_kind
from tests.test_review import EXAMPLES, hashes
from tests.test_validate_macros import FakeApp, FakeBook

# the module (macros.review, the function, hides it as an attribute of the package)
mr = importlib.import_module("macros.review")


class FakeDialog:
    """Application.FileDialog(msoFileDialogFolderPicker): Show() is -1 for OK, 0 for cancel."""

    def __init__(self, picked: Path | None):
        self.picked = picked
        self.Title = self.InitialFileName = ""
        self.AllowMultiSelect = True
        self.shown = 0

    def Show(self):
        self.shown += 1
        return -1 if self.picked is not None else 0

    def SelectedItems(self, i):
        assert i == 1
        return str(self.picked)


class FakeExcelApi:
    def __init__(self, dialog):
        self.dialog = dialog
        self.asked: list[int] = []

    def FileDialog(self, kind):
        self.asked.append(kind)
        return self.dialog


class Books:
    def __init__(self):
        self.opened: list[str] = []

    def open(self, path):
        self.opened.append(path)


class ReviewApp(FakeApp):
    def __init__(self, book, dialog):
        super().__init__(book)
        self.api = FakeExcelApi(dialog) if dialog is not None else None
        self.books = Books()


class ReviewBook(FakeBook):
    def __init__(self, fullname: Path | None = None, picked: Path | None = None, dialog=True):
        super().__init__(fullname.name if fullname else "Book1")
        self.fullname = str(fullname) if fullname else "Book1"
        self.dialog = FakeDialog(picked) if dialog else None
        self.app = ReviewApp(self, self.dialog)


def _forms(tmp_path: Path) -> Path:
    folder = tmp_path / "报送表格"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.xlsx")):
        shutil.copy(path, folder / path.name)
    return folder


def test_the_ribbon_calls_an_exported_macro():
    assert macros.review is mr.review and "review" in macros.__all__


def test_review_of_the_picked_folder(tmp_path):
    forms = _forms(tmp_path)
    before = hashes(forms)
    book = ReviewBook(tmp_path / "elsewhere" / "book.xlsx", picked=forms)
    listing = mr.review(book)
    assert book.app.api.asked == [4] and book.dialog.shown == 1  # msoFileDialogFolderPicker
    assert book.dialog.Title == mr.TITLE and book.dialog.AllowMultiSelect is False
    assert listing == tmp_path / f"报送表格_复核_{dt.date.today():%Y%m%d}" / "复核清单.xlsx"
    assert listing.is_file() and output_kind(listing) == REVIEW
    assert book.app.books.opened == [str(listing)]  # opened in Excel
    assert hashes(forms) == before  # the folder of forms is left as it was
    message = book.app.messages[-1]
    assert "已复核 5 份表格" in message and "随机种子" in message and "原表格未改动" in message
    rows = list(openpyxl.load_workbook(listing)["复核清单"].iter_rows(values_only=True))
    assert len(rows) == 6


def test_a_second_review_goes_to_a_new_folder(tmp_path):
    forms = _forms(tmp_path)
    first = mr.review(ReviewBook(picked=forms))
    second = mr.review(ReviewBook(picked=forms))
    assert first.parent != second.parent and second.parent.name.endswith(" (2)")


def test_cancel_reviews_nothing(tmp_path):
    book = ReviewBook(picked=None)
    assert mr.review(book) is None
    assert book.app.messages == ["已取消复核"] and list(tmp_path.iterdir()) == []


def test_without_a_picker_the_workbook_folder(tmp_path):
    forms = _forms(tmp_path)
    book = ReviewBook(forms / "longgang2023_dangjian.xlsx", dialog=False)
    listing = mr.review(book)
    assert listing.parent.parent == tmp_path and listing.is_file()
    # an unsaved workbook without a picker: a message, nothing written
    unsaved = ReviewBook(dialog=False)
    assert mr.review(unsaved) is None and "请先保存工作簿" in unsaved.app.messages[-1]


def test_an_empty_folder_is_a_message_not_an_exception(tmp_path):
    empty = tmp_path / "空"
    empty.mkdir()
    book = ReviewBook(picked=empty)
    assert mr.review(book) is None
    assert book.app.messages[-1].startswith("复核未完成：没有找到要复核的表格文件")


def test_out_folder_beside_never_inside(tmp_path):
    day = dt.date(2024, 3, 1)
    assert mr.out_folder(tmp_path / "表格", day) == tmp_path / "表格_复核_20240301"
    root = Path(tmp_path.anchor)
    assert not str(mr.out_folder(root, day)).startswith(str(root) + "表格")
    assert mr.out_folder(root, day).parent != root


def test_help_names_the_button():
    from macros import ribbon

    assert "复核：" in ribbon.HELP_TEXT
