from __future__ import annotations

import os

import pytest

from envfactory_gym import journal, registry
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from tests.fixtures import bank

registry_id = registry.register_environment(bank.env)  # idempotent: safe in every xdist worker

# Every state key, hash and change set the write journal answers is compared with the change log's, in this
# process and in the CLI processes tests start (see envfactory_gym.journal).
os.environ["ENVFACTORY_CHECK_JOURNAL"] = "1"
journal.CROSS_CHECK = True


def bank_task(task_id: str = "bank-transfer", amount: int = 50, split: str = "train") -> Task:
    task = Task(
        task_id=task_id,
        domain="finance",
        env_ids=["test_bank"],
        split=split,
        goal="write",
        query=f"Please send {amount} from A0001 to A0002.",
        gold_calls=[
            GoldCall(
                env_id="test_bank",
                tool="transfer",
                arguments={"source_id": "A0001", "target_id": "A0002", "amount": amount},
            )
        ],
    )
    return with_gold_changes(task)


def bank_read_task(task_id: str = "bank-read") -> Task:
    from envfactory_gym.gold import execute_gold

    calls = [GoldCall(env_id="test_bank", tool="get_account", arguments={"account_id": "A0003"})]
    output = execute_gold(["test_bank"], calls).outputs[0]
    return Task(
        task_id=task_id,
        domain="finance",
        env_ids=["test_bank"],
        goal="read",
        query="What is the balance of account A0003?",
        gold_calls=calls,
        required_facts=[str(output["balance"])],
    )


@pytest.fixture(scope="session")
def bank_tasks() -> list[Task]:
    return [bank_task(), bank_read_task(), bank_task("bank-test", 10, split="test")]
