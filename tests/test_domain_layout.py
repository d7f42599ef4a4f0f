"""Environment packages: one package per environment, no import circles, an engine unaware of environments."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from envfactory_gym import registry

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = ROOT / "domains"
ENGINE = ROOT / "envfactory_gym"


def _module_name(path: Path) -> str:
    if path.is_relative_to(DOMAINS):
        parts = ("envfactory_gym", "domains", *path.relative_to(DOMAINS).with_suffix("").parts)
    else:
        parts = ("envfactory_gym", *path.relative_to(ENGINE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Modules a file imports (at any depth, function-level imports included), resolved to absolute names."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = f"{base}.{node.module}" if node.level and node.module else base if node.level else node.module
            found.add(module or "")
            # `from . import tools` names a submodule
            found |= {f"{module}.{a.name}" for a in node.names}
    return {m for m in found if m.startswith("envfactory_gym")}


def _graph() -> nx.DiGraph:
    files = [p for p in (*DOMAINS.rglob("*.py"), *ENGINE.rglob("*.py")) if "__pycache__" not in p.parts]
    modules = {_module_name(p): p for p in files}
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for target in _imports(path):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def test_no_import_circles_in_domains_or_with_the_engine() -> None:
    graph = _graph()
    # Circles inside the engine (lazy imports between its own modules) are not this test's concern.
    cycles = [c for c in nx.simple_cycles(graph) if any(m.startswith("envfactory_gym.domains") for m in c)]
    assert cycles == [], f"import circles: {cycles[:5]}"


def test_the_engine_imports_no_particular_environment() -> None:
    graph = _graph()
    engine = [n for n in graph if not n.startswith("envfactory_gym.domains")]
    offending = [(a, b) for a in engine for b in graph.successors(a) if b.count(".") >= 3 and "domains" in b]
    assert offending == []


def test_every_environment_is_a_package_with_one_file_per_concern() -> None:
    for env_id, domain in registry.implemented().items():
        package = DOMAINS / domain / env_id
        for concern in ("__init__", "models", "definition", "seed", "tools", "synthesis", "stories"):
            assert (package / f"{concern}.py").is_file(), f"{env_id}: {concern}.py missing"
        assert not (DOMAINS / domain / f"{env_id}.py").exists()


@pytest.mark.parametrize("env_id", sorted(registry.domain_envs("travel")))
def test_each_environment_module_imports_on_its_own(env_id: str) -> None:
    """Every module of the package imports first in a fresh interpreter (an order-dependent circle fails)."""
    package = DOMAINS / "travel" / env_id
    modules = [_module_name(p) for p in sorted(package.glob("*.py"))]
    code = "; ".join(
        f"import subprocess, sys; subprocess.run([sys.executable, '-c', 'import {m}'], check=True)" for m in modules
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
