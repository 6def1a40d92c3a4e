"""Child-process helper of ``perfkit addin build`` (run as a script, never imported).

Generates the VBA wrappers of a UDF module with xlwings' own
``xlwings.udfs.generate_vba_wrapper``.  On Linux the Windows-only modules get
stand-ins and ``xw.func``/``xw.arg`` are swapped for the classic decorators, so
the functions carry ``__xlfunc__`` as they do in Excel.  This lives outside
``perfkit/`` because the core never imports xlwings.

Usage: python gen_udf_vba.py MODULE ADDIN_FILE_NAME  -> JSON on stdout
"""

import importlib
import io
import json
import os
import sys
import types


def _stand_in(name):
    mod = types.ModuleType(name)

    def __getattr__(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return lambda *args, **kwargs: None

    mod.__getattr__ = __getattr__
    return mod


for _name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    try:
        importlib.import_module(_name)
    except ImportError:
        sys.modules[_name] = _stand_in(_name)
if "win32com.client" in sys.modules and "win32com" in sys.modules:
    sys.modules["win32com"].client = sys.modules["win32com.client"]

os.environ.pop("XLWINGS_ON_SERVER", None)
import xlwings  # noqa: E402  (after the stand-ins above)
import xlwings.udfs as xu  # noqa: E402

# Classic decorators, so that @xw.func / @xw.arg record __xlfunc__ as on Windows.
xlwings.func, xlwings.arg, xlwings.ret, xlwings.sub = xu.xlfunc, xu.xlarg, xu.xlret, xu.xlsub


class Book:
    Name = sys.argv[2]


module_name = sys.argv[1]
module = importlib.import_module(module_name)
buf = io.StringIO()
xu.generate_vba_wrapper(module_name, module, buf, Book())
funcs = []
for attr in dir(module):
    f = getattr(module, attr)
    xlf = getattr(f, "__xlfunc__", None)
    if not xlf:
        continue
    args = [a for a in xlf["args"] if not a["vba"]]
    funcs.append(
        {
            "name": xlf["name"],
            "category": xlf["category"],
            "doc": xlf["ret"]["doc"] or "",
            "args": [[a["name"], a["doc"]] for a in args],
            "optional": [a["name"] for a in args if "optional" in a],
            "vararg": next((a["name"] for a in args if a["vararg"]), None),
            "sub": xlf["sub"],
        }
    )
sys.stdout.write(
    json.dumps({"vba": buf.getvalue(), "functions": funcs, "xlwings": xlwings.__version__})
)
