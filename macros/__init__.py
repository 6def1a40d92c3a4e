"""xlwings macros behind the 绩效评价 ribbon (see macros/addin/ for the add-in sources).

The ribbon's VBA callbacks run ``RunPython "import macros; macros.<name>()"``.
Each macro works on the calling workbook and only changes formatting and
notes, never a value (validate/clear), or writes new files (templates, freeze).
"""

from .review import review
from .ribbon import freeze, new_evaltable, new_selfeval, show_help
from .validation import clear, validate

__all__ = ["clear", "freeze", "new_evaltable", "new_selfeval", "review", "show_help", "validate"]
