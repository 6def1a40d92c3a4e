"""``perfkit validate PATH... [--format table|json] [--out DIR] [--profile NAME]``.

Runs the same checks as the Excel macro (``perfkit.validate.validate_form``)
on files read from disk (formulas and their cached values).  Folders are
searched recursively for .xlsx/.xlsm.  Exit code: 0 no error, 1 errors found,
2 an input could not be read (the other files are still processed).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PerfkitError, UsageError
from ..profiles import load as load_profile

EXTENSIONS = (".xlsx", ".xlsm")
PROGRESS_FROM = 5  # show a progress bar from this many files on


@dataclass
class FileResult:
    path: str
    findings: list = field(default_factory=list)
    error: str = ""  # the file could not be read (exit 2)
    marked: str = ""  # path of the marked copy
    form: str = ""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="校验自评表/评分表：找出计算与规则不一致的单元格",
        description="校验一个或多个 .xlsx/.xlsm（文件夹递归查找）。退出码：0 无错误；1 发现错误；2 有文件无法读取。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹")
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="输出格式（默认 table）"
    )
    p.add_argument(
        "--out", metavar="DIR", help="把标注了问题单元格的副本写到此文件夹（从不覆盖原文件）"
    )
    p.add_argument(
        "--profile",
        metavar="NAME",
        help="评分规则（默认用表格中设置的规则；如 mof2020、platform、futian2021）",
    )
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.set_defaults(func=run)


def discover(paths: list[str]) -> tuple[list[tuple[str, str]], list[FileResult]]:
    """(file, root) pairs to check, and results for paths that do not exist."""
    files: list[tuple[str, str]] = []
    missing: list[FileResult] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith("~$")
            )
            for p in found:
                key = str(p.resolve())
                if key not in seen:
                    seen.add(key)
                    files.append((str(p), str(path)))
        elif path.exists():
            key = str(path.resolve())
            if key not in seen:
                seen.add(key)
                files.append((str(path), str(path.parent)))
        else:
            missing.append(FileResult(str(path), error=f"{path}：文件或文件夹不存在"))
    return files, missing


def check_file(path: str, profile: str | None):
    """(form kind, findings) of one file; raises PerfkitError for unreadable input."""
    from ..validate import validate_form
    from ..workbook import read_form

    form = read_form(path)
    return form.form, validate_form(form, profile)


def _message(path: str, exc: BaseException) -> str:
    if isinstance(exc, PerfkitError):
        text = str(exc)
        return text if path in text else f"{path}：{text}"
    return f"{path}：无法读取（{type(exc).__name__}: {exc}）"


def _out_path(out_dir: str, path: str, root: str) -> Path:
    try:
        rel = Path(os.path.relpath(path, root))
    except ValueError:  # other drive on Windows
        rel = Path(Path(path).name)
    if rel.parts and rel.parts[0] == "..":
        rel = Path(Path(path).name)
    return Path(out_dir) / rel.parent / f"{rel.stem}_校验{rel.suffix}"


def run(args) -> int:
    if args.profile:
        load_profile(args.profile)  # unknown profile: usage error before any work
    files, results = discover(args.paths)
    if not files and not results:
        raise UsageError("没有找到要校验的 .xlsx/.xlsm 文件")
    inputs = [f for f, _ in files]
    bar = None
    if len(files) >= PROGRESS_FROM and not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=len(files), file=sys.stderr, unit="个文件", desc="校验", leave=False)
    for path, root in files:
        res = FileResult(path)
        try:
            res.form, res.findings = check_file(path, args.profile)
        except Exception as exc:  # every input is reported; the others go on
            res.error = _message(path, exc)
        if args.out and not res.error:
            target = _out_path(args.out, path, root)
            try:
                if any(Path(i).resolve() == target.resolve() for i in inputs):
                    raise UsageError(f"输出文件不能与输入文件相同：{target}")
                from ..validate.marking import mark_copy

                mark_copy(path, target, res.findings)
                res.marked = str(target)
            except Exception as exc:
                res.error = _message(path, exc) + "（未写出标注副本）"
        results.append(res)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    if args.format == "json":
        _print_json(results)
    else:
        _print_table(results)
    if any(r.error for r in results):
        return 2
    if any(f.severity == "error" for r in results for f in r.findings):
        return 1
    return 0


def _print_json(results: list[FileResult]) -> None:
    from ..validate import count_by_severity

    findings = [{"file": r.path, **f.as_dict()} for r in results for f in r.findings]
    data = {
        "findings": findings,
        "unreadable": [{"file": r.path, "message": r.error} for r in results if r.error],
        "files": [
            {
                "file": r.path,
                "form": r.form,
                "status": "unreadable" if r.error else "checked",
                "counts": count_by_severity(r.findings),
                **({"marked_copy": r.marked} if r.marked else {}),
            }
            for r in results
        ],
        "summary": {
            "files": len(results),
            "unreadable": sum(1 for r in results if r.error),
            **count_by_severity(f for r in results for f in r.findings),
        },
    }
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_table(results: list[FileResult]) -> None:
    from ..validate import SEVERITY_LABELS, count_by_severity

    out = sys.stdout
    for r in results:
        if r.error:
            print(f"错误：{r.error}", file=sys.stderr)
            continue
        counts = count_by_severity(r.findings)
        head = f"{r.path}：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}"
        if r.marked:
            head += f"（标注副本：{r.marked}）"
        print(head, file=out)
        for f in r.findings:
            print(
                f"  {f.where:<12} {SEVERITY_LABELS[f.severity]:<3} {f.code:<24} {f.message}",
                file=out,
            )
    total = count_by_severity(f for r in results for f in r.findings)
    bad = sum(1 for r in results if r.error)
    print(
        f"共 {len(results)} 个文件：错误 {total['error']}，警告 {total['warning']}，提示 {total['info']}"
        + (f"，{bad} 个文件无法读取" if bad else ""),
        file=out,
    )
