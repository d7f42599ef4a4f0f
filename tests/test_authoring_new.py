"""`envfactory new`: a skeleton that passes verify as written, in a project of its own or in (a copy of) the
repository; packages from OpenAPI specs that pass check_env, fuzzing and isolation; clear refusals that write
nothing. Generated code is checked in subprocesses, so nothing here registers in the test process."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envfactory_gym.cli import app
from envfactory_gym.project import ProjectError, load_project, read_packages
from envfactory_gym.scaffold.openapi import Mapper, OpenAPIError, load_spec
from envfactory_gym.scaffold.skeleton import SKELETON_MODELED_ON, SKELETON_TOOLS
from envfactory_gym.scaffold.target import ScaffoldError, parse_name, plan_wiring, resolve_target
from envfactory_gym.verify import CHECKS, check_names, verify

ROOT = Path(__file__).resolve().parents[1]
SPECS = Path(__file__).parent / "fixtures" / "openapi"
SCRIPT = Path(sys.executable).with_name("envfactory")
RUFF = Path(sys.executable).with_name("ruff")
runner = CliRunner()


def envfactory(*args: str, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh process: the installed script, or the engine of a repository copy."""
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("ENVFACTORY_PROJECT", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
        command = [sys.executable, "-m", "envfactory_gym.cli", *args]
    else:
        command = [str(SCRIPT), *args] if SCRIPT.exists() else [sys.executable, "-m", "envfactory_gym.cli", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def tree(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".hypothesis" not in p.parts
    }


def repository_state() -> str:
    """What git sees of the real checkout (tracked changes and untracked files)."""
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def ruff_clean(*paths: Path) -> None:
    if not RUFF.exists():
        pytest.skip("ruff is not installed beside this interpreter")
    result = subprocess.run(
        [str(RUFF), "check", "--config", str(ROOT / "pyproject.toml"), "--no-cache", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- from scratch, in a project of one's own -----------------------------------------------------------------
def test_new_project_then_verify_passes_without_touching_the_repository(tmp_path: Path) -> None:
    before = repository_state()
    created = envfactory("new", "demo/parcel_lockers", cwd=tmp_path)
    assert created.returncode == 0, created.stdout + created.stderr
    assert "project mode" in created.stdout and "120 tasks" in created.stdout
    assert read_packages(tmp_path) == ["parcel_lockers"]
    package = tmp_path / "parcel_lockers"
    for module in ("__init__", "definition", "models", "seed", "tools", "synthesis", "stories"):
        assert (package / f"{module}.py").is_file()
    assert len((package / "tasks" / "parcel_lockers.jsonl").read_text().splitlines()) == 120

    verified = envfactory("verify", "parcel_lockers", "--fuzz", "200", cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "verify parcel_lockers: PASSED" in verified.stdout and "yours: 1 / 1 verified" in verified.stdout
    for check in CHECKS:  # every check ran, none was skipped
        assert f"│ {check} " in verified.stdout

    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_parcel_lockers.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tested.returncode == 0 and "3 passed" in tested.stdout, tested.stdout + tested.stderr
    ruff_clean(package, tmp_path / "tests")
    assert repository_state() == before
    assert not (ROOT / "tests" / "test_parcel_lockers.py").exists()

    files = tree(tmp_path)
    again = runner.invoke(app, ["new", "demo/parcel_lockers", "--dir", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert tree(tmp_path) == files
    second = resolve_target("demo/bike_share", tmp_path)  # a second package joins the project file
    plan_wiring(second, SKELETON_TOOLS, SKELETON_MODELED_ON)
    assert 'packages = ["parcel_lockers", "bike_share"]' in second.edits[tmp_path / "envfactory.toml"]


def test_a_broken_project_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "envfactory.toml").write_text('[envfactory]\npackages = ["envfactory_no_such_pkg"]\n')
    result = envfactory("list", cwd=tmp_path)
    assert result.returncode == 2 and "envfactory_no_such_pkg" in result.stderr and "fails to import" in result.stderr
    (tmp_path / "envfactory.toml").write_text('[envfactory]\npackage = ["x"]\n')
    with pytest.raises(ProjectError, match="unknown key"):
        load_project(tmp_path)
    files = tree(tmp_path)
    refused = runner.invoke(app, ["new", "demo/lockers", "--dir", str(tmp_path)])
    assert refused.exit_code == 2 and "unknown key(s) package" in refused.output
    assert "nothing was written" in refused.output
    assert tree(tmp_path) == files


# -- from scratch, in the repository -------------------------------------------------------------------------
def repository_copy(destination: Path) -> Path:
    """The engine, the agents and the domain packages' roots, laid out so that the copy's engine is the one a
    process with PYTHONPATH=<copy> imports (the links stand in for pyproject's package-dir mapping)."""
    for name in ("envfactory_gym", "agents"):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    (destination / "tests" / "domains").mkdir(parents=True)
    (destination / "domains").mkdir()
    shutil.copy(ROOT / "domains" / "__init__.py", destination / "domains" / "__init__.py")
    for domain in (p for p in (ROOT / "domains").iterdir() if (p / "__init__.py").is_file()):
        (destination / "domains" / domain.name).mkdir()
        shutil.copy(domain / "__init__.py", destination / "domains" / domain.name / "__init__.py")
    (destination / "envfactory_gym" / "domains").symlink_to(destination / "domains")
    (destination / "envfactory_gym" / "agents").symlink_to(destination / "agents")
    return destination


def test_new_in_the_repository_writes_package_tests_and_wiring(tmp_path: Path) -> None:
    before = repository_state()
    copy = repository_copy(tmp_path / "repo")
    catalog_before = json.loads((copy / "envfactory_gym" / "catalog.json").read_text())
    created = envfactory("new", "shopping/my_store", cwd=copy / "domains", pythonpath=copy)
    assert created.returncode == 0, created.stdout + created.stderr
    assert "repository mode" in created.stdout
    package = copy / "domains" / "shopping" / "my_store"
    assert (package / "stories.py").is_file() and (copy / "tests" / "domains" / "test_my_store.py").is_file()
    assert len((copy / "domains" / "shopping" / "tasks" / "my_store.jsonl").read_text().splitlines()) == 120
    assert '    "envfactory_gym.domains.shopping.my_store",\n' in (copy / "pyproject.toml").read_text()
    catalog = json.loads((copy / "envfactory_gym" / "catalog.json").read_text())
    entry = next(e for e in catalog["environments"] if e["id"] == "my_store")
    assert entry["domain"] == "shopping" and "book_room" in entry["reference_tools"]
    assert catalog["domains"]["shopping"] == catalog_before["domains"]["shopping"] + 1
    assert "tasks_file" not in (package / "definition.py").read_text()  # packaged by the suite's convention

    verified = envfactory("verify", "my_store", "--fuzz", "100", cwd=copy, pythonpath=copy)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    ruff_clean(package, copy / "tests" / "domains" / "test_my_store.py")

    # From another checkout's engine (this process's): a catalog id is wired without a second catalog entry,
    # and the first tasks are left to the repository's own `envfactory synth`.
    listed = runner.invoke(app, ["new", "shopping/etsy", "--dir", str(copy)])
    assert listed.exit_code == 0 and "envfactory synth etsy" in listed.output, listed.output
    catalog = json.loads((copy / "envfactory_gym" / "catalog.json").read_text())
    assert [e["id"] for e in catalog["environments"]].count("etsy") == 1
    wiring = tree(copy)
    for name, message in (
        ("shopping/my_store", "already exists"),
        ("demo/parcel_lockers", "Unknown domain 'demo'"),
        ("finance/etsy", "in the shopping domain"),
        ("shopping/travel", "a domain's name"),
    ):
        refused = runner.invoke(app, ["new", name, "--dir", str(copy / "domains")])
        assert refused.exit_code == 2 and message in refused.output, (name, refused.output)
        assert tree(copy) == wiring, name
    assert repository_state() == before


# -- from an OpenAPI spec --------------------------------------------------------------------------------------
# awkward_names.yaml: names the generated code defines itself, reserved attributes, braces in a summary.
SPEC_FILES = ["pet_clinic.yaml", "library_loans.json", "parcel_tracking.yaml", "awkward_names.yaml"]


@pytest.mark.parametrize("spec", SPEC_FILES)
def test_each_fixture_spec_makes_an_environment_that_passes_check_env_fuzz_and_isolation(
    spec: str, tmp_path: Path
) -> None:
    env_id = spec.split(".")[0]
    created = envfactory("new", f"demo/{env_id}", "--from-openapi", str(SPECS / spec), "--tasks", "20", cwd=tmp_path)
    assert created.returncode == 0, created.stdout + created.stderr
    verified = envfactory(
        "verify", env_id, "--fuzz", "200", "--checks", "check_env,fuzz,isolation", cwd=tmp_path
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "│ check_env " in verified.stdout and "│ oracle " not in verified.stdout
    document = load_spec(SPECS / spec)
    methods = [m for item in document["paths"].values() for m in item if m in ("get", "post", "put", "patch", "delete")]
    tools = (tmp_path / env_id / "tools.py").read_text()
    kinds = re.findall(r"^@env\.(read|write)\(", tools, flags=re.MULTILINE)
    assert sorted(kinds) == sorted("read" if m == "get" else "write" for m in methods)  # GET reads, others write
    assert "TODO(author)" in tools and len((tmp_path / env_id / "tasks" / f"{env_id}.jsonl").read_text()) > 0
    ruff_clean(tmp_path / env_id, tmp_path / "tests")


def test_the_mapping_of_schemas_and_operations() -> None:
    mapper = Mapper(load_spec(SPECS / "pet_clinic.yaml"))
    mapper.map()
    assert sorted(mapper.models) == ["Owner", "Pet", "Visit"]  # Error answers only a 404: no table
    owner = mapper.models["Owner"]  # allOf merged; `id` named for the model so tools link
    assert owner.key.name == "owner_id" and owner.key.kind == "int"
    assert [c.name for c in owner.columns] == ["first_name", "last_name", "address", "city", "telephone"]
    assert mapper.models["Pet"].columns[-1].refers_to == "Owner"
    operations = {op.tool: op for op in mapper.operations}
    assert {name: op.action for name, op in operations.items()} == {
        "list_owners": "list",
        "add_owner": "create",
        "get_owner": "get",
        "list_pets": "list",
        "add_pet": "create",
        "get_pet": "get",
        "update_pet": "update",
        "schedule_visit": "create",
        "cancel_visit": "delete",
    }
    add_pet = {a.name: a for a in operations["add_pet"].arguments}
    assert add_pet["species"].annotation == 'Literal["dog", "cat", "bird", "rabbit"]' and add_pet["species"].required
    assert not add_pet["birth_date"].required and "pet_id" not in add_pet  # the service makes up new ids
    assert [a.name for a in operations["get_pet"].arguments] == ["pet_id"]
    parcels = Mapper(load_spec(SPECS / "parcel_tracking.yaml"))
    parcels.map()
    assert parcels.models["Parcel"].key.name == "tracking_number"  # the path names the key the schema lacks
    assert parcels.models["TrackingEvent"].key.name == "event_id"


def malformed(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_malformed_specs_are_clear_errors_that_write_nothing(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    cases = [
        (SPECS / "malformed.yaml", "at /paths/~1pets/get/parameters/0"),
        (malformed(tmp_path, "broken.json", '{"openapi": "3.0.3",\n "info": }'), "not valid JSON (line 2"),
        (malformed(tmp_path, "swagger.yaml", "swagger: '2.0'\ninfo: {title: x}\npaths: {}\n"), "at /openapi"),
        (
            malformed(
                tmp_path,
                "external.yaml",
                "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
                "        '200':\n          description: ok\n          content:\n            application/json:\n"
                "              schema: {$ref: 'other.yaml#/Pet'}\n",
            ),
            "at /paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        ),
    ]
    for spec, where in cases:
        result = runner.invoke(app, ["new", "demo/broken_pets", "--from-openapi", str(spec), "--dir", str(work)])
        assert result.exit_code == 2 and where in result.output, (spec.name, result.output)
        assert "nothing was written" in result.output
        assert list(work.iterdir()) == []
    with pytest.raises(OpenAPIError, match="at /paths/~1pets/get/parameters/0"):
        load_spec(SPECS / "malformed.yaml")


# -- names and options -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("parcel_lockers", "<domain>/<env_id>"),
        ("demo/Parcel-Lockers", "Invalid environment id"),
        ("demo/class", "Invalid environment id"),
        ("Demo/lockers", "Invalid domain"),
        ("demo/a/b", "<domain>/<env_id>"),
        ("demo/airline", "suite environment"),
        ("demo/json", "already importable"),
    ],
)
def test_bad_names_are_refused_and_write_nothing(name: str, message: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", name, "--dir", str(tmp_path)])
    assert result.exit_code == 2 and message in result.output, result.output
    assert list(tmp_path.iterdir()) == []
    if "/" not in name:
        with pytest.raises(ScaffoldError):
            parse_name(name)


def test_option_typos_are_errors() -> None:
    typo = runner.invoke(app, ["new", "demo/lockers", "--from-openapy", "spec.yaml"])
    assert typo.exit_code == 2 and "No such option" in typo.output
    assert runner.invoke(app, ["new", "demo/lockers", "--tasks", "-1"]).exit_code == 2
    checks = runner.invoke(app, ["verify", "hk_bus", "--checks", "check_env,fuz"])
    assert checks.exit_code == 2 and "Unknown check(s) 'fuz'" in checks.output and "isolation" in checks.output
    assert runner.invoke(app, ["verify", "hk_bus", "--checks", ","]).exit_code == 2
    assert runner.invoke(app, ["verify", "hk_bus", "--chekcs", "fuzz"]).exit_code == 2


def test_verify_runs_only_the_checks_named() -> None:
    report = verify("hk_bus", only=["schemas", "check_env"])
    assert [c.name for c in report.checks] == ["schemas", "check_env"] and report.passed
    assert check_names(["isolation", "fuzz"]) == ["fuzz", "isolation"]  # the report's order
    with pytest.raises(ValueError, match="Unknown check"):
        check_names(["fuzzing"])
