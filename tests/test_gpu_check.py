"""benchmarks/gpu_check.sh where it cannot run: valid bash and Python, a clear 'not run' without a GPU or vLLM."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "gpu_check.sh"
NOT_RUN = 77


def run_script(tmp_path: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path, "PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(SCRIPT), str(tmp_path / "out")], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_script_is_valid_bash_and_its_python_parses() -> None:
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
    if shutil.which("shellcheck"):
        subprocess.run(["shellcheck", "-S", "warning", str(SCRIPT)], check=True)
    blocks = re.findall(r"<<'PY'.*?\n(.*?)\nPY\n", SCRIPT.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) == 3  # the model, the vLLM agent run, the GRPO run
    for block in blocks:
        ast.parse(block)


@pytest.mark.skipif(shutil.which("nvidia-smi") is not None, reason="this machine has an NVIDIA driver")
def test_without_a_gpu_nothing_runs_and_the_reason_is_given(tmp_path: Path) -> None:
    result = run_script(tmp_path, "/usr/bin:/bin")
    assert result.returncode == NOT_RUN
    assert "GPU check not run: no nvidia-smi" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_driver_without_cuda_torch_or_vllm_is_not_run_either(tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("torch sees a CUDA device here")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "nvidia-smi").write_text("#!/bin/sh\necho 'GPU 0: a stand-in'\n")
    (fake / "nvidia-smi").chmod(0o755)
    result = run_script(tmp_path, f"{fake}:/usr/bin:/bin")
    assert result.returncode == NOT_RUN
    assert "GPU check not run: torch sees no CUDA device" in result.stderr
    assert not (tmp_path / "out").exists()
