"""The rubric rejects every wrong final state or answer and accepts the gold state reached differently."""

from __future__ import annotations

import pytest

from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.rubric import answer_budget, pass_hat_k, score
from envfactory_gym.runtime import ToolRuntime
from envfactory_gym.tasks import GoldCall, Task
from tests.fixtures import bank

TWO_TRANSFERS = [
    GoldCall(env_id="test_bank", tool="transfer", arguments={"source_id": "A0001", "target_id": "A0002", "amount": 10}),
    GoldCall(env_id="test_bank", tool="transfer", arguments={"source_id": "A0003", "target_id": "A0004", "amount": 20}),
]


@pytest.fixture(scope="module")
def task() -> Task:
    return with_gold_changes(
        Task(
            task_id="two",
            domain="finance",
            env_ids=["test_bank"],
            goal="write",
            query="Make my two payments.",
            gold_calls=TWO_TRANSFERS,
            required_facts=["10", "20"],
        )
    )


def play(calls: list[tuple[str, dict]], id_seed: str = "other-order") -> ToolRuntime:
    runtime = ToolRuntime([EpisodeDatabase(get_snapshot(bank.env))], id_seed=id_seed)
    for name, arguments in calls:
        assert runtime.call(name, arguments).ok
    return runtime


def grade(task: Task, runtime: ToolRuntime, answer: str = "Sent 10 and 20.", malformed: int = 0):
    return score(task, runtime.change_sets(), answer, malformed, {"test_bank": bank.env})


def transfer(source: str, target: str, amount: int) -> tuple[str, dict]:
    return "transfer", {"source_id": source, "target_id": target, "amount": amount}


def test_gold_in_a_different_order_with_different_generated_ids_succeeds(task: Task) -> None:
    runtime = play([transfer("A0003", "A0004", 20), transfer("A0001", "A0002", 10)])
    result = grade(task, runtime)
    assert result.success and result.reward == 1.0


def test_missing_write_fails(task: Task) -> None:
    result = grade(task, play([transfer("A0001", "A0002", 10)]))
    assert not result.success and result.missing_changes > 0 and result.reward == 0


def test_extra_write_fails(task: Task) -> None:
    result = grade(
        task,
        play(
            [
                transfer("A0001", "A0002", 10),
                transfer("A0003", "A0004", 20),
                ("freeze_account", {"account_id": "A0009"}),
            ]
        ),
    )
    assert not result.success and result.extra_changes == 1 and result.missing_changes == 0


def test_write_to_the_wrong_row_fails(task: Task) -> None:
    result = grade(task, play([transfer("A0001", "A0002", 10), transfer("A0003", "A0005", 20)]))
    assert not result.success and result.missing_changes > 0 and result.extra_changes > 0


def test_correct_state_with_a_wrong_fact_fails(task: Task) -> None:
    runtime = play([transfer("A0001", "A0002", 10), transfer("A0003", "A0004", 20)])
    result = grade(task, runtime, answer="Sent 10 and 25.")
    assert result.state_match and not result.success and result.facts_found == 1


def test_pasting_beyond_the_length_budget_earns_no_fact_credit(task: Task) -> None:
    runtime = play([transfer("A0001", "A0002", 10), transfer("A0003", "A0004", 20)])
    dump = "Sent 10 and 20. " + "x" * answer_budget(task.required_facts)
    assert not grade(task, runtime, answer=dump).success


def test_malformed_calls_reduce_reward_but_not_success(task: Task) -> None:
    runtime = play([transfer("A0001", "A0002", 10), transfer("A0003", "A0004", 20)])
    assert grade(task, runtime, malformed=2).reward == pytest.approx(0.9)
    assert grade(task, runtime, malformed=50).reward == pytest.approx(0.5)


def test_numbers_match_in_any_format() -> None:
    task = Task(
        task_id="r",
        domain="finance",
        env_ids=["test_bank"],
        goal="read",
        query="?",
        gold_calls=[],
        required_facts=["1234.5", "Boston"],
    )
    runtime = play([])
    assert grade(task, runtime, answer="It is $1,234.50 in boston.").success
    assert not grade(task, runtime, answer="It is 1234.6 in Boston.").success
    assert not grade(task, runtime, answer="It is 11234.5 in Boston.").success
    assert not grade(task, runtime, answer="It is 1234.55 in Boston.").success


@pytest.mark.parametrize(
    ("successes", "trials", "k", "expected"),
    [
        (4, 4, 1, 1.0),
        (4, 4, 4, 1.0),
        (2, 4, 1, 0.5),
        (2, 4, 2, 1 / 6),
        (3, 4, 2, 0.5),
        (3, 4, 3, 0.25),
        (0, 4, 1, 0.0),
        (1, 4, 2, 0.0),
    ],
)
def test_pass_hat_k_hand_worked(successes: int, trials: int, k: int, expected: float) -> None:
    assert pass_hat_k(successes, trials, k) == pytest.approx(expected)


def test_pass_hat_k_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        pass_hat_k(1, 2, 3)
    with pytest.raises(ValueError):
        pass_hat_k(3, 2, 1)


def test_pasting_raw_tool_output_earns_no_fact_credit() -> None:
    from envfactory_gym.rubric import pastes_tool_output

    output = '{"account_id":"A0003","owner":"Jorge Sullivan","balance":1234,"history":[1,2,3,4,5,6,7,8,9,10]}'
    task = Task(
        task_id="r",
        domain="finance",
        env_ids=["test_bank"],
        goal="read",
        query="?",
        gold_calls=[],
        required_facts=["1234"],
    )
    runtime = play([])
    honest = "The balance of A0003 is 1,234."
    pasted = "Here is what I found: " + output
    assert not pastes_tool_output(honest, [output])
    assert pastes_tool_output(pasted, [output])
    assert score(task, runtime.change_sets(), honest, 0, {"test_bank": bank.env}, [output]).success
    result = score(task, runtime.change_sets(), pasted, 0, {"test_bank": bank.env}, [output])
    assert not result.success and result.pasted_tool_output


def test_generated_columns_do_not_decide_updates() -> None:
    from envfactory_gym.database import RowChange
    from envfactory_gym.rubric import compare_changes
    from envfactory_gym.tasks import GoldChange

    before = {"account_id": "A1", "balance": 10, "counter": 1}
    gold = [
        GoldChange(
            env_id="e",
            table="t",
            op="update",
            key={"account_id": "A1"},
            before=before,
            after={**before, "balance": 5, "counter": 2},
        )
    ]
    generated = {"e": {"t": frozenset({"counter"})}}
    other_order = {
        "e": [RowChange("t", "update", {"account_id": "A1"}, before, {**before, "balance": 5, "counter": 7})]
    }
    wrong = {"e": [RowChange("t", "update", {"account_id": "A1"}, before, {**before, "balance": 6, "counter": 2})]}
    only_counter = {"e": [RowChange("t", "update", {"account_id": "A1"}, before, {**before, "counter": 9})]}
    assert compare_changes(other_order, gold, generated) == (0, 0)
    assert compare_changes(wrong, gold, generated) == (1, 1)
    assert compare_changes(only_counter, gold, generated) == (1, 0)


def test_paste_detection_catches_any_offset() -> None:
    from envfactory_gym.rubric import PASTE_STEP, PASTE_WINDOW, pastes_tool_output

    output = "".join(chr(ord("a") + (i * 7) % 26) for i in range(500))
    run = PASTE_WINDOW + PASTE_STEP - 1
    for offset in range(0, 40):
        answer = "x" * offset + output[100 : 100 + run] + "!"
        assert pastes_tool_output(answer, [output]), offset
    assert not pastes_tool_output("y" * 10 + output[100 : 100 + PASTE_WINDOW - 1] + "!", [output])


# --- precision, formats and alternatives -------------------------------------------------------------------
HOTELS = [
    '{"hotels": [{"name": "Atlas Lodge", "city": "Prague", "date": "2025-06-27", "total": 1301.0, "rooms": 3},'
    ' {"name": "Vltava Inn", "city": "Prague", "date": "2025-06-27", "total": 1402.5, "rooms": 5},'
    ' {"name": "Castle Suites", "city": "Prague", "date": "2025-06-28", "total": 1503.0, "rooms": 2},'
    ' {"name": "Old Town Rooms", "city": "Prague", "date": "2025-06-29", "total": 1604.0, "rooms": 1}]}'
]


def hotel_task(**update: object) -> Task:
    task = Task(
        task_id="hotel",
        domain="travel",
        env_ids=["test_bank"],
        goal="read",
        query="What does Atlas Lodge in Prague cost on June 27, 2025?",
        gold_calls=[],
        required_facts=["1301"],
        answer_context=["Atlas Lodge", "2025-06-27"],
    )
    return task.model_copy(update=update)


def grade_answer(task: Task, answer: str, outputs: list[str] = HOTELS):
    return score(task, play([]).change_sets(), answer, 0, {"test_bank": bank.env}, outputs)


def test_helpful_answer_with_context_and_request_values_earns_full_credit() -> None:
    answer = "For Atlas Lodge in Prague on June 27, 2025: the total comes to $1,301.00. I hope that helps!"
    result = grade_answer(hotel_task(), answer)
    assert result.success and result.reward == 1.0
    assert result.facts_matched == ("1301",) and result.distractor_count == 0
    # Without the context field, the hotel's own name is one distractor: within the allowance.
    assert grade_answer(hotel_task(answer_context=[]), answer).success


def test_spray_of_every_value_seen_earns_nothing() -> None:
    from envfactory_gym.rubric import tool_output_values

    task = hotel_task()
    spray = "; ".join(tool_output_values(HOTELS))[: answer_budget(task.required_facts, task.answer_context)]
    result = grade_answer(task, spray)
    assert "1301" in result.facts_matched
    assert not result.success and not result.fact_credit
    assert result.distractor_count > result.distractor_allowance
    assert "Vltava Inn" in result.distractors and "1402.5" in result.distractors


def test_wrong_values_next_to_the_right_one_beyond_the_allowance_fail() -> None:
    from envfactory_gym.rubric import distractor_allowance

    task = hotel_task()
    assert distractor_allowance(task.required_facts) == 3
    hedge = "Atlas Lodge costs $1,301, or maybe $1,402.50."
    assert grade_answer(task, hedge).success  # one stray value: within the allowance
    spread = "Atlas Lodge costs $1,301, or maybe $1,402.50, $1,503 or $1,604 at Vltava Inn."
    result = grade_answer(task, spread)
    assert not result.success and result.distractors == ("Vltava Inn", "1402.5", "1503", "1604")


def test_a_missing_fact_is_reported() -> None:
    task = hotel_task(required_facts=["1301", "3"])
    result = grade_answer(task, "Atlas Lodge costs $1,301.")
    assert not result.success and result.facts_matched == ("1301",) and result.facts_missing == ("3",)
    assert grade_answer(task, "Atlas Lodge costs $1,301 and has three rooms left.").success


def test_values_from_the_request_are_no_distractors() -> None:
    task = hotel_task(answer_context=[], query="Compare Atlas Lodge and Vltava Inn in Prague: what is Atlas Lodge?")
    assert grade_answer(task, "Atlas Lodge costs $1,301; Vltava Inn is dearer.").distractor_count == 0


def test_breakdown_goes_into_info_as_plain_data() -> None:
    import json

    data = grade_answer(hotel_task(), "Atlas Lodge: $1,301, Vltava Inn: $1,402.50.").to_dict()
    assert data["facts_matched"] == ["1301"] and data["facts_missing"] == []
    assert data["distractors"] == ["Vltava Inn", "1402.5"] and data["distractor_count"] == 2
    assert data["distractor_allowance"] == 3 and data["matched_change_set"] == "gold"
    assert data["answer_budget"] == answer_budget(["1301"], ["Atlas Lodge", "2025-06-27"])
    json.dumps(data)


def test_budget_scales_with_the_facts_and_context() -> None:
    from envfactory_gym.rubric import ANSWER_BUDGET_BASE, ANSWER_BUDGET_PER_CHAR

    assert answer_budget(["4"]) == ANSWER_BUDGET_BASE + ANSWER_BUDGET_PER_CHAR
    assert answer_budget(["1301"], ["Atlas Lodge"]) == ANSWER_BUDGET_BASE + ANSWER_BUDGET_PER_CHAR * 15
    assert not grade_answer(hotel_task(), "Atlas Lodge costs $1,301. " + "Thanks! " * 60).answer_within_budget


def test_reformatted_paste_is_caught_but_a_quoted_sentence_fact_is_not() -> None:
    from envfactory_gym.rubric import pastes_tool_output

    # Quotes and braces dropped, one "key: value" per line: the words are still the output's, in order.
    lines = "\n".join(
        f"- name: {n}\n  city: Prague\n  date: {d}\n  total: {t}\n  rooms: {r}"
        for n, d, t, r in [("Atlas Lodge", "2025-06-27", 1301.0, 3), ("Vltava Inn", "2025-06-27", 1402.5, 5)]
    )
    assert pastes_tool_output(f"Results:\n{lines}", HOTELS, exempt=["1301"])
    policy = '{"policy": "Pets are not allowed in any of the rooms, suites or common areas of this hotel."}'
    fact = "Pets are not allowed in any of the rooms, suites or common areas of this hotel."
    assert not pastes_tool_output(f"Sorry: {fact}", [policy], exempt=[fact])
    assert pastes_tool_output(f"Sorry: {fact}", [policy])


def test_numbers_inside_dates_and_ids_earn_no_credit() -> None:
    task = hotel_task(required_facts=["17", "30"], answer_context=[])
    assert not grade_answer(task, "On 2024-05-17 at 13:30.", outputs=[]).success
    assert grade_answer(task, "17 rooms, 30 beds.", outputs=[]).success


def test_yes_no_synonyms_and_names_with_no() -> None:
    task = hotel_task(required_facts=["yes"], answer_context=[])
    assert grade_answer(task, "Yep — it is at No. 4 Celetná.", outputs=[]).success
    assert not grade_answer(task, "Yes. Well, no.", outputs=[]).success
    assert grade_answer(hotel_task(required_facts=["no"], answer_context=[]), "Nope.", outputs=[]).success


def test_an_alternative_change_set_succeeds() -> None:
    alternative = with_gold_changes(
        Task(
            task_id="alt",
            domain="finance",
            env_ids=["test_bank"],
            goal="write",
            query="?",
            gold_calls=[
                GoldCall(
                    env_id="test_bank",
                    tool="transfer",
                    arguments={"source_id": "A0001", "target_id": "A0003", "amount": 10},
                )
            ],
        )
    )
    task = with_gold_changes(
        Task(
            task_id="main",
            domain="finance",
            env_ids=["test_bank"],
            goal="write",
            query="Send 10 from A0001 to A0002 or A0003.",
            gold_calls=[
                GoldCall(
                    env_id="test_bank",
                    tool="transfer",
                    arguments={"source_id": "A0001", "target_id": "A0002", "amount": 10},
                )
            ],
        )
    ).model_copy(update={"gold_alternatives": [alternative.gold_changes]})
    gold = grade(task, play([transfer("A0001", "A0002", 10)]), answer="Done.")
    assert gold.success and gold.matched_change_set == "gold"
    other = grade(task, play([transfer("A0001", "A0003", 10)]), answer="Done.")
    assert other.success and other.matched_change_set == "alternative:0"
    wrong = grade(task, play([transfer("A0001", "A0004", 10)]), answer="Done.")
    assert not wrong.success and wrong.matched_change_set is None and wrong.missing_changes > 0


def test_dictated_free_text_is_compared_without_case_spacing_or_final_punctuation() -> None:
    from envfactory_gym.database import RowChange
    from envfactory_gym.rubric import compare_changes
    from envfactory_gym.tasks import GoldChange

    row = {"note_id": "N1", "text": "Call the  front desk."}
    gold = [GoldChange(env_id="e", table="notes", op="insert", key={"note_id": "N1"}, after=row)]

    def episode(text: str) -> dict:
        return {"e": [RowChange("notes", "insert", {"note_id": "N1"}, None, {**row, "text": text})]}

    assert compare_changes(episode("call the front desk"), gold, {}) == (0, 0)
    assert compare_changes(episode("CALL THE FRONT DESK!"), gold, {}) == (0, 0)
    assert compare_changes(episode("Call the back desk."), gold, {}) == (1, 1)


def test_existing_helpers_keep_their_signatures() -> None:
    from envfactory_gym.rubric import _normalise_text, fact_found, fact_stated

    text = _normalise_text("The flight on May 17, 2024 costs $1,301.00 — yes.")
    assert fact_found("1301", text) and fact_found("2024-05-17", text) and not fact_found("17", text)
    assert fact_stated("yes", text) and not fact_stated("no", text)


def test_generated_columns_of_new_rows_are_ignored_whatever_their_type() -> None:
    """A new card's balance drawn from the service's random stream differs with the order of the calls."""
    from envfactory_gym.database import RowChange
    from envfactory_gym.rubric import compare_changes
    from envfactory_gym.tasks import GoldChange

    generated = {"travel_booking": {"credit_cards": frozenset({"card_id", "balance"})}}
    gold = [
        GoldChange(
            env_id="travel_booking",
            table="credit_cards",
            op="insert",
            key={"card_id": "c1"},
            after={"card_id": "c1", "balance": 47976.0, "holder": "Ann"},
        )
    ]
    episode_row = RowChange(
        "credit_cards", "insert", {"card_id": "c9"}, None, {"card_id": "c9", "balance": 40958.0, "holder": "Ann"}
    )
    assert compare_changes({"travel_booking": [episode_row]}, gold, generated) == (0, 0)
    wrong_holder = RowChange(
        "credit_cards", "insert", {"card_id": "c9"}, None, {"card_id": "c9", "balance": 1.0, "holder": "Bob"}
    )
    assert compare_changes({"travel_booking": [wrong_holder]}, gold, generated) == (1, 1)
