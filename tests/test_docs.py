"""The contract docs stay in step with the code they describe.

- every sub-command of ``innolib`` (nested ones included) and every option it takes is
  named in ``docs/interface.md``, under the heading of its top-level command, and so is
  every target ``make help`` lists;
- every table of ``innolib.tables`` is named in ``docs/data.md`` (its table overview) or
  in ``data/README.md``, and every ``district.yaml`` key in ``docs/data.md``;
- ``docs/indicator-values.md`` lists every indicator of the registry, no other, with the
  2025 value the sample package gives;
- the contract docs cite only the project's own files (nothing outside the repository).

Each check reads the code's own declarations (the argparse parser, ``TABLES``,
``DISTRICT_FIELDS``, the registry), so a command, option, table or indicator added
without its documentation fails here.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from innolib.cli import build_parser
from innolib.periods import parse_period
from innolib.tables import DISTRICT_FIELDS, TABLES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONTRACT_DOCS = ("data.md", "interface.md", "prose.md", "domain.md", "indicator-values.md")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ the command line
def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every (command path, parser) below ``parser``: ``(("run",), p)``, ``(("a", "b"), p)``."""
    found = []
    for action in parser._actions:  # argparse offers no public walk over sub-parsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(((*path, name), sub))
                found.extend(_commands(sub, (*path, name)))
    return found


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """The long options a parser declares itself (``--help`` left out)."""
    return [
        option
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
        for option in action.option_strings
        if option.startswith("--")
    ]


def _sections(markdown: str) -> list[tuple[str, str]]:
    """(heading, text up to the next heading of the same or a higher level)."""
    heads = list(re.finditer(r"^(#{1,6}) (.+)$", markdown, re.M))
    out = []
    for i, head in enumerate(heads):
        level = len(head.group(1))
        end = next((h.start() for h in heads[i + 1 :] if len(h.group(1)) <= level), len(markdown))
        out.append((head.group(2), markdown[head.start() : end]))
    return out


def _command_section(markdown: str, command: str) -> str | None:
    """The section whose heading names ``innolib <command>`` (in backticks), or None."""
    pattern = re.compile(rf"`innolib {re.escape(command)}(?:[ `]|$)")
    for heading, text in _sections(markdown):
        if pattern.search(heading):
            return text
    return None


def undocumented_cli(parser: argparse.ArgumentParser, markdown: str) -> list[str]:
    """What of ``parser`` the interface doc does not mention, one line per gap.

    A top-level command needs a heading with ``innolib <command>``; within that section
    a nested command must be written out (``innolib notebooks check``) and every long
    option of the command and its nested commands must appear.
    """
    missing = []
    commands = _commands(parser)
    for path, sub in commands:
        section = _command_section(markdown, path[0])
        if section is None:
            if len(path) == 1:
                missing.append(f"no section headed `innolib {path[0]}`")
            continue
        if len(path) > 1 and f"innolib {' '.join(path)}" not in section:
            missing.append(f"`innolib {' '.join(path)}` not named in its section")
        for option in _options(sub):
            if not re.search(rf"{re.escape(option)}(?![\w-])", section):
                missing.append(f"`innolib {' '.join(path)} {option}` not documented")
    return missing


def test_every_cli_command_and_option_is_in_interface_md():
    gaps = undocumented_cli(build_parser(), _read(DOCS / "interface.md"))
    assert not gaps, "docs/interface.md lacks:\n" + "\n".join(gaps)


def test_the_cli_check_finds_a_missing_option_and_command():
    """The checker itself: an option or command absent from the text is reported."""
    parser = argparse.ArgumentParser(prog="innolib")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("report")
    p.add_argument("--period")
    p.add_argument("--out")
    nested = sub.add_parser("notebooks").add_subparsers(dest="action")
    nested.add_parser("check").add_argument("--rerun")
    text = (
        "# Interface\n\n## `innolib report DATA --period P`\n\nWrites the bulletin; "
        "see `--outline`.\n\n## `innolib notebooks`\n\n`innolib notebooks check`\n"
    )
    assert undocumented_cli(parser, text) == [
        "`innolib report --out` not documented",
        "`innolib notebooks check --rerun` not documented",
    ]
    assert undocumented_cli(parser, "# nothing\n")[:2] == [
        "no section headed `innolib report`",
        "no section headed `innolib notebooks`",
    ]


def make_targets(makefile: str) -> list[str]:
    """The targets ``make help`` lists: lines ``name: … ## help``."""
    return re.findall(r"^([a-z][a-z-]*):[^\n]*## ", makefile, re.M)


def test_make_targets_parser():
    text = "help: ## list\n$(STAMP): x\nfuzz: $(STAMP) ## the suite\n.PHONY: a b\n"
    assert make_targets(text) == ["help", "fuzz"]


def test_every_make_target_is_in_interface_md():
    text = _read(DOCS / "interface.md")
    missing = [t for t in make_targets(_read(ROOT / "Makefile")) if f"make {t}" not in text]
    assert not missing, f"docs/interface.md does not name these make targets: {missing}"


# ------------------------------------------------------------------ the data package
def test_every_table_is_named_in_data_md_or_the_dictionary():
    text = _read(DOCS / "data.md") + _read(ROOT / "data" / "README.md")
    missing = [t for t in TABLES if f"`{t}`" not in text]
    assert not missing, f"tables named neither in docs/data.md nor data/README.md: {missing}"


def test_data_md_lists_every_table_and_district_key():
    text = _read(DOCS / "data.md")
    missing = [t for t in TABLES if f"`{t}`" not in text]
    missing += [f"district.yaml `{f.id}`" for f in DISTRICT_FIELDS if f"`{f.id}`" not in text]
    assert not missing, f"docs/data.md does not name: {missing}"


# ------------------------------------------------------------------ indicator values
_VALUE_ROW = re.compile(r"^\| `([a-z_]+\.[a-z_]+)` \|(.*)$", re.M)


def documented_values(markdown: str) -> dict[str, float]:
    """{indicator id: the sample's 2025 value} from the tables of indicator-values.md.

    The value is the table's fourth cell (id, 名称, unit, value, …), written with
    thousands separators allowed.
    """
    values = {}
    for match in _VALUE_ROW.finditer(markdown):
        cells = [c.strip() for c in match.group(2).split("|")]
        values[match.group(1)] = float(cells[2].replace(",", ""))
    return values


def test_documented_values_parser():
    text = "| `a.b` | 名称 | 万元 | 45,026.97 | 约4.5亿元 | def |\n| `c.d` | x | 家 | 106 | 106家 | d |\n"
    assert documented_values(text) == {"a.b": 45026.97, "c.d": 106.0}


@pytest.fixture(scope="module")
def sample_2025():
    from innolib.indicators import compute_indicators
    from innolib.load import load_package

    return compute_indicators(load_package(ROOT / "data" / "shangjie"), parse_period("2025"))


def test_indicator_values_md_covers_the_registry_with_the_samples_values(sample_2025):
    from innolib.registry import load_registry

    documented = documented_values(_read(DOCS / "indicator-values.md"))
    registry = list(load_registry())
    assert sorted(documented) == sorted(registry), (
        f"missing: {sorted(set(registry) - set(documented))}; "
        f"not in the registry: {sorted(set(documented) - set(registry))}"
    )
    wrong = {
        i: (v, sample_2025[i].value)
        for i, v in documented.items()
        if sample_2025[i].value is None or abs(sample_2025[i].value - v) > 0.005
    }
    assert not wrong, f"docs/indicator-values.md differs from the sample (doc, data): {wrong}"


# ------------------------------------------------------------------ self-contained
@pytest.mark.parametrize("name", CONTRACT_DOCS)
def test_contract_docs_cite_only_the_project(name):
    text = _read(DOCS / name)
    outside = re.findall(r"\.\./shared|/work/|(?:DATA|INDICATORS|INTERFACE|PROSE|DOMAIN)\.md", text)
    assert not outside, f"docs/{name} cites files outside the project: {outside}"
    for link in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        assert (DOCS / link).exists(), f"docs/{name} links to a missing file: {link}"
