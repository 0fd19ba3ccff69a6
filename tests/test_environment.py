"""environment.yml (conda) and pyproject.toml (pip) describe the same environment."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# conda-forge spells a few packages differently from PyPI
CONDA_NAMES = {"duckdb": "python-duckdb", "dask[distributed]": ("dask", "distributed")}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", requirement.strip())
    return match.group(1).lower(), match.group(2).replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    out: dict[str, str] = {}
    for req in reqs:
        name, spec = _split(req)
        mapped = CONDA_NAMES.get(name, name)
        for conda_name in mapped if isinstance(mapped, tuple) else (mapped,):
            out[conda_name] = spec
    return out


def _environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e"):
                continue
            name, spec = _split(item)
            if name in ("python", "pip"):
                continue
            out[name] = spec
    return out


def test_environment_yml_and_pyproject_list_the_same_packages_and_versions():
    assert _environment_requirements() == _pyproject_requirements()


def test_environment_installs_the_project_itself_last():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert pip_section[-1] == "-e ."
    assert "conda-forge" in env["channels"]


def test_the_comparison_would_catch_a_drift():
    reqs = _pyproject_requirements()
    drifted = dict(reqs, pandas=">=2.0")
    assert drifted != _environment_requirements()


def test_every_data_file_of_the_package_is_declared_as_package_data():
    """Templates and registries must ship in a wheel, not only in an editable install."""
    from pathlib import PurePosixPath

    def declared(path: str, glob: str) -> bool:  # setuptools globs do not cross folders
        return len(PurePosixPath(path).parts) == len(PurePosixPath(glob).parts) and PurePosixPath(
            path
        ).match(glob)

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = project["tool"]["setuptools"]["package-data"]["innolib"]
    package = ROOT / "innolib"
    data_files = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert data_files, "the package has templates and registries"
    undeclared = [f for f in data_files if not any(declared(f, g) for g in globs)]
    assert undeclared == []
