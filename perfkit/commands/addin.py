"""``perfkit addin build`` / ``perfkit addin install``: the 绩效评价 Excel add-in."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..errors import PerfkitError
from ..fsutil import check_outputs, output_error

DEFAULT_OUT = "perfkit.xlam"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "addin",
        help="生成或安装“绩效评价”Excel 加载项（.xlam）",
        description="生成或安装“绩效评价”Excel 加载项：功能区按钮、评分函数（UDF）与 xlwings 运行库。",
    )
    sub = parser.add_subparsers(dest="addin_command", metavar="ACTION")

    build = sub.add_parser(
        "build", help="生成 perfkit.xlam", description="生成加载项文件 perfkit.xlam"
    )
    build.add_argument("-o", "--out", default=DEFAULT_OUT, help=f"输出文件（默认 {DEFAULT_OUT}）")
    _add_settings(build)
    build.set_defaults(func=run_build)

    install = sub.add_parser(
        "install",
        help="生成并安装到当前用户的 Excel 加载项文件夹（仅 Windows）",
        description="在 Windows 上生成加载项并复制到 %%APPDATA%%\\Microsoft\\AddIns；"
        "其他系统上只生成文件并说明需要 Windows 版 Excel。",
    )
    install.add_argument(
        "-o",
        "--out",
        default=DEFAULT_OUT,
        help=f"非 Windows 系统上生成的文件（默认 {DEFAULT_OUT}）",
    )
    _add_settings(install)
    install.set_defaults(func=run_install)

    parser.set_defaults(func=lambda args: _usage(parser))


def _add_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--interpreter",
        help="Excel 调用的 Python（写入 perfkit.conf 的 Interpreter_Win；Windows 上默认是当前 Python 的 pythonw.exe）",
    )
    parser.add_argument(
        "--pythonpath",
        help="附加的 Python 搜索路径（写入 PYTHONPATH；Windows 上默认是 udfs 包所在文件夹）",
    )
    parser.add_argument(
        "--udf-module",
        default="udfs",
        help="提供 @xw.func 函数的 Python 包（默认 udfs）",
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _build(args: argparse.Namespace, out: Path):
    from .. import addin

    # Folders of --pythonpath that exist here also serve to find the UDF package now.
    local = [d for d in (args.pythonpath or "").split(os.pathsep) if d and Path(d).is_dir()]
    check_outputs([out], addin.input_files(args.udf_module, local))
    return addin.build(
        out,
        interpreter=args.interpreter,
        pythonpath=args.pythonpath,
        udf_module=args.udf_module,
        extra_path=local,
    )


def _report(result, out: Path) -> None:
    udfs = ", ".join(info.name for info in result.udfs) or "（无）"
    print(f"已生成加载项：{out.resolve()}（{out.stat().st_size:,} 字节）")
    print(f"  VBA 模块：{', '.join(m.name for m in result.modules)}")
    print(f"  评分函数（UDF）{len(result.udfs)} 个：{udfs}")
    conf = "；".join(f"{key} = {value}" for key, value in result.conf)
    print(f"  设置表 perfkit.conf：{conf}")
    print(
        f"  xlwings 运行库版本 {result.xlwings_version}："
        f"使用本加载项的电脑上须安装同一版本的 xlwings（pip install xlwings=={result.xlwings_version}）"
    )
    for note in result.notes:
        print(f"  注意：{note}")


def run_build(args: argparse.Namespace) -> int:
    out = Path(args.out)
    result = _build(args, out)
    _report(result, out)
    return 0


def run_install(args: argparse.Namespace) -> int:
    from .. import addin

    target_dir = addin.excel_addins_dir()
    if target_dir is None:
        out = Path(args.out)
        result = _build(args, out)
        _report(result, out)
        print(
            "未安装：加载项需要 Windows 版 Excel（以及装有 xlwings 的 Python），本机不是 Windows。\n"
            f"请把 {out.resolve()} 复制到 Windows 电脑，在那里运行 perfkit addin install，"
            "或在 Excel 中：文件 → 选项 → 加载项 → 管理“Excel 加载项” → 转到 → 浏览，选择该文件并勾选。",
            file=sys.stderr,
        )
        return 2

    target = target_dir / f"{addin.ADDIN_NAME}.xlam"
    with tempfile.TemporaryDirectory(prefix="perfkit-addin-") as tmp:
        built = Path(tmp) / target.name
        result = _build(args, built)
        _report(result, built)
        target_dir.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(built, target)
        except PermissionError:
            raise PerfkitError(
                "无法写入：Excel 可能正在使用旧的加载项，请先关闭 Excel 再试",
                path=str(target),
            ) from None
        except OSError as err:
            raise output_error(err, target) from None
    print(f"已安装到：{target}")
    print(
        "下一步：打开 Excel → 文件 → 选项 → 加载项 → 下方“管理”选 Excel 加载项 → 转到，"
        "勾选“绩效评价 (perfkit)”（若不在列表中，点“浏览”选择上面的文件）→ 确定。"
        "功能区会出现“绩效评价”选项卡。"
    )
    print("首次使用请按 docs/addin.md 的“在 Excel 中首次使用”清单逐项检查。")
    return 0
