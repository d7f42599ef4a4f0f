"""The files of a new environment package: the example service (``templates/``) or files made elsewhere (an
OpenAPI spec's), with the package's ``__init__``, ``definition`` and test module for its target."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from envfactory_gym.scaffold.target import Target

SKELETON_MODULES = ("models", "seed", "tools", "synthesis", "stories")
SKELETON_TOOLS = ["find_rooms", "list_bookings", "book_room", "change_booking", "cancel_booking", "set_home_building"]
SKELETON_MODELED_ON = "Meeting room booking (example service)"
SKELETON_DESCRIPTION = (
    "A meeting-room booking service: find rooms by building and size, list a member's bookings, book, move, "
    "extend and cancel bookings, and update the building a member works in. Policy: rooms open 08:00-20:00; "
    "bookings start on the hour, last 1-4 hours, are made up to 30 days ahead and never overlap; only the "
    "member who made a booking can change or cancel it, and not once it has started."
)


def template(name: str) -> str:
    return resources.files("envfactory_gym.scaffold").joinpath("templates", f"{name}.tmpl").read_text(encoding="utf-8")


def render(text: str, values: dict[str, str], *, strict: bool = True) -> str:
    """Fill ``{{name}}`` placeholders; ``strict``: every placeholder must be filled."""
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if strict and "{{" in text and "}}" in text.split("{{", 1)[1]:
        raise ValueError(f"template placeholder left unfilled: {text.split('{{', 1)[1].split('}}', 1)[0]!r}")
    return text


def skeleton_files(target: Target) -> dict[Path, str]:
    """Every file of the example service for ``target`` (package, tests), by path."""
    values = {"env_id": target.env_id, "domain": target.domain}
    files = {
        target.package_dir / f"{module}.py": render(template(f"{module}.py"), values) for module in SKELETON_MODULES
    }
    files |= package_files(target, SKELETON_DESCRIPTION, SKELETON_MODELED_ON, with_stories=True)
    files[target.test_path] = test_module(target, template("test_module.py"))
    return files


def package_files(target: Target, description: str, modeled_on: str, *, with_stories: bool) -> dict[Path, str]:
    """``__init__.py`` and ``definition.py``: how the package presents and registers its environment."""
    return {
        target.package_dir / "__init__.py": _init_module(target, with_stories),
        target.package_dir / "definition.py": _definition_module(target, description, modeled_on),
    }


def test_module(target: Target, text: str) -> str:
    if target.mode == "repository":
        imports = (
            f"from envfactory_gym.domains.{target.domain}.{target.env_id} import env\n"
            "from envfactory_gym.testing import EpisodeHarness, random_calls_stay_contained\n"
        )
        path_import = ""
    else:
        imports = (
            "from envfactory_gym import registry\n"
            "from envfactory_gym.project import load_project\n"
            "from envfactory_gym.testing import EpisodeHarness, random_calls_stay_contained\n\n"
            "load_project(Path(__file__).parent)  # the project's envfactory.toml names the package\n"
            f'env = registry.load_definition("{target.env_id}")\n'
        )
        path_import = "from pathlib import Path\n"
    return render(text, {"env_id": target.env_id, "imports": imports.rstrip("\n"), "path_import": path_import})


def _init_module(target: Target, with_stories: bool) -> str:
    modules = ["seed", "tools"] + (["stories", "synthesis"] if with_stories else [])
    docstring = (
        f'"""{target.title}: an environment package written by `envfactory new` (yours to change).\n\n'
        "One concern per module: ``models`` (the state), ``seed`` (the seeded state), ``tools`` (what an agent\n"
        "calls), ``synthesis`` (argument samplers), ``stories`` (how tasks are told) and ``definition``.\n"
    )
    if target.mode == "repository":
        # The engine finds a suite package's stories and samplers itself; importing only the tools keeps it light.
        listed = ", ".join(f'"{m}"' for m in ["env", "seed", "tools"])
        return (
            docstring + '"""\n\nfrom __future__ import annotations\n\n'
            "from . import seed, tools\nfrom .definition import env\n\n"
            f"__all__ = [{listed}]\n"
        )
    listed = ", ".join(f'"{m}"' for m in ["env", *sorted(modules)])
    return (
        docstring
        + f'Importing the package registers the environment: gym.make("envfactory/{target.env_id}-v0") works.\n"""\n\n'
        "from __future__ import annotations\n\n"
        "from envfactory_gym.registry import register_environment\n\n"
        f"from . import {', '.join(sorted(modules))}\n"
        "from .definition import env\n\n"
        "register_environment(env)\n\n"
        f"__all__ = [{listed}]\n"
    )


def _definition_module(target: Target, description: str, modeled_on: str) -> str:
    standalone = target.mode == "project"
    lines = [
        '"""The environment definition: its id, the description a model reads (with the service\'s policy) and its',
        'state."""',
        "",
        "from __future__ import annotations",
        "",
        *(["from pathlib import Path", ""] if standalone else []),
        "from envfactory_gym.authoring import EnvironmentDefinition",
        "",
        "from .models import Base",
        "",
        "env = EnvironmentDefinition(",
        f"    {_literal(target.env_id)},",
        f"    domain={_literal(target.domain)},",
        "    models=Base,",
        f"    modeled_on={_literal(modeled_on)},",
        "    description=(",
        *_wrapped(description, indent=8),
        "    ),",
        *([f'    tasks_file=Path(__file__).parent / "tasks" / "{target.env_id}.jsonl",'] if standalone else []),
        ")",
        "",
    ]
    return "\n".join(lines)


def _wrapped(text: str, indent: int, width: int = 110) -> list[str]:
    """A long string as adjacent literals of at most ``width`` characters."""
    words, lines, current = text.split(" "), [], ""
    for word in words:
        if current and len(current) + len(word) + 1 > width - indent:
            lines.append(current + " ")
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return [" " * indent + _literal(line) for line in lines]


def _literal(text: str) -> str:
    """A Python string literal in double quotes (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)
