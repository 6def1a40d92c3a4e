"""Helpers shared by the macros (Excel side only)."""

from __future__ import annotations

from typing import Any


def calling_book(book: Any = None) -> Any:
    """The workbook a macro works on: *book* when given (tests pass a fake),
    else the caller; when run from the add-in (.xlam), the active workbook."""
    if book is not None:
        return book
    import xlwings as xw

    book = xw.Book.caller()
    if str(book.name).lower().endswith(".xlam"):
        book = xw.books.active
    return book
