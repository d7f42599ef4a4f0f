"""The built wheel holds every module and every packaged task file (an editable install would hide a gap)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPED = {"domains": "envfactory_gym/domains", "agents": "envfactory_gym/agents", "train": "envfactory_gym/train"}


def test_the_wheel_ships_every_module_and_task_file(tmp_path: Path) -> None:
    # Built from a clean copy: a build/ folder left in the checkout would carry files the config drops.
    source = tmp_path / "source"
    ignored = shutil.ignore_patterns(".git", ".venv*", "build", "*.egg-info", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, source, ignore=ignored)
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(source)]
    subprocess.run([*command, "-w", str(tmp_path)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "envfactory_gym"
    # Modules, and the templates `envfactory new` writes from.
    expected = {f"envfactory_gym/{p.relative_to(package)}" for p in [*package.rglob("*.py"), *package.rglob("*.tmpl")]}
    for folder, target in MAPPED.items():
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".jsonl") and "__pycache__" not in path.parts:
                expected.add(f"{target}/{path.relative_to(ROOT / folder)}")
    missing = sorted(expected - shipped)
    assert not missing, missing[:10]
    assert any(name.endswith("travel/tasks/domain.jsonl") for name in shipped)
