"""The extras' version ranges agree with each other, with the Makefile's pins and with what is installed."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import requires, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from envfactory_gym.train.common import attention_implementation

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def extra(name: str, package: str) -> SpecifierSet:
    (requirement,) = [Requirement(r) for r in EXTRAS[name] if Requirement(r).name == package]
    return requirement.specifier


def makefile_pin(variable: str) -> tuple[str, str]:
    match = re.search(rf"^{variable} \?= ([\w.-]+)==([\w.]+)$", MAKEFILE, re.MULTILINE)
    assert match, f"{variable} is not pinned in the Makefile"
    return match.group(1), match.group(2)


def test_the_vllm_extra_is_trls_supported_range() -> None:
    trl_vllm = [Requirement(r) for r in requires("trl") or [] if 'extra == "vllm"' in r]
    (supported,) = [r.specifier for r in trl_vllm if r.name == "vllm"]
    assert extra("vllm", "vllm") == supported


@pytest.mark.parametrize(
    ("variable", "extra_name"),
    [("VERL_PIN", "verl"), ("OPENENV_PIN", "openenv"), ("VERIFIERS_PIN", "verifiers"), ("TORCH_CPU_PIN", "train")],
)
def test_the_tested_pins_are_inside_the_extras(variable: str, extra_name: str) -> None:
    package, pinned = makefile_pin(variable)
    assert pinned in extra(extra_name, package), f"{package}=={pinned} is outside the {extra_name} extra"


@pytest.mark.parametrize(
    ("package", "extra_name"),
    [("verl", "verl"), ("openenv-core", "openenv"), ("ray", "ray"), ("openapi-spec-validator", "openapi")],
)
def test_installed_integration_packages_are_inside_the_extras(package: str, extra_name: str) -> None:
    assert version(package) in extra(extra_name, package)


def test_the_verl_extra_brings_the_ray_the_pool_needs() -> None:
    assert extra("verl", "ray") == extra("ray", "ray")


def test_flash_attention_falls_back_to_sdpa_where_it_cannot_run() -> None:
    import importlib.util

    import torch

    runnable = importlib.util.find_spec("flash_attn") is not None and torch.cuda.is_available()
    assert attention_implementation("flash_attention_2") == ("flash_attention_2" if runnable else "sdpa")
    assert attention_implementation("eager") == "eager" and attention_implementation(None) is None
