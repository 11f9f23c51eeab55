"""The set-up promises: environment.yml, pyproject.toml and constraints.txt name the same stack."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def pyproject_packages() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        names |= {_name(r) for r in extra}
    return names


def conda_packages() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, _, version = dep.partition("=")
            pins[name.lower()] = version
    return pins


def constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower()] = version.strip()
    return pins


def test_environment_yml_names_the_same_packages_as_pyproject():
    conda = set(conda_packages()) - {"python", "pip"}
    assert conda == pyproject_packages()


def test_environment_yml_pins_the_tested_versions():
    pins = constraints()
    for name, version in conda_packages().items():
        if name not in {"python", "pip"}:
            assert pins[name] == version, f"{name}: environment.yml {version}, constraints.txt {pins[name]}"


def test_the_course_stack_is_declared():
    pins = constraints()
    assert pins["jupyterlab"].startswith("4.")
    assert pins["ipywidgets"].startswith("8.")
    assert pins["nbgrader"].startswith("0.9.")
    for name in ("pandas", "matplotlib", "papermill", "pytest", "hypothesis", "ruff"):
        assert name in pins


def test_installed_versions_match_constraints():
    from importlib.metadata import version
    pins = constraints()
    for name in pyproject_packages():
        assert version(name) == pins[name], name


def test_import_retailkit_stays_light():
    """Heavy libraries load only when a plot or widget is asked for."""
    code = "import sys, retailkit; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_top_level_layout():
    for part in ("notebooks", "datasets", "retailkit", "grading", "tests", "benchmarks", "environment.yml",
                 "README.md", "pyproject.toml", "Makefile", ".ci/run", "constraints.txt"):
        assert (ROOT / part).exists(), part


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make demo" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_kpi_table_lists_every_function():
    import retailkit
    readme = (ROOT / "README.md").read_text()
    for name in retailkit.__all__:
        assert f"`{name}" in readme, f"README's KPI reference lacks {name}"


@pytest.mark.slow
def test_an_installed_package_finds_its_shipped_data(tmp_path):
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(wheels)],
                   check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                    *map(str, wheels.glob("*.whl"))], check=True, capture_output=True)
    code = ("import retailkit; from retailkit.datasets import data_folder, load; "
            "print(retailkit.__file__); print(data_folder()); print(len(load('stores')))")
    env = {k: v for k, v in os.environ.items() if k != "RETAILKIT_DATA"} | {"PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env,
                         check=True).stdout.splitlines()
    assert out[0].startswith(str(site)) and out[1] == str(site / "retailkit" / "datasets" / "data")
    assert out[2] == "5"
