"""The authoring API: schemas are derived from signatures and docstrings, and bad definitions fail loudly."""

from __future__ import annotations

import math

import jsonschema
import pytest
from sqlalchemy.orm import DeclarativeBase
from typing_extensions import TypedDict

from envfactory_gym.authoring import EnvironmentDefinition, ToolContext, build_tool_spec
from envfactory_gym.errors import ToolArgumentError
from envfactory_gym.runtime import ErrorKind
from envfactory_gym.testing import EpisodeHarness
from tests.fixtures import bank


def test_schema_from_signature_and_docstring() -> None:
    spec = bank.env.tools["transfer"]
    assert spec.kind == "write"
    assert spec.description == "Move money between two accounts."
    assert spec.parameters["required"] == ["source_id", "target_id", "amount"]
    assert spec.parameters["properties"]["amount"] == {
        "type": "integer",
        "description": "The amount, a positive whole number.",
    }
    jsonschema.Draft202012Validator.check_schema(spec.parameters)
    assert set(spec.output_schema["properties"]) == {"transfer_id", "source_id", "target_id", "amount"}
    assert spec.openai_schema()["function"]["name"] == "transfer"


def test_argument_validation_messages() -> None:
    spec = bank.env.tools["transfer"]
    with pytest.raises(ToolArgumentError, match="Unknown argument"):
        spec.validate_arguments({"source_id": "a", "target_id": "b", "amount": 1, "memo": "x"})
    with pytest.raises(ToolArgumentError, match="amount"):
        spec.validate_arguments({"source_id": "a", "target_id": "b", "amount": "lots"})
    with pytest.raises(ToolArgumentError, match="target_id"):
        spec.validate_arguments({"source_id": "a", "amount": 1})
    with pytest.raises(ToolArgumentError, match="JSON object"):
        spec.validate_arguments(["a", "b"])
    assert spec.validate_arguments({"source_id": "a", "target_id": "b", "amount": 3}) == {
        "source_id": "a",
        "target_id": "b",
        "amount": 3,
    }


TRANSFER = {"source_id": "A0001", "target_id": "A0002", "amount": 5}
REFUSED = {  # kind: (arguments, what the message says)
    "NaN": ({**TRANSFER, "amount": math.nan}, "amount must be a finite number, not NaN"),
    "Infinity": ({**TRANSFER, "amount": math.inf}, "amount must be a finite number, not Infinity"),
    "-Infinity": ({**TRANSFER, "amount": -math.inf}, "not -Infinity"),
    "2^63": ({**TRANSFER, "amount": 2**63}, "amount is out of range"),
    "-2^63-1": ({**TRANSFER, "amount": -(2**63) - 1}, "amount is out of range"),
    "1e308": ({**TRANSFER, "amount": 1e308}, "amount is out of range"),
    "text NaN": ({**TRANSFER, "amount": "nan"}, "amount"),
    "text that lax validation makes huge": ({**TRANSFER, "amount": "9" * 30}, "amount is out of range"),
    "lone surrogate": ({**TRANSFER, "source_id": "A0001\ud83d"}, "source_id is not valid text"),
    "bytes": ({**TRANSFER, "source_id": b"A0001"}, "source_id is of type bytes"),
    "set": ({**TRANSFER, "source_id": {"A0001"}}, "source_id is of type set"),
    "object": ({**TRANSFER, "source_id": object()}, "source_id is of type object"),
    "nested int key": ({**TRANSFER, "source_id": {1: "x"}}, "key of type int"),
    "int argument name": ({**TRANSFER, 1: "x"}, "Unknown argument(s) for 'transfer': 1."),
    "surrogate argument name": ({"source_id\ud83d": "A0001"}, "Unknown argument(s)"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_values_the_schema_cannot_mean_are_refused_with_a_clear_message(kind: str) -> None:
    arguments, message = REFUSED[kind]
    with pytest.raises(ToolArgumentError) as refused:
        bank.env.tools["transfer"].validate_arguments(arguments)
    assert message in str(refused.value)


def test_refusals_are_invalid_arguments_with_valid_text_and_change_nothing() -> None:
    harness = EpisodeHarness(bank.env)
    for kind, (arguments, _) in REFUSED.items():
        before = harness.database.state_hash()
        result = harness.runtime.call("transfer", arguments)
        assert result.error == ErrorKind.INVALID_ARGUMENTS, kind
        assert harness.database.state_hash() == before
        result.content.encode("utf-8")  # echoed names and values are valid text
    assert harness.ok("transfer", **TRANSFER)["amount"] == 5
    harness.close()


class _Base(DeclarativeBase):
    pass


def _undocumented(ctx: ToolContext, x: int) -> int:
    return x


def _missing_arg_doc(ctx: ToolContext, x: int) -> int:
    """Does something.

    Args:
        y: not x.
    """
    return x


def _no_annotation(ctx: ToolContext, x):  # type: ignore[no-untyped-def]
    """Does something.

    Args:
        x: a value.
    """
    return x


def _no_context(x: int) -> int:
    """Does something.

    Args:
        x: a value.
    """
    return x


@pytest.mark.parametrize("func", [_undocumented, _missing_arg_doc, _no_annotation, _no_context])
def test_bad_tool_definitions_are_rejected(func: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        build_tool_spec(func, "read")  # type: ignore[arg-type]


def test_tool_names_must_fit_the_pattern_and_be_unique() -> None:
    definition = EnvironmentDefinition("x", domain="d", models=_Base, description="")
    with pytest.raises(ValueError, match="does not match"):
        definition.read(name="bad name!")(bank.get_account)
    definition.read(bank.get_account)
    with pytest.raises(ValueError, match="Duplicate"):
        definition.read(bank.get_account)


def test_service_clock_mixin_gives_the_simulated_now_without_a_clock_function() -> None:
    import datetime as dt

    from sqlalchemy.orm import Session

    from envfactory_gym.authoring import DEFAULT_NOW, SeedData, ServiceClockMixin
    from envfactory_gym.database import build_snapshot

    class ClockBase(DeclarativeBase):
        pass

    class ServiceClock(ServiceClockMixin, ClockBase):
        pass

    definition = EnvironmentDefinition("clocked", domain="d", models=ClockBase, description="")

    @definition.seed
    def seed(db: Session, data: SeedData) -> None:
        db.add(ServiceClock(id=1, now="2031-02-03T04:05:06"))

    assert build_snapshot(definition, 0).now == dt.datetime(2031, 2, 3, 4, 5, 6)
    unclocked = EnvironmentDefinition("bare", domain="d", models=_Base, description="")
    unclocked.seed(lambda db, data: None)
    assert build_snapshot(unclocked, 0).now == DEFAULT_NOW


def test_intents_may_only_name_parameters() -> None:
    definition = EnvironmentDefinition("y", domain="d", models=_Base, description="")
    with pytest.raises(ValueError, match="not its parameters"):
        definition.read(intents=["check {account_number}"])(bank.get_account)


class TitledLine(TypedDict):
    title: str
    quantity: int


def test_a_parameter_named_title_stays_in_the_schema() -> None:
    """Pydantic's "title" annotations are dropped, but a parameter (or a nested field) called title is not."""

    def add_item(ctx: ToolContext, title: str, lines: list[TitledLine], properties: str = "") -> str:
        """Add an item.

        Args:
            title: The item's title.
            lines: Its lines.
            properties: Free text.
        """
        return title

    spec = build_tool_spec(add_item, "write")
    assert list(spec.parameters["properties"]) == ["title", "lines", "properties"]
    assert spec.parameters["required"] == ["title", "lines"]
    assert "title" not in spec.parameters["properties"]["title"]
    assert set(spec.parameters["properties"]["lines"]["items"]["properties"]) == {"title", "quantity"}
    jsonschema.Draft202012Validator.check_schema(spec.parameters)
