"""``perfkit validate PATH... [--format table|json] [--out DIR] [--profile NAME]``.

Runs the same checks as the Excel macro (``perfkit.validate.validate_form``)
on files read from disk (formulas and their cached values).  Folders are
searched recursively for .xlsx/.xlsm/.xls (perfkit's own outputs skipped).  Exit code: 0 no error, 1 errors found,
2 an input could not be read (the other files are still processed).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError, PerfkitError, UsageError
from ..fsutil import check_outputs, read_error_message
from ..model import DECLARATION
from ..profiles import load as load_profile

PROGRESS_FROM = 5  # show a progress bar from this many files on


@dataclass
class FormResult:
    """One form of a file: its kind, sheet, project name and findings."""

    kind: str
    sheet: str
    project: str
    findings: list = field(default_factory=list)
    name: str = "表格"  # 自评表, 评分表, 部门整体自评表
    entry: Any = None  # its validate.between.Entry, for the checks between forms

    @property
    def title(self) -> str:
        name = f"“{self.project}”" if self.project else "（未填项目名称）"
        return f"工作表「{self.sheet}」{self.name}{name}"


@dataclass
class FileResult:
    path: str
    forms: list[FormResult] = field(default_factory=list)
    error: str = ""  # the file could not be read (exit 2)
    marked: str = ""  # path of the marked copy
    mark_error: str = ""  # the file was checked, its marked copy not written (exit 2)

    @property
    def findings(self) -> list:
        return [f for form in self.forms for f in form.findings]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="校验自评表/评分表：找出计算与规则不一致的单元格",
        description="校验一个或多个 .xlsx/.xlsm/.xls（文件夹递归查找，perfkit 自己生成的文件会跳过）。"
        "退出码：0 无错误；1 发现错误；2 有文件无法读取或参数有误。",
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
    p.add_argument(
        "--jobs", type=int, metavar="N", help="并行进程数（默认使用全部 CPU 核心；1 = 不并行）"
    )
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.set_defaults(func=run)


def check_file(path: str, profile: str | None) -> list[FormResult]:
    """Every form of one file with its findings, and each 绩效目标申报表 in it
    (no findings of its own: its targets are what the 自评表 are checked
    against); raises PerfkitError for unreadable input."""
    from ..model import form_name
    from ..readers import read_book
    from ..validate import validate_form
    from ..validate.between import entry_of
    from ..values import subject_of

    forms, declarations = read_book(path)
    return [
        FormResult(
            form.form,
            form.sheet,
            subject_of(form),
            validate_form(form, profile) if form.form != DECLARATION else [],
            form_name(form),
            entry_of(form, path),
        )
        for form in [*forms, *declarations]
    ]


def mark_between(forms: list[FormResult]) -> None:
    """The findings between the forms of the batch (*forms*, in order;
    :mod:`perfkit.validate.between`) added to each form they concern."""
    from ..validate import sort_findings
    from ..validate.between import findings

    for i, found in findings([form.entry for form in forms]).items():
        forms[i].findings = sort_findings([*forms[i].findings, *found])


def _message(path: str, exc: BaseException) -> str:
    """What the user reads about an input that could not be checked: Chinese,
    naming the file; never an exception's class name or English text."""
    if isinstance(exc, PerfkitError):
        text = str(exc)
        return text if path in text else f"{path}：{text}"
    if isinstance(exc, OSError):
        return f"{path}：{read_error_message(exc)}"
    return f"{path}：无法读取：文件内容无法解析，可能已损坏或不是 perfkit 能识别的表格"


def _out_path(out_dir: str, path: str, root: str) -> Path:
    try:
        rel = Path(os.path.relpath(path, root))
    except ValueError:  # other drive on Windows
        rel = Path(Path(path).name)
    if rel.parts and rel.parts[0] == "..":
        rel = Path(Path(path).name)
    suffix = rel.suffix if rel.suffix.lower() in (".xlsx", ".xlsm") else ".xlsx"
    return Path(out_dir) / rel.parent / f"{rel.stem}_校验{suffix}"


@dataclass(frozen=True)
class _Job:
    path: str
    root: str
    profile: str | None
    target: str | None  # the marked copy to write (--out), checked against every input


def check_job(job: _Job) -> FileResult:
    """Read and check one file; never raises (a worker).  Its marked copy is
    written afterwards (:func:`mark_job`), once the checks between the forms
    of the batch have added their findings."""
    res = FileResult(job.path)
    try:
        res.forms = check_file(job.path, job.profile)
    except Exception as exc:  # every input is reported; the others go on
        res.error = _message(job.path, exc)
    return res


@dataclass(frozen=True)
class _Mark:
    path: str
    target: str
    findings: list  # the file's findings, those between forms included


def mark_job(job: _Mark) -> tuple[str, str]:
    """Write one marked copy; never raises (a worker): (the copy, "") or ("", why not)."""
    try:
        from ..validate.marking import mark_copy

        mark_copy(job.path, job.target, job.findings)
        return job.target, ""
    except PerfkitError as exc:  # the output's own message (OutputError names the copy)
        return "", f"未写出 {job.path} 的标注副本：{exc}"
    except OSError as exc:
        return "", f"未写出 {job.path} 的标注副本：{read_error_message(exc)}"
    except Exception:
        return "", f"未写出 {job.path} 的标注副本：openpyxl 无法打开该文件，请在 Excel 中另存后重试"


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def run(args) -> int:
    from ..batch import discover_rooted, imap, skipped_summary

    if args.profile:
        load_profile(args.profile)  # unknown profile: usage error before any work
    if args.out and os.path.exists(args.out) and not os.path.isdir(args.out):
        raise OutputError(
            "--out 应为文件夹，但这是一个已有的文件：请给出一个文件夹（不存在时会自动创建）",
            path=args.out,
        )
    if args.out and not os.path.isdir(args.out) and args.out.lower().endswith(WORKBOOK_SUFFIXES):
        raise UsageError(
            f"--out 应为文件夹（每份表格的标注副本写在其中，名为“原文件名_校验.xlsx”），"
            f"“{args.out}”像是一个文件名：请给出一个文件夹"
        )
    files = discover_rooted(args.paths)
    for line in skipped_summary(files):
        print(line, file=sys.stderr)
    if not files:
        raise UsageError(
            "没有找到要校验的表格文件（.xlsx、.xlsm、.xls）："
            + "、".join(str(p) for p in args.paths)
        )
    targets = [
        str(_out_path(args.out, str(f), str(root))) if args.out else None for f, root in files
    ]
    check_outputs(targets, [f for f, _ in files])  # no marked copy over an input
    jobs = [
        _Job(str(f), str(root), args.profile, target)
        for (f, root), target in zip(files, targets, strict=True)
    ]
    progress = "校验" if len(jobs) >= PROGRESS_FROM and not args.no_progress else False
    results = list(imap(check_job, jobs, jobs=args.jobs, progress=progress))
    mark_between([form for r in results for form in r.forms])
    marks = [
        (res, _Mark(job.path, job.target, res.findings))
        for job, res in zip(jobs, results, strict=True)
        if job.target and not res.error
    ]
    progress = "标注" if len(marks) >= PROGRESS_FROM and not args.no_progress else False
    written = imap(mark_job, [m for _, m in marks], jobs=args.jobs, progress=progress)
    for (res, _), (copy, why_not) in zip(marks, written, strict=True):
        res.marked, res.mark_error = copy, why_not
    if args.format == "json":
        _print_json(results, files.skipped)
    else:
        _print_table(results)
    if any(r.error or r.mark_error for r in results):
        return 2
    if any(f.severity == "error" for r in results for f in r.findings):
        return 1
    return 0


def _print_json(results: list[FileResult], skipped=()) -> None:
    from ..validate import count_by_severity

    findings = [
        {"file": r.path, "form": i, "project": form.project, **f.as_dict()}
        for r in results
        for i, form in enumerate(r.forms)
        for f in form.findings
    ]
    data = {
        "findings": findings,
        "unreadable": [{"file": r.path, "message": r.error} for r in results if r.error],
        "skipped": [
            {"file": str(s.path), "reason": s.reason, **({"output": s.output} if s.output else {})}
            for s in skipped
        ],
        "files": [
            {
                "file": r.path,
                "status": "unreadable" if r.error else "checked",
                "forms": [
                    {
                        "form": form.kind,
                        "sheet": form.sheet,
                        "project": form.project,
                        "counts": count_by_severity(form.findings),
                    }
                    for form in r.forms
                ],
                "counts": count_by_severity(r.findings),
                **({"marked_copy": r.marked} if r.marked else {}),
                **({"marked_copy_error": r.mark_error} if r.mark_error else {}),
            }
            for r in results
        ],
        "summary": {
            "files": len(results),
            "unreadable": sum(1 for r in results if r.error),
            "marked_copies_not_written": sum(1 for r in results if r.mark_error),
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
        if all(form.kind == DECLARATION for form in r.forms):
            head += "（绩效目标申报表：用于核对同一项目自评表的年度指标值）"
        elif len(r.forms) > 1:
            head += f"（{len(r.forms)} 份表格）"
        if r.marked:
            head += f"（标注副本：{r.marked}）"
        print(head, file=out)
        for form in r.forms:
            if len(r.forms) > 1:
                c = count_by_severity(form.findings)
                print(
                    f"  {form.title}：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}",
                    file=out,
                )
            for f in form.findings:
                print(
                    f"  {f.where:<12} {SEVERITY_LABELS[f.severity]:<3} {f.code:<24} {f.message}",
                    file=out,
                )
        if r.mark_error:
            out.flush()
            print(f"错误：{r.mark_error}", file=sys.stderr)
    total = count_by_severity(f for r in results for f in r.findings)
    bad = sum(1 for r in results if r.error)
    unmarked = sum(1 for r in results if r.mark_error)
    print(
        f"共 {len(results)} 个文件：错误 {total['error']}，警告 {total['warning']}，提示 {total['info']}"
        + (f"，{bad} 个文件无法读取" if bad else "")
        + (f"，{unmarked} 个文件未写出标注副本" if unmarked else ""),
        file=out,
    )
