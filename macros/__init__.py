"""xlwings macros behind the 绩效评价 ribbon (see macros/addin/ for the add-in sources).

The ribbon's VBA callbacks run ``RunPython "import macros; macros.<name>()"``.
Each macro works on the calling workbook and only changes formatting and
notes, never a value (validate/clear), writes new files (templates, freeze),
or inserts indicator rows with perfkit's formulas (insert_row), leaving every
value a clerk typed as it was.
"""

from .insert_row import insert_row
from .review import review
from .ribbon import freeze, new_evaltable, new_selfeval, show_help
from .validation import clear, validate

__all__ = [
    "clear",
    "freeze",
    "insert_row",
    "new_evaltable",
    "new_selfeval",
    "review",
    "show_help",
    "validate",
]
