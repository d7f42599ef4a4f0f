"""Load a package ``envfactory new`` just wrote, and synthesize its first task file from its stories."""

from __future__ import annotations

import importlib
import sys
from importlib import resources
from pathlib import Path

from envfactory_gym import registry
from envfactory_gym.authoring import EnvironmentDefinition
from envfactory_gym.scaffold.target import ScaffoldError, Target
from envfactory_gym.tasks import clear_task_cache, write_tasks

FIRST_TASKS = 120  # the suite asks an environment for at least 100


def runs_this_repository(target: Target) -> bool:
    """Whether the running engine imports its environments from the target repository's ``domains/``."""
    running = Path(str(resources.files("envfactory_gym.domains"))).resolve()
    return running == (target.root / "domains").resolve()


def load_new_environment(target: Target) -> EnvironmentDefinition:
    """Import the new package (project: from its directory; repository: as a suite package) and register it."""
    if target.mode == "project":
        if str(target.root) not in sys.path:
            sys.path.insert(0, str(target.root))
        importlib.invalidate_caches()
        module = importlib.import_module(target.import_name)
        definition = module.env
        registry.register_environment(definition)
        return definition
    if not runs_this_repository(target):
        raise ScaffoldError(
            f"This envfactory runs from another checkout than {target.root}: run `envfactory synth "
            f"{target.env_id} --n {FIRST_TASKS} --write-packaged` with the repository's own environment."
        )
    registry.refresh()
    return registry.load_definition(target.env_id)


def write_first_tasks(target: Target, n: int = FIRST_TASKS, seed: int = 0) -> tuple[Path, int]:
    """Synthesize ``n`` tasks (stories first, the graph sampler otherwise) into the package's task file."""
    from envfactory_gym.synthesis.pipeline import SynthesisConfig, synthesis_record, synthesize

    report = synthesize(target.env_id, SynthesisConfig(n=n, seed=seed))
    tasks = [t.model_copy(update={"metadata": {**t.metadata, **synthesis_record(seed, n)}}) for t in report.tasks]
    write_tasks(target.tasks_path, tasks)
    clear_task_cache()
    return target.tasks_path, len(tasks)
