"""Where ``envfactory new <domain>/<env_id>`` writes, what it refuses, and writing all files or none.

Two situations:

* **repository** — inside a checkout of envfactory-gym (a ``pyproject.toml`` naming the distribution, with
  ``domains/`` and the catalog): the package goes to ``domains/<domain>/<env_id>/``, its tests to
  ``tests/domains/test_<env_id>.py``; the package is added to pyproject's package list and, for an id the
  catalog does not list yet, a catalog entry is added. The domain must be one of the catalog's.
* **project** — anywhere else: the package goes to ``<dir>/<env_id>/`` with its task file in
  ``<dir>/<env_id>/tasks/``, its tests to ``<dir>/tests/test_<env_id>.py``, and ``<dir>/envfactory.toml``
  lists the package so that the command line finds it (:mod:`envfactory_gym.project`).

Nothing is written when anything would be overwritten or a name is invalid.
"""

from __future__ import annotations

import importlib.util
import json
import keyword
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from envfactory_gym.project import PROJECT_FILE, ProjectError, find_project, project_text, read_packages

DISTRIBUTION = "envfactory-gym"
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class ScaffoldError(Exception):
    """``envfactory new`` refuses: the message says why; nothing was written."""


def parse_name(name: str) -> tuple[str, str]:
    """``"shopping/my_store"`` → ``("shopping", "my_store")``, or a ScaffoldError saying what is wrong."""
    domain, slash, env_id = name.partition("/")
    if not slash or "/" in env_id:
        raise ScaffoldError(f"Name the environment as <domain>/<env_id>, such as shopping/my_store; got {name!r}.")
    for kind, value in (("domain", domain), ("environment id", env_id)):
        if not _NAME.match(value) or keyword.iskeyword(value) or "__" in value:
            raise ScaffoldError(
                f"Invalid {kind} {value!r}: use 2-40 lower-case letters, digits and single underscores, "
                "starting with a letter (it becomes a Python package name)."
            )
    return domain, env_id


def find_repository(start: Path) -> Path | None:
    """The root of the envfactory-gym checkout that ``start`` is in, if it is in one."""
    here = start.resolve()
    for directory in (here, *here.parents):
        pyproject = directory / "pyproject.toml"
        if not pyproject.is_file():
            continue
        try:
            name = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name")
        except tomllib.TOMLDecodeError:
            continue
        if name == DISTRIBUTION and (directory / "domains").is_dir() and _catalog_path(directory).is_file():
            return directory
    return None


def _catalog_path(root: Path) -> Path:
    return root / "envfactory_gym" / "catalog.json"


@dataclass
class Target:
    """Where one new environment's files go."""

    mode: Literal["repository", "project"]
    root: Path
    domain: str
    env_id: str
    package_dir: Path
    test_path: Path
    tasks_path: Path
    import_name: str  # the package as Python imports it
    in_catalog: bool = False  # repository mode: the catalog already lists this id
    edits: dict[Path, str] = field(default_factory=dict)  # existing files and their new text

    @property
    def title(self) -> str:
        return self.env_id.replace("_", " ").capitalize()


def resolve_target(name: str, directory: Path) -> Target:
    """The target of ``envfactory new NAME`` run in ``directory``; ScaffoldError when it must refuse."""
    domain, env_id = parse_name(name)
    root = find_repository(directory)
    if root is not None:
        target = _repository_target(root, domain, env_id)
    else:
        target = _project_target(directory.resolve(), domain, env_id)
    for path in (target.package_dir, target.test_path):
        if path.exists():
            raise ScaffoldError(f"{path} already exists; nothing was written. Pick another id or remove it.")
    return target


def _repository_target(root: Path, domain: str, env_id: str) -> Target:
    catalog = json.loads(_catalog_path(root).read_text(encoding="utf-8"))
    domains = list(catalog["domains"])
    if domain not in domains:
        raise ScaffoldError(
            f"Unknown domain {domain!r} in this repository; the domains are: {', '.join(domains)}. "
            "(Outside the repository, any domain name makes a project of your own.)"
        )
    entry = next((e for e in catalog["environments"] if e["id"] == env_id), None)
    if entry is not None and entry["domain"] != domain:
        raise ScaffoldError(f"The catalog lists {env_id!r} in the {entry['domain']} domain, not {domain}.")
    if env_id in domains:
        raise ScaffoldError(f"{env_id!r} is a domain's name; an environment needs another id.")
    package_dir = root / "domains" / domain / env_id
    return Target(
        mode="repository",
        root=root,
        domain=domain,
        env_id=env_id,
        package_dir=package_dir,
        test_path=root / "tests" / "domains" / f"test_{env_id}.py",
        tasks_path=root / "domains" / domain / "tasks" / f"{env_id}.jsonl",
        import_name=f"envfactory_gym.domains.{domain}.{env_id}",
        in_catalog=entry is not None,
    )


def _project_target(directory: Path, domain: str, env_id: str) -> Target:
    from envfactory_gym import registry

    if env_id in registry.catalog() or env_id in registry.domains():
        raise ScaffoldError(f"{env_id!r} is a suite environment or domain; an environment of yours needs another id.")
    existing = importlib.util.find_spec(env_id) if env_id not in {p.name for p in directory.iterdir()} else None
    if existing is not None:
        raise ScaffoldError(
            f"A module named {env_id!r} is already importable ({existing.origin}); pick another id so that "
            "your package does not shadow it."
        )
    try:
        project = find_project(directory)
    except ProjectError as exc:
        raise ScaffoldError(str(exc)) from None
    if project is not None and project != directory:
        raise ScaffoldError(
            f"{directory} is inside the project {project}: run envfactory new there so that its {PROJECT_FILE} "
            "lists the package."
        )
    return Target(
        mode="project",
        root=directory,
        domain=domain,
        env_id=env_id,
        package_dir=directory / env_id,
        test_path=directory / "tests" / f"test_{env_id}.py",
        tasks_path=directory / env_id / "tasks" / f"{env_id}.jsonl",
        import_name=env_id,
    )


# -- wiring ------------------------------------------------------------------------------------------------
def plan_wiring(target: Target, tool_names: list[str], modeled_on: str) -> None:
    """Fill ``target.edits`` with the new text of the files that register the environment."""
    if target.mode == "project":
        try:
            packages = read_packages(target.root) if (target.root / PROJECT_FILE).is_file() else []
        except ProjectError as exc:
            raise ScaffoldError(f"{exc} Fix the project file first; nothing was written.") from None
        if target.env_id in packages:
            raise ScaffoldError(f"{target.root / PROJECT_FILE} already lists {target.env_id!r}.")
        target.edits[target.root / PROJECT_FILE] = project_text([*packages, target.env_id])
        return
    target.edits[target.root / "pyproject.toml"] = _pyproject_with_package(target)
    if not target.in_catalog:
        target.edits[_catalog_path(target.root)] = _catalog_with_entry(target, tool_names, modeled_on)


def _pyproject_with_package(target: Target) -> str:
    path = target.root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    package = f"envfactory_gym.domains.{target.domain}.{target.env_id}"
    lines = text.splitlines(keepends=True)
    if any(line.strip() == f'"{package}",' for line in lines):
        return text
    prefix = f'    "envfactory_gym.domains.{target.domain}'
    positions = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    if not positions:
        raise ScaffoldError(f"{path}: the packages list has no line for envfactory_gym.domains.{target.domain}.")
    lines.insert(positions[-1] + 1, f'    "{package}",\n')
    return "".join(lines)


def _catalog_with_entry(target: Target, tool_names: list[str], modeled_on: str) -> str:
    path = _catalog_path(target.root)
    catalog = json.loads(path.read_text(encoding="utf-8"))
    entry = {"id": target.env_id, "domain": target.domain, "modeled_on": modeled_on, "reference_tools": tool_names}
    environments = catalog["environments"]
    last = max((i for i, e in enumerate(environments) if e["domain"] == target.domain), default=len(environments) - 1)
    environments.insert(last + 1, entry)
    catalog["domains"][target.domain] = catalog["domains"].get(target.domain, 0) + 1
    if "total_reference_tools" in catalog:
        catalog["total_reference_tools"] += len(tool_names)
    return json.dumps(catalog, indent=1, ensure_ascii=False)


# -- writing -----------------------------------------------------------------------------------------------
def write_all(files: dict[Path, str], edits: dict[Path, str]) -> list[Path]:
    """Write new files (none may exist) and replace edited ones, all or nothing; returns what was written."""
    clashes = [p for p in files if p.exists()]
    if clashes:
        raise ScaffoldError(f"{clashes[0]} already exists; nothing was written.")
    originals = {path: path.read_bytes() if path.exists() else None for path in edits}
    written: list[Path] = []
    created_dirs: list[Path] = []
    try:
        for path, text in [*files.items(), *edits.items()]:
            missing = [d for d in (path.parent, *path.parent.parents) if not d.exists()]
            for directory in reversed(missing):
                directory.mkdir()
                created_dirs.append(directory)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        for path in written:
            original = originals.get(path)
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(original)
        for directory in reversed(created_dirs):
            if directory.exists() and not any(directory.iterdir()):
                directory.rmdir()
        raise ScaffoldError(f"Could not write {exc.filename}: {exc.strerror}; nothing was written.") from None
    return written
