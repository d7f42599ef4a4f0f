"""The suite's catalog and the environments implemented so far.

``catalog.json`` lists all 85 planned environments (service modeled on, minimum tool surface, benchmark
compatibility). An environment is *implemented* when its package ``domains/<domain>/<env_id>/`` exists and defines
``env``, an :class:`EnvironmentDefinition`. Discovery reads file names only, so ``import envfactory_gym``
stays fast; a module is imported the first time its environment is used.
"""

from __future__ import annotations

import functools
import importlib
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from envfactory_gym.authoring import EnvironmentDefinition


@dataclass(frozen=True)
class CatalogEntry:
    env_id: str
    domain: str
    modeled_on: str
    reference_tools: tuple[str, ...]
    compatible_with: str | None
    user_tools: tuple[str, ...]


@functools.cache
def catalog() -> dict[str, CatalogEntry]:
    data = json.loads(resources.files("envfactory_gym").joinpath("catalog.json").read_text(encoding="utf-8"))
    return {
        e["id"]: CatalogEntry(
            env_id=e["id"],
            domain=e["domain"],
            modeled_on=e["modeled_on"],
            reference_tools=tuple(e["reference_tools"]),
            compatible_with=e.get("compatible_with"),
            user_tools=tuple(e.get("user_tools", ())),
        )
        for e in data["environments"]
    }


@functools.cache
def domains() -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.domain for e in catalog().values()))


@functools.cache
def implemented() -> dict[str, str]:
    """env_id -> domain, for every catalog environment whose module exists."""
    root = resources.files("envfactory_gym.domains")
    found = {}
    for entry in catalog().values():
        if root.joinpath(entry.domain, entry.env_id, "__init__.py").is_file():
            found[entry.env_id] = entry.domain
    return found


def refresh() -> None:
    """Forget what discovery read: after a package or a catalog entry was added while running (``envfactory new``)."""
    importlib.invalidate_caches()
    for cached in (catalog, domains, implemented, _load_suite_definition):
        cached.cache_clear()


def domain_envs(domain: str) -> list[str]:
    if domain not in domains():
        raise KeyError(f"Unknown domain {domain!r}; domains: {', '.join(domains())}")
    return [env_id for env_id, d in implemented().items() if d == domain]


_CUSTOM: dict[str, EnvironmentDefinition] = {}


def register_environment(definition: EnvironmentDefinition, *, gym_register: bool = True) -> str:
    """Add an environment defined outside the suite (your own module); returns its Gymnasium id."""
    if definition.env_id in catalog() or definition.env_id in domains():
        raise ValueError(f"{definition.env_id!r} is already a suite environment or domain name.")
    registered = _CUSTOM.get(definition.env_id)
    if registered is not None and registered is not definition:
        raise ValueError(f"Another environment is already registered as {definition.env_id!r}.")
    _CUSTOM[definition.env_id] = definition
    if gym_register:
        import gymnasium as gym

        if gym_id(definition.env_id) not in gym.registry:
            gym.register(
                id=gym_id(definition.env_id),
                entry_point="envfactory_gym.env:ToolUseEnv",
                kwargs={"env_ids": [definition.env_id]},
            )
    return gym_id(definition.env_id)


def load_definition(env_id: str) -> EnvironmentDefinition:
    """The definition of a suite environment (importing its module) or of a registered custom one."""
    custom = _CUSTOM.get(env_id)
    if custom is not None:
        return custom
    return _load_suite_definition(env_id)


@functools.cache
def _load_suite_definition(env_id: str) -> EnvironmentDefinition:
    if env_id not in catalog():
        raise KeyError(f"Unknown environment {env_id!r}. Run 'envfactory list' to see the environments.")
    domain = implemented().get(env_id)
    if domain is None:
        raise KeyError(f"Environment {env_id!r} is in the catalog but not implemented yet.")
    module = importlib.import_module(f"envfactory_gym.domains.{domain}.{env_id}")
    definition = getattr(module, "env", None)
    if not isinstance(definition, EnvironmentDefinition):
        raise TypeError(f"Module for {env_id!r} must define 'env', an EnvironmentDefinition")
    return definition


def resolve(name: str) -> tuple[str | None, list[str]]:
    """An environment id or a domain name → (domain or None, environment ids)."""
    if name in catalog() or name in _CUSTOM:
        load_definition(name)
        return None, [name]
    if name in domains():
        return name, domain_envs(name)
    raise KeyError(f"{name!r} is neither an environment nor a domain. Run 'envfactory list'.")


def gym_id(name: str) -> str:
    return f"envfactory/{name}-v0"


def register_all() -> None:
    """Register every implemented environment and every domain with at least one environment."""
    import gymnasium as gym

    def register(name: str, kwargs: dict[str, Any]) -> None:
        if gym_id(name) not in gym.registry:
            gym.register(id=gym_id(name), entry_point="envfactory_gym.env:ToolUseEnv", kwargs=kwargs)

    for env_id in implemented():
        register(env_id, {"env_ids": [env_id]})
    for domain in domains():
        if domain_envs(domain):
            register(domain, {"domain": domain})
