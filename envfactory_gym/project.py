"""An author's own project: environments outside the suite that the ``envfactory`` command line loads.

A directory holding an ``envfactory.toml`` is a project::

    [envfactory]
    packages = ["parcel_lockers"]

Every ``envfactory`` command run in that directory or below it (or with ``ENVFACTORY_PROJECT`` naming the
directory) puts the directory first on ``sys.path`` and imports each listed package, then registers the
package's ``env`` (:func:`envfactory_gym.registry.register_environment`), so ``envfactory describe``, ``play``,
``synth`` and ``verify`` know it by its id. ``envfactory new`` writes and extends this file. In Python, import
the package yourself: its ``__init__`` registers it.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tomllib
from pathlib import Path

PROJECT_FILE = "envfactory.toml"
PROJECT_ENV_VAR = "ENVFACTORY_PROJECT"
_PACKAGE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_HEADER = (
    "# Environments of this project: the envfactory command line imports these packages when run in this\n"
    "# directory or below it (see envfactory_gym.project).\n"
)


class ProjectError(Exception):
    """The project file cannot be read, or a package it lists does not load."""


def find_project(start: Path | None = None) -> Path | None:
    """The project directory: ``ENVFACTORY_PROJECT`` if set, else the nearest directory from ``start`` (the
    working directory) upwards that holds an ``envfactory.toml``."""
    explicit = os.environ.get(PROJECT_ENV_VAR)
    if explicit:
        directory = Path(explicit).resolve()
        if not (directory / PROJECT_FILE).is_file():
            raise ProjectError(f"{PROJECT_ENV_VAR}={explicit} holds no {PROJECT_FILE}.")
        return directory
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / PROJECT_FILE).is_file():
            return directory
    return None


def read_packages(directory: Path) -> list[str]:
    """The packages a project file lists; anything else in the file is an error (a typo must not be ignored)."""
    path = directory / PROJECT_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProjectError(f"{path}: {exc}") from None
    if set(data) != {"envfactory"} or not isinstance(data["envfactory"], dict):
        raise ProjectError(f"{path}: expected one [envfactory] table, found {sorted(data) or 'nothing'}.")
    table = data["envfactory"]
    unknown = sorted(set(table) - {"packages"})
    if unknown:
        raise ProjectError(f"{path}: unknown key(s) {', '.join(unknown)} in [envfactory]; the key is: packages.")
    packages = table.get("packages", [])
    if not isinstance(packages, list) or not all(isinstance(p, str) and _PACKAGE_NAME.match(p) for p in packages):
        raise ProjectError(f'{path}: packages must be a list of package names such as "parcel_lockers".')
    return list(packages)


def project_text(packages: list[str]) -> str:
    """The text of a project file listing ``packages``."""
    listed = ", ".join(f'"{p}"' for p in packages)
    return f"{_HEADER}[envfactory]\npackages = [{listed}]\n"


def load_project(start: Path | None = None) -> list[str]:
    """Import and register the environments of the project around ``start``; returns their ids."""
    from envfactory_gym.authoring import EnvironmentDefinition
    from envfactory_gym.registry import register_environment

    directory = find_project(start)
    if directory is None:
        return []
    packages = read_packages(directory)
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
    env_ids = []
    for package in packages:
        try:
            module = importlib.import_module(package)
        except Exception as exc:  # any import failure of the author's code is reported as such
            raise ProjectError(
                f"{directory / PROJECT_FILE} lists {package!r}, which fails to import: {type(exc).__name__}: {exc}"
            ) from exc
        definition = getattr(module, "env", None)
        if not isinstance(definition, EnvironmentDefinition):
            raise ProjectError(f"Package {package!r} must define 'env', an EnvironmentDefinition.")
        try:
            register_environment(definition)
        except ValueError as exc:
            raise ProjectError(f"Package {package!r}: {exc}") from None
        env_ids.append(definition.env_id)
    return env_ids
