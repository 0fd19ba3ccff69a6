"""The ``innolib`` command line: argument parsing and exit codes only.

Each command calls one library function and prints its result. Exit codes: 0 success,
1 the data (or a claim, or a run) failed, 2 usage error. A usage error is one line on
standard error, never a traceback. Library modules are imported inside the handlers so
that ``innolib --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from innolib.errors import InnolibError, UsageError
from innolib.outputs import DEFAULT_OUT, inside


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2)."""

    def error(self, message: str) -> None:
        raise UsageError(
            f"参数错误：{message}", f"usage error: {message} (see `{self.prog} --help`)"
        )


def _existing_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise UsageError(f"找不到数据包或文件：{text}", f"no such data package or file: {text}")
    return path


def _print_json(document: object) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def _cmd_validate(args: argparse.Namespace) -> int:
    path = _existing_path(args.data)
    from innolib.load import PackageInvalid, load_package

    try:
        package = load_package(path, lenient=args.lenient)
    except PackageInvalid as invalid:
        print(invalid.report.format())
        print(str(invalid), file=sys.stderr)
        return 1
    print(package.report.format())
    if args.lenient and not package.report.ok:
        from innolib.load import write_rejects

        written = write_rejects(package.report, inside(DEFAULT_OUT, package.district.id))
        n = package.report.rejected_rows()
        print(
            f"宽松模式：{n}行未载入，已写入 / lenient mode: {n} rows left out, written to "
            + ", ".join(str(p) for p in written)
        )
    return 0


def _cmd_indicators(args: argparse.Namespace) -> int:
    from innolib.periods import parse_period

    period, path = parse_period(args.period), _existing_path(args.data)
    from innolib.indicators import compute_indicators
    from innolib.load import load_package
    from innolib.present.tables import indicator_table

    package = load_package(path, lenient=args.lenient)
    result = compute_indicators(package, period)
    for line in result.warnings:  # the data's coverage (innolib.coverage)
        print(f"innolib: 警告 / warning: {line}", file=sys.stderr)
    if args.json:
        _print_json(result.to_document())
    else:
        print(indicator_table(result).text())
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from innolib.export import write_report
    from innolib.load import load_package
    from innolib.periods import parse_period

    period = parse_period(args.period)
    package = load_package(_existing_path(args.data), lenient=args.lenient)
    out = Path(args.out) if args.out else inside(DEFAULT_OUT, package.district.id, period.label)
    issued = _issue_date(args.issued)
    if args.issue_number is not None and args.issue_number < 1:
        raise UsageError(
            f"--issue-number 须为正整数：{args.issue_number}",
            f"--issue-number must be a positive whole number: {args.issue_number}",
        )
    written = write_report(
        package, period, out, lang=args.lang, issue_number=args.issue_number, issued=issued
    )
    for path in written:
        print(path)
        if path.name == "missing_measures.txt":  # the run lists what the analyst must add
            for line in path.read_text(encoding="utf-8").splitlines():
                print(line, file=sys.stderr)
    return 0


def _issue_date(text: str | None) -> object:
    """``--issued`` as a date (None when not given); a usage error when not YYYY-MM-DD."""
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--issued 须为日期（如2026-01-15）：{text}",
            f"--issued must be a date (e.g. 2026-01-15): {text}",
        ) from None


def _cmd_check(args: argparse.Namespace) -> int:
    from innolib.factcheck import check_text, format_claims, read_draft
    from innolib.load import load_package
    from innolib.periods import parse_period

    period = parse_period(args.period)
    draft = read_draft(args.text if args.text == "-" else str(_existing_path(args.text)))
    package = load_package(_existing_path(args.data), lenient=args.lenient)
    result = check_text(draft, package, period)
    if args.json:
        _print_json(result.to_document())
    else:
        print(format_claims(result))
    return 1 if result.contradicted else 0


def _cmd_template(args: argparse.Namespace) -> int:
    from innolib.template import write_template

    print(write_template(Path(args.out)))
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from innolib.periods import parse_year_range
    from innolib.synth import generate

    years = parse_year_range(args.years)
    if args.scale <= 0:
        raise UsageError("--scale 须为正数", "--scale must be positive")
    out = generate(
        Path(args.out_dir),
        district=args.district,
        years=years,
        scale=args.scale,
        seed=args.seed,
        fmt=args.format,
    )
    print(out)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from innolib.batch import run_batch

    summary = run_batch(
        data=[_existing_path(d) for d in args.data] if args.data else None,
        periods=args.period or None,
        notebooks=args.notebook or None,
        out=Path(args.out),
        jobs=args.jobs,
        scheduler=args.scheduler,
        lenient=args.lenient,
        progress=not args.quiet,
    )
    return 0 if summary.ok else 1


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from innolib import notebook_files

    if args.action == "refresh":
        for path in notebook_files.refresh(args.paths):
            print(f"refreshed {path}")
        return 0
    found = notebook_files.check(args.paths, rerun=args.rerun)
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        shown = " ".join(args.paths) or str(notebook_files.DEFAULT_FOLDER)
        print(f"notebooks clean{' and current' if args.rerun else ''}: {shown}")
    return 1 if found else 0


def _cmd_dictionary(args: argparse.Namespace) -> int:
    from innolib.dictionary import write_data_dictionary

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"找不到数据目录：{folder}", f"no data folder: {folder}")
    print(write_data_dictionary(folder))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``innolib`` argument parser with every sub-command (one ``_add_*`` each)."""
    parser = _Parser(
        prog="innolib", description="区科技局统计分析 / district S&T bureau statistics"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for add in (
        _add_validate,
        _add_indicators,
        _add_report,
        _add_check,
        _add_template,
        _add_synth,
        _add_run,
        _add_notebooks,
        _add_dictionary,
    ):
        add(sub)
    return parser


def _lenient(p: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """The ``--lenient`` flag every command that loads a package takes."""
    p.add_argument("--lenient", action="store_true", help=help_text)


def _add_validate(sub) -> None:
    p = sub.add_parser("validate", help="load and check a data package / 校验数据包")
    p.add_argument("data", help="package folder or workbook")
    _lenient(p, "leave rejected rows out instead of failing")
    p.set_defaults(handler=_cmd_validate)


def _add_indicators(sub) -> None:
    p = sub.add_parser("indicators", help="every indicator for a period / 计算指标")
    p.add_argument("data")
    p.add_argument("--period", required=True, help="2025, 2025H1, 2025Q3, 2025M09")
    p.add_argument("--json", action="store_true", help="print the indicators document")
    _lenient(p)
    p.set_defaults(handler=_cmd_indicators)


def _add_report(sub) -> None:
    p = sub.add_parser("report", help="the bulletin and its exports / 生成简报")
    p.add_argument("data")
    p.add_argument("--period", required=True)
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--out", default=None, help="default outputs/<district>/<period>")
    _lenient(p)
    p.add_argument("--issue-number", type=int, default=None, help="the 简报's 第N期")
    p.add_argument("--issued", default=None, help="its date, YYYY-MM-DD (default: today)")
    p.set_defaults(handler=_cmd_report)


def _add_check(sub) -> None:
    p = sub.add_parser("check", help="fact-check a bulletin draft / 核对简报数字")
    p.add_argument("text", help="the draft: UTF-8 text, Word .docx, or - for standard input")
    p.add_argument("--data", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--json", action="store_true")
    _lenient(p)
    p.set_defaults(handler=_cmd_check)


def _add_template(sub) -> None:
    p = sub.add_parser("template", help="an empty fill-in workbook / 生成填报模板")
    p.add_argument("out", help="OUT.xlsx")
    p.set_defaults(handler=_cmd_template)


def _add_synth(sub) -> None:
    p = sub.add_parser("synth", help="a synthetic data package / 生成模拟数据包")
    p.add_argument("out_dir")
    p.add_argument(
        "--district",
        default="shangjie",
        help="shangjie (default) or NAME[:CODE] for another district",
    )
    p.add_argument("--years", default="2021..2025")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=None, help="default: the district's own seed")
    p.add_argument(
        "--format",
        choices=("csv", "parquet"),
        default=None,
        help="file format (default csv; parquet when --scale > 10)",
    )
    p.set_defaults(handler=_cmd_synth)


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="the papermill batch / 批量运行笔记本")
    p.add_argument(
        "--data", action="append", help="package (repeatable); default every package under data/"
    )
    p.add_argument(
        "--period", action="append", help="period or range (repeatable): 2025, 2021..2025"
    )
    p.add_argument("--notebook", action="append", help="notebook name (repeatable); default all")
    p.add_argument("--out", default=str(DEFAULT_OUT), help=f"default {DEFAULT_OUT}/")
    p.add_argument(
        "--jobs", type=int, default=None, help="parallel runs (default: number of cores)"
    )
    p.add_argument("--scheduler", default=None, help="dask scheduler address, or 'local'")
    _lenient(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_run)


def _add_notebooks(sub) -> None:
    p = sub.add_parser(
        "notebooks", help="keep the committed notebooks clean and current / 笔记本维护"
    )
    p.add_argument(
        "action", choices=("check", "refresh"), help="check: fail if not clean; refresh: re-run"
    )
    p.add_argument(
        "paths",
        nargs="*",
        help="notebooks, folders or names (default: notebooks/; names after a folder are in it)",
    )
    p.add_argument(
        "--rerun", action="store_true", help="check: also re-execute and compare every output"
    )
    # names may follow options (`notebooks check --rerun a b`): main() gathers them
    p.set_defaults(handler=_cmd_notebooks, intermixed=True)


def _add_dictionary(sub) -> None:
    p = sub.add_parser("dictionary", help="write the data dictionary data/README.md / 生成数据字典")
    p.add_argument("folder", nargs="?", default="data", help="default data/")
    p.set_defaults(handler=_cmd_dictionary)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``innolib`` console script; returns the exit code."""
    try:
        parser = build_parser()
        args, rest = parser.parse_known_args(argv)
        if getattr(args, "intermixed", False):  # `notebooks check --rerun a b`: names after options
            args.paths += [r for r in rest if not r.startswith("-")]
            rest = [r for r in rest if r.startswith("-")]
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        return args.handler(args)
    except InnolibError as error:
        print(f"innolib: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("innolib: interrupted / 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`innolib indicators … | head`): not an error of ours, and no
        # traceback; stdout is pointed at devnull so the interpreter's final flush stays quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
