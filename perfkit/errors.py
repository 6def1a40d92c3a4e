"""Errors that reach a user: a Chinese message naming the file or cell."""

from __future__ import annotations


class PerfkitError(Exception):
    """Base class: ``str(err)`` is the message shown to the user."""

    def __init__(self, message: str, *, path: str | None = None, cell: str | None = None):
        self.message = message
        self.path = path
        self.cell = cell
        where = "：".join(p for p in (path, cell) if p)
        super().__init__(f"{where}：{message}" if where else message)


class InputError(PerfkitError):
    """A file that cannot be read as the form it should be (exit code 2)."""


class NotAForm(InputError):
    """A readable workbook that is not a perfkit form."""


class UsageError(PerfkitError):
    """Wrong arguments on the command line (exit code 2)."""


class OutputError(PerfkitError):
    """An output that cannot be written: a folder given as the file, a file in
    the way of a folder, no permission, a file open in Excel, a full disk
    (exit code 2).  The message names the path and says what to do."""
