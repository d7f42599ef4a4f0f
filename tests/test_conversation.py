"""User simulators, conversational tasks and the gym's conversational mode."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import gymnasium as gym
import pytest

from envfactory_gym.agents.baselines import NoOpAgent, OracleAgent
from envfactory_gym.conversation import (
    STOP_TOKEN,
    LLMUser,
    RuleBasedUser,
    UserReply,
    asks_or_proposes,
    make_user_simulator,
    read_turn,
)
from envfactory_gym.conversational_tasks import ConversationalOracleAgent, make_conversational, user_instruction
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.gold import GoldExecutionError, execute_gold, open_runtime, with_gold_changes
from envfactory_gym.rollout import play_episode
from envfactory_gym.runtime import ToolRuntime
from envfactory_gym.tasks import GoldCall, Task, UserProfile
from tests.conftest import bank_read_task, bank_task

# -- tasks with the details a person holds (metadata["details"], as stories write them) -------------------


def with_details(task: Task, details: list[dict[str, Any]]) -> Task:
    """The task as a story would have written it: its details recorded, and known to the person."""
    for detail in details:
        assert detail["phrase"] in task.query, detail
    return task.model_copy(
        update={
            "metadata": {**task.metadata, "details": details},
            "user": UserProfile(known_facts={d["name"]: d["say"] for d in details}),
        }
    )


def detailed_bank_task() -> Task:
    """'Please send 50 from A0001 to A0002.' — the amount and the receiving account are the person's."""
    return with_details(
        bank_task(),
        [
            {
                "name": "amount to send",
                "synonyms": ["how much", "money", "sum"],
                "value": 50,
                "phrase": " 50",
                "vague": " some money",
                "say": "50 dollars",
            },
            {
                "name": "receiving account",
                "synonyms": ["recipient", "destination account", "send it to"],
                "value": "A0002",
                "phrase": " to A0002",
                "vague": " to my other account",
                "say": "account A0002",
            },
        ],
    )


def detailed_bank_read_task() -> Task:
    return with_details(
        bank_read_task(),
        [
            {
                "name": "account number",
                "synonyms": ["account", "which account"],
                "value": "A0003",
                "phrase": " of account A0003",
                "vague": " of my savings account",
                "say": "A0003",
            }
        ],
    )


def conversational_bank_task(seed: int = 0, hidden: str | None = None) -> Task:
    """A conversational bank transfer (hiding ``hidden`` when given: the first seed that does)."""
    for attempt in range(seed, seed + 50):
        variant = make_conversational(detailed_bank_task(), attempt)
        if variant is not None and (hidden is None or hidden in variant.user.hidden_facts):
            return variant
    raise AssertionError(f"no variant hides {hidden!r}")


def freeze_task(query: str = "I think someone has my card for account A0005. What should I do?") -> Task:
    """Dual control: only the user can freeze their account; the assistant must ask them to."""
    task = Task(
        task_id="bank-freeze-user",
        domain="finance",
        env_ids=["test_bank"],
        goal="write",
        query=query,
        gold_calls=[GoldCall(env_id="test_bank", tool="freeze_account", arguments={"account_id": "A0005"})],
        user=UserProfile(persona="A worried customer.", user_tools=["freeze_account"]),
    )
    return with_gold_changes(task)


def airline_bags_task() -> Task:
    """An airline task built on the seeded state: add checked bags to a booking (no packaged task ids)."""
    runtime = open_runtime(["airline"], 0, None, 0, prefix=False)
    try:
        rows = runtime.databases["airline"].raw.execute(
            "SELECT r.reservation_id, r.user_id, m.payment_id, m.last_four FROM reservations r "
            "JOIN payment_methods m ON m.user_id = r.user_id AND m.source = 'credit_card' "
            "WHERE r.status IS NULL AND r.total_baggages = 0 ORDER BY r.reservation_id LIMIT 40"
        )
        candidates = [tuple(row) for row in rows]
    finally:
        runtime.close()
    for reservation, user, card, last_four in candidates:
        for nonfree in range(4):
            call = GoldCall(
                env_id="airline",
                tool="update_reservation_baggages",
                arguments={
                    "reservation_id": reservation,
                    "total_baggages": 3,
                    "nonfree_baggages": nonfree,
                    "payment_id": card,
                },
            )
            try:
                execute_gold(["airline"], [call])
            except GoldExecutionError:
                continue
            query = (
                f"Hi, I'm {user}. Please add bags to my booking {reservation} so it has three checked bags, "
                f"and charge any fee to my card ending in {last_four}."
            )
            task = Task(
                task_id="airline-bags-test",
                domain="travel",
                env_ids=["airline"],
                goal="write",
                query=query,
                gold_calls=[call],
            )
            details = [
                {
                    "name": "number of checked bags",
                    "synonyms": ["how many bags", "luggage"],
                    "value": 3,
                    "phrase": " so it has three checked bags",
                    "vague": "",
                    "say": "three checked bags",
                },
                {
                    "name": "booking code",
                    "synonyms": ["reservation", "confirmation number"],
                    "value": reservation,
                    "phrase": f" {reservation}",
                    "vague": "",
                    "say": reservation,
                },
            ]
            return with_details(with_gold_changes(task), details)
    raise AssertionError("no reservation in the seeded airline state takes three bags")


def conversational_bags_task() -> Task:
    base = airline_bags_task()
    for seed in range(50):
        variant = make_conversational(base, seed)
        if variant is not None and "number of checked bags" in variant.user.hidden_facts:
            return variant
    raise AssertionError("no variant hides the number of bags")


def trip_task() -> Task:
    """A person who stated a travel date and their date of birth (for refusing proposals)."""
    task = Task(
        task_id="airline-trip-test",
        domain="travel",
        env_ids=["airline"],
        goal="read",
        query="Which direct flights go from Phoenix to Atlanta on May 29? I was born on June 7, 1967.",
        gold_calls=[
            GoldCall(
                env_id="airline",
                tool="search_direct_flight",
                arguments={"origin": "PHX", "destination": "ATL", "date": "2024-05-29"},
            )
        ],
    )
    return with_details(
        task,
        [
            {
                "name": "travel date",
                "synonyms": ["date", "day", "when"],
                "value": "2024-05-29",
                "phrase": " on May 29",
                "vague": " some day next week",
                "say": "May 29",
            },
            {
                "name": "departure city",
                "synonyms": ["origin", "flying from"],
                "value": "PHX",
                "phrase": "Phoenix",
                "vague": "my city",
                "say": "Phoenix",
            },
            {
                "name": "destination city",
                "synonyms": ["destination", "flying to"],
                "value": "ATL",
                "phrase": "Atlanta",
                "vague": "somewhere",
                "say": "Atlanta",
            },
            {
                "name": "date of birth",
                "synonyms": ["birthday", "born"],
                "value": "1967-06-07",
                "phrase": " I was born on June 7, 1967.",
                "say": "June 7, 1967",
            },
        ],
    )


@pytest.fixture
def airline_runtime() -> Iterator[ToolRuntime]:
    runtime = open_runtime(["airline"], 0, None, 0, prefix=False)
    yield runtime
    runtime.close()


def conversational_env(tasks: list[Task], env_ids: list[str] | None = None, **kwargs: Any) -> ToolUseEnv:
    return ToolUseEnv(env_ids or ["test_bank"], tasks=tasks, conversational=True, **kwargs)


# -- deriving conversational tasks ------------------------------------------------------------------------


@pytest.mark.parametrize("base", [detailed_bank_task(), detailed_bank_read_task()], ids=["write", "read"])
def test_make_conversational_hides_a_detail_by_its_spoken_name(base: Task) -> None:
    variant = make_conversational(base, rng_seed=0)
    assert variant is not None
    assert variant.task_id != base.task_id
    [(name, say)] = variant.user.hidden_facts.items()
    detail = next(d for d in base.metadata["details"] if d["name"] == name)
    assert say == detail["say"] and name not in variant.user.known_facts
    assert detail["phrase"] not in variant.query and detail["vague"].strip() in variant.query
    assert str(detail["value"]) not in variant.query
    assert variant.metadata["hidden_detail"] == {
        "name": name,
        "synonyms": detail["synonyms"],
        "value": detail["value"],
        "say": detail["say"],
    }
    assert variant.gold_calls == base.gold_calls and variant.gold_changes == base.gold_changes
    assert make_conversational(base, rng_seed=0) == variant  # deterministic for a seed


def test_make_conversational_varies_with_seed_and_refuses_tasks_without_details() -> None:
    hidden = {tuple(make_conversational(detailed_bank_task(), seed).user.hidden_facts) for seed in range(12)}  # type: ignore[union-attr]
    assert hidden == {("amount to send",), ("receiving account",)}
    # No details recorded: nothing a person is known to hold, so no variant (no guessing from field names).
    assert make_conversational(bank_task(), rng_seed=0) is None
    already = make_conversational(detailed_bank_task(), 0)
    assert already is not None and make_conversational(already, 0) is None


def test_a_hidden_phrase_leaves_no_dangling_comma() -> None:
    from envfactory_gym.conversational_tasks import Detail, _vague_query

    zip_code = Detail("zip code", "12345", "my zip code is 12345", "12345", "", ())
    assert _vague_query("I'm Ann Lee, my zip code is 12345. Cancel it.", zip_code) == "I'm Ann Lee. Cancel it."
    when = Detail("date", "May 3", "on May 3", "May 3", " some day soon", ())
    assert _vague_query("Book it on May 3, please.", when) == "Book it some day soon, please."


def test_make_conversational_skips_details_that_do_not_matter_or_stay_stated() -> None:
    base = detailed_bank_task()
    # The amount is stated twice: hiding one phrase would still give it away.
    twice = base.model_copy(update={"query": base.query + " Yes, 50 dollars."})
    for seed in range(6):
        variant = make_conversational(twice, seed)
        assert variant is not None and "amount to send" not in variant.user.hidden_facts
    # A detail whose value is no gold argument cannot make the task need the user.
    unrelated = with_details(
        bank_task(),
        [{"name": "branch", "value": "Springfield", "phrase": "A0001", "vague": "my account", "say": "Springfield"}],
    )
    assert make_conversational(unrelated, 0) is None


# -- the gym's conversational mode --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("base", [detailed_bank_task(), detailed_bank_read_task()], ids=["write", "read"])
def test_asking_oracle_solves_and_agents_that_never_ask_fail(base: Task, seed: int) -> None:
    task = make_conversational(base, seed)
    assert task is not None
    asked = play_episode(conversational_env([task]), ConversationalOracleAgent(), options={"task_id": task.task_id})
    assert asked.reward == 1.0 and asked.terminated
    said = next(iter(task.user.hidden_facts.values()))
    user_turns = [m["content"] for m in asked.messages if m["role"] == "user"]
    assert any(said.lower() in turn.lower() for turn in user_turns[1:])  # the user told it
    assert STOP_TOKEN in user_turns[-1]
    for agent in (ConversationalOracleAgent(ask=False), NoOpAgent()):
        result = play_episode(conversational_env([task]), agent, options={"task_id": task.task_id})
        assert result.reward == 0.0, type(agent).__name__


def test_airline_conversation_end_to_end() -> None:
    task = conversational_bags_task()
    assert "three" not in task.query and "bags" in task.query  # "add bags", but not how many
    env = conversational_env([task], ["airline"])
    result = play_episode(env, ConversationalOracleAgent(), options={"task": task})
    assert result.reward == 1.0 and result.terminated
    turns = [(m["role"], m["content"]) for m in result.messages if m["role"] in ("user", "assistant") and m["content"]]
    assert ("assistant", "Sure, I can help with that. Could you tell me the number of checked bags?") in turns
    assert ("user", "Three checked bags.") in turns
    for agent in (ConversationalOracleAgent(ask=False), NoOpAgent()):
        probe = play_episode(conversational_env([task], ["airline"]), agent, options={"task": task})
        assert probe.reward == 0.0, type(agent).__name__


def test_conversational_mode_through_gym_make() -> None:
    task = conversational_bank_task(hidden="amount to send")
    env = gym.make("envfactory/test_bank-v0", tasks=[task], conversational=True)
    observation, _ = env.reset(options={"task_id": task.task_id})
    assert observation == task.query
    reply, reward, terminated, _, _ = env.step("How much money would you like to send?")
    assert not terminated and reward == 0.0
    assert "50 dollars" in reply
    env.close()


def test_plain_oracle_without_conversational_mode_is_unchanged() -> None:
    env = ToolUseEnv(["test_bank"], tasks=[bank_task()])
    assert play_episode(env, OracleAgent(), options={"task_id": "bank-transfer"}).reward == 1.0


# -- the rule-based user: when it ends ------------------------------------------------------------------------


def started(task: Task, env_ids: list[str] | None = None) -> tuple[ToolUseEnv, RuleBasedUser]:
    env = conversational_env([task], env_ids)
    env.reset(options={"task": task})
    assert isinstance(env._user, RuleBasedUser)
    return env, env._user


def say(env: ToolUseEnv, user: RuleBasedUser, text: str) -> UserReply:
    env.messages.append({"role": "assistant", "content": text})
    return user.respond(env.messages)


@pytest.mark.parametrize(
    "text",
    [
        "I have successfully found your accounts. How much would you like to send?",
        "All set on my side — is there anything else you need, or shall I send the money now?",
        "The lookup was successful. Could you let me know the amount?",
        "Anything else you'd like to tell me about the amount?",
        "I'll send it now, ok?",
    ],
)
def test_a_question_or_proposal_never_ends_the_conversation(text: str) -> None:
    env, user = started(conversational_bank_task(hidden="amount to send"))
    assert read_turn(text, user.held).asks_or_proposes
    assert not say(env, user, text).done


@pytest.mark.parametrize(
    "text",
    [
        "The transfer went through successfully. Is there anything else I can help you with?",
        "I have taken care of your request.",
        "Done! Let me know if you need anything else.",
        "Your request is complete. Have a nice day!",
    ],
)
def test_a_turn_that_neither_asks_nor_proposes_ends_it(text: str) -> None:
    env, user = started(conversational_bank_task(hidden="amount to send"))
    ended = say(env, user, text)
    assert ended.done and STOP_TOKEN in ended.content
    assert not asks_or_proposes(text)


def test_the_user_never_ends_because_the_state_matches_the_gold() -> None:
    env, user = started(detailed_bank_task())
    assert env.runtime is not None
    assert env.runtime.call("transfer", {"source_id": "A0001", "target_id": "A0002", "amount": 50}).ok
    # The state is the gold end state, but the assistant asks something: the person answers it.
    reply = say(env, user, "Before we finish, how much did you want to send?")
    assert not reply.done and "50 dollars" in reply.content


def test_rule_user_gives_up_after_too_many_turns() -> None:
    env = conversational_env([bank_task()])
    env.reset(options={"task_id": "bank-transfer"})
    env._user = make_user_simulator({"kind": "rule", "max_turns": 2}, bank_task(), env.runtime)  # type: ignore[arg-type]
    replies = [env.step("Hmm?")[2] for _ in range(3)]
    assert replies == [False, False, True]


# -- the rule-based user: answering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "How many bags will you be checking?",
        "How much luggage are you bringing?",
        "Do you have any baggage to add?",
        "What number of checked bags do you need?",
        "Could you tell me how many bags there should be in total?",
    ],
)
def test_natural_questions_get_the_hidden_detail(question: str) -> None:
    env, user = started(conversational_bags_task(), ["airline"])
    reply = say(env, user, question)
    assert reply.content == "Three checked bags." and not reply.done
    assert user.revealed == {"number of checked bags"}


@pytest.mark.parametrize("question", ["Could you give me more details?", "What else do you need?"])
def test_a_generic_request_gets_the_one_hidden_detail(question: str) -> None:
    env, user = started(conversational_bags_task(), ["airline"])
    assert say(env, user, question).content == "Three checked bags."


def test_rule_user_answers_only_what_is_asked() -> None:
    env, user = started(conversational_bags_task(), ["airline"])
    for unrelated in ("Which branch do you usually visit?", "What is your phone number?", "What is the total?"):
        reply = say(env, user, unrelated)
        assert "three" not in reply.content.lower() and not reply.done
        assert reply.content == "Sorry, I don't know that."
    assert user.revealed == set()


def test_questions_about_stated_details_are_answered_by_spoken_name() -> None:
    env, user = started(trip_task(), ["airline"])
    assert say(env, user, "When would you like to fly?").content == "May 29."
    assert say(env, user, "Where are you flying from?").content == "Phoenix."
    assert say(env, user, "What is your date of birth?").content == "June 7, 1967."


# -- the rule-based user: proposals ----------------------------------------------------------------------------


def test_proposals_are_judged_only_on_what_the_person_holds() -> None:
    """Values of the gold solution the person never held get the same reply, right or wrong: no probing."""
    task = conversational_bags_task()
    [gold] = task.gold_calls
    card, nonfree = gold.arguments["payment_id"], gold.arguments["nonfree_baggages"]
    pairs = [
        (f"Shall I put the bag fee on {card}?", "Shall I put the bag fee on credit_card_0000001?"),
        (f"The fee is ${50 * nonfree}. Shall I go ahead?", f"The fee is ${50 * nonfree + 75}. Shall I go ahead?"),
        ("Shall I proceed with the update?", "Would you like me to update the booking on flight HAT999?"),
    ]
    for right, wrong in pairs:
        env, user = started(task, ["airline"])
        first = say(env, user, right)
        env, user = started(task, ["airline"])
        second = say(env, user, wrong)
        assert first == second == UserReply("Yes, please go ahead.", False), (right, wrong)


def test_a_proposal_contradicting_a_held_count_or_code_is_refused() -> None:
    task = conversational_bags_task()
    booking = task.gold_calls[0].arguments["reservation_id"]
    env, user = started(task, ["airline"])
    refused = say(env, user, "Shall I add 2 checked bags to your booking?")
    assert refused.content.startswith("No") and "three checked bags" in refused.content and not refused.done
    assert say(env, user, "Shall I add three checked bags to your booking?").content == "Yes, please go ahead."
    assert say(env, user, "I'll set it to 3 bags, ok?").content == "Yes, please go ahead."
    assert say(env, user, f"Shall I update booking {booking}?").content == "Yes, please go ahead."
    wrong_code = say(env, user, "Shall I update booking ZZ99ZZ?")
    assert wrong_code.content.startswith("No") and booking in wrong_code.content


def test_a_proposal_contradicting_a_known_date_or_city_is_refused(airline_runtime: ToolRuntime) -> None:
    task = trip_task()

    def reply(text: str) -> str:
        user = RuleBasedUser(task, airline_runtime)
        return user.respond([{"role": "assistant", "content": text}]).content

    assert reply("Shall I book the 9 am flight on May 29?") == "Yes, please go ahead."
    assert reply("Shall I book the 2024-05-29 flight from PHX to ATL?") == "Yes, please go ahead."
    later = reply("Shall I book the 9 am flight on May 30?")
    assert later.startswith("No") and "travel date is May 29" in later
    # A trip date is never taken for the birthday, even when it lies nearer to it.
    assert "birth" not in reply("Would you like me to book June 8 instead?")
    assert "travel date" in reply("Would you like me to book June 8 instead?")
    elsewhere = reply("Shall I book the 9 am flight to Boston?")
    assert elsewhere.startswith("No") and "destination city is Atlanta" in elsewhere
    assert reply("Shall I book the flight from Phoenix to Atlanta?") == "Yes, please go ahead."


# -- dual control -------------------------------------------------------------------------------------------


def test_dual_control_user_runs_its_own_tool_when_told() -> None:
    task = freeze_task()
    env = conversational_env([task])
    _, info = env.reset(options={"task_id": task.task_id})
    assert "freeze_account" not in [t["function"]["name"] for t in info["tools"]]
    refused, *_ = env.step('<tool_call>{"name": "freeze_account", "arguments": {"account_id": "A0005"}}</tool_call>')
    assert "unknown tool" in refused
    assert env.change_sets() == {"test_bank": []}
    reply, _, terminated, _, _ = env.step("Please freeze account A0005 yourself with freeze_account on your side.")
    assert not terminated and "freeze account" in reply
    assert [c["after"]["frozen"] for c in env.change_sets()["test_bank"]] == [1]
    _, reward, terminated, _, info = env.step("Your account is now frozen; your request is complete.")
    assert terminated and reward == pytest.approx(0.95)  # the one refused call costs the malformed-call penalty
    assert info["reward_breakdown"]["state_match"]


def test_dual_control_user_fills_arguments_from_what_it_sees_not_from_the_gold() -> None:
    # Spoken words name the tool; the account comes from the person's own request.
    env = conversational_env([freeze_task()])
    env.reset(options={"task_id": "bank-freeze-user"})
    reply, *_ = env.step("You need to freeze your account from your phone.")
    assert "I ran freeze account" in reply and [c["after"]["frozen"] for c in env.change_sets()["test_bank"]] == [1]
    # Nothing the person can see says which account: they ask, although the gold solution knows it.
    vague = freeze_task("Someone has my card. What should I do?")
    env = conversational_env([vague])
    env.reset(options={"task_id": vague.task_id})
    reply, _, terminated, *_ = env.step("Please freeze your account with freeze_account.")
    assert reply == "Which account should I use to freeze account?" and not terminated
    assert env.change_sets() == {"test_bank": []}


def test_dual_control_user_does_what_it_is_told_even_off_the_goal() -> None:
    # The person does not know the gold solution, so it cannot refuse a tool for being off it.
    task = freeze_task().model_copy(
        update={
            "task_id": "freeze-other",
            "gold_calls": [GoldCall(env_id="test_bank", tool="get_account", arguments={"account_id": "A0005"})],
            "goal": "read",
            "gold_changes": [],
            "required_facts": ["A0005"],
        }
    )
    env = conversational_env([task])
    env.reset(options={"task_id": task.task_id})
    reply, *_ = env.step("Please run freeze_account on your phone for account A0005.")
    assert "I ran freeze account" in reply and len(env.change_sets()["test_bank"]) == 1


def look_then_freeze_task() -> Task:
    """Dual control with both sides: the assistant looks the account up, then the user must freeze it."""
    task = freeze_task().model_copy(
        update={
            "task_id": "bank-look-then-freeze",
            "gold_calls": [
                GoldCall(env_id="test_bank", tool="get_account", arguments={"account_id": "A0005"}),
                GoldCall(env_id="test_bank", tool="freeze_account", arguments={"account_id": "A0005"}),
            ],
        }
    )
    return with_gold_changes(task)


def test_user_instruction_names_the_action_and_every_argument() -> None:
    call = GoldCall(env_id="e", tool="grant_app_permission", arguments={"app_name": "Messages", "permission": "sms"})
    assert (
        user_instruction(call) == "Please grant app permission on your side, with app name Messages and permission sms."
    )
    assert user_instruction(call.model_copy(update={"arguments": {}})) == "Please grant app permission on your side."


@pytest.mark.parametrize("style", ["hermes", "openai", "batch"])
def test_conversational_oracle_has_the_user_make_the_users_calls(style: str) -> None:
    task = look_then_freeze_task()
    result = play_episode(conversational_env([task]), ConversationalOracleAgent(style=style), options={"task": task})
    assert result.reward == 1.0 and result.terminated
    assistant_calls = [c["function"]["name"] for m in result.messages for c in m.get("tool_calls") or ()]
    assert assistant_calls == ["get_account"]  # the freeze is the user's: asked for, never called
    said = [(m["role"], m["content"]) for m in result.messages if m["role"] in ("assistant", "user") and m["content"]]
    instruction = ("assistant", "Please freeze account on your side, with account id A0005.")
    assert instruction in said and said[said.index(instruction) + 1][1].startswith("I ran freeze account on my side")
    assert "freeze_account" not in {t["function"]["name"] for t in result.tools}


def test_an_assistant_that_never_asks_the_user_to_act_fails_dual_control() -> None:
    task = look_then_freeze_task()
    env = conversational_env([task])
    for agent in (ConversationalOracleAgent(ask=False), ConversationalOracleAgent(style="batch", ask=False)):
        result = play_episode(env, agent, options={"task": task})
        assert result.reward == 0.0 and env.change_sets() == {"test_bank": []}
        assert not any(m["role"] == "assistant" and "freeze" in str(m["content"]) for m in result.messages)
    # The plain oracle makes the user's call itself: the tool does not exist for it, and nothing changes.
    result = play_episode(env, OracleAgent(), options={"task": task})
    assert result.reward == 0.0 and env.change_sets() == {"test_bank": []} and result.errors


# -- the LLM user over an OpenAI-compatible endpoint ---------------------------------------------------------


class ScriptedChat(BaseHTTPRequestHandler):
    replies: ClassVar[list[str]] = []
    requests: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        reply = type(self).replies.pop(0)
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def chat_server() -> Any:
    server = HTTPServer(("127.0.0.1", 0), ScriptedChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ScriptedChat.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_llm_user_over_openai_compatible_endpoint(chat_server: str) -> None:
    task = freeze_task()
    ScriptedChat.replies = ["OK. ACTION: freeze_account", f"Thanks, bye! {STOP_TOKEN}"]
    env = conversational_env([task], user_simulator=f"llm:base_url={chat_server},model=sim,api_key=k1")
    env.reset(options={"task_id": task.task_id})
    assert isinstance(env._user, LLMUser)
    reply, _, terminated, _, _ = env.step("Please freeze your account with freeze_account.")
    assert not terminated and "ACTION: freeze_account" in reply
    assert [c["after"]["frozen"] for c in env.change_sets()["test_bank"]] == [1]
    _, reward, terminated, _, _ = env.step("Done, your request is complete.")
    assert terminated and reward == 1.0
    first = ScriptedChat.requests[0]
    assert first["path"] == "/v1/chat/completions" and first["auth"] == "Bearer k1"
    roles = [m["role"] for m in first["body"]["messages"]]
    assert roles[0] == "system" and roles[-1] == "user"  # the assistant's words are the simulator's input
    assert "freeze_account" in first["body"]["messages"][0]["content"]


def test_llm_user_prompt_holds_facts_by_spoken_name_and_never_the_solution(chat_server: str) -> None:
    task = conversational_bags_task()
    ScriptedChat.replies = ["Three, please."]
    env = conversational_env([task], ["airline"], user_simulator=f"llm:base_url={chat_server},model=sim")
    env.reset(options={"task": task})
    env.step("How many bags?")
    system = ScriptedChat.requests[0]["body"]["messages"][0]["content"]
    assert "number of checked bags: three checked bags" in system  # hidden, by spoken name
    assert "booking code: " in system  # stated, by spoken name
    gold = task.gold_calls[0].arguments
    for leak in ("total_baggages", "nonfree_baggages", "payment_id", gold["payment_id"], "update_reservation"):
        assert leak not in system, leak


def test_llm_user_endpoint_failure_ends_the_episode_cleanly() -> None:
    env = conversational_env([bank_task()], user_simulator="llm:base_url=http://127.0.0.1:9/v1,model=m,timeout=2")
    env.reset(options={"task_id": "bank-transfer"})
    reply, reward, terminated, _, _ = env.step("Hello?")
    assert terminated and reward == 0.0 and "unavailable" in reply


def test_bad_simulator_specs_are_clear_errors() -> None:
    env = ToolUseEnv(["test_bank"], tasks=[bank_task()])
    env.reset(options={"task_id": "bank-transfer"})
    with pytest.raises(ValueError, match="Unknown user simulator"):
        make_user_simulator("psychic", bank_task(), env.runtime)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="base_url and model"):
        make_user_simulator("llm:model=x", bank_task(), env.runtime)  # type: ignore[arg-type]


def _phone_tool(name: str, *intents: str) -> Any:
    from envfactory_gym.authoring import build_tool_spec

    def tool(ctx: Any, phone_number: str) -> str:
        """Change a setting on the phone.

        Args:
            phone_number: The phone's number.
        """
        return ""

    return build_tool_spec(tool, "write", intents, name=name)


def test_the_user_reads_switch_verbs_as_toggles_and_runs_the_most_specific_tool() -> None:
    from envfactory_gym.conversation import _most_specific, _names_tool

    specs = {s.name: s for s in (_phone_tool("toggle_data"), _phone_tool("toggle_data_saver_mode", "toggle data saver"),
                                 _phone_tool("connect_vpn", "turn on the VPN"),
                                 _phone_tool("disconnect_vpn", "turn off the VPN"))}  # fmt: skip

    def named(sentence: str) -> list[str]:
        found = [(n, s) for n, s in specs.items() if _names_tool(sentence, n, s)]
        return [n for n, _ in _most_specific(sentence, found)]

    assert named("Please turn your mobile data back on.") == ["toggle_data"]
    assert named("Could you switch off data saver? It slows your data.") == ["toggle_data_saver_mode"]
    assert named("Please disable the data saver.") == ["toggle_data_saver_mode"]
    assert named("Please turn on the VPN.") == ["connect_vpn"]
    assert named("Please turn the VPN off.") == ["disconnect_vpn"]
    assert named("Mobile data or data saver may be the problem.") == []  # a setting named, no action asked
    assert named("Please turn it off and on again.") == []


# The user's side of a phone: settings named by their labels and intents, as an environment declares them.
PHONE = {
    spec.name: spec
    for spec in (
        _phone_tool("toggle_airplane_mode"),
        _phone_tool("toggle_data"),
        _phone_tool("toggle_data_saver_mode", "toggle data saver"),
        _phone_tool("toggle_wifi", "toggle Wi-Fi"),
        _phone_tool("connect_vpn", "turn on the VPN"),
        _phone_tool("disconnect_vpn", "turn off the VPN"),
        _phone_tool("reboot_device", "restart my phone {phone_number}"),
        _phone_tool("reseat_sim_card", "take the SIM card out and put it back in"),
        _phone_tool("check_status_bar"),
    )
}


def asked_of_the_phone(sentence: str) -> list[str]:
    from envfactory_gym.conversation import requested_tools

    return [name for name, _, _ in requested_tools(sentence, PHONE)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Please turn off airplane mode and turn on mobile data.", ["toggle_airplane_mode", "toggle_data"]),
        # One instruction's words hold another's ("data saver" holds "data"): each clause is read on its own.
        ("Please turn off data saver and turn on mobile data.", ["toggle_data_saver_mode", "toggle_data"]),
        # A tool named outright no longer hides one named in the user's own words.
        ("Please toggle wifi and turn off airplane mode.", ["toggle_wifi", "toggle_airplane_mode"]),
        ("Could you disable Wi-Fi, then restart the phone?", ["toggle_wifi", "reboot_device"]),
        ("Restart the phone, then turn off airplane mode.", ["reboot_device", "toggle_airplane_mode"]),
        ("First turn off airplane mode and then restart your phone.", ["toggle_airplane_mode", "reboot_device"]),
        ("Before you restart the phone, turn off the VPN.", ["disconnect_vpn", "reboot_device"]),
        ("Restart the phone after turning off airplane mode.", ["toggle_airplane_mode", "reboot_device"]),
        # A list shares its verb, "off" included: the VPN is disconnected, not connected.
        (
            "Please turn off airplane mode, data saver and the VPN.",
            ["toggle_airplane_mode", "toggle_data_saver_mode", "disconnect_vpn"],
        ),
        # A tool's own phrase keeps its "and"; the step after it is still a step.
        (
            "Please take the SIM card out and put it back in, and then check the status bar.",
            ["reseat_sim_card", "check_status_bar"],
        ),
        # A label inside a longer tool's words names the longer tool.
        ("Please toggle data saver.", ["toggle_data_saver_mode"]),
        ("Turn off the VPN; after that, restart my phone.", ["disconnect_vpn", "reboot_device"]),
        # A listed clause with words of its own is no setting to switch: data saver is left alone.
        (
            "Turn off airplane mode and data saver might be the problem; it restricts your mobile data.",
            ["toggle_airplane_mode"],
        ),
    ],
)
def test_the_user_acts_on_every_clear_instruction_in_the_order_given(sentence: str, expected: list[str]) -> None:
    assert asked_of_the_phone(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Don't turn off Wi-Fi.", []),
        ("Please do not restart the phone.", []),
        ("Never toggle airplane mode.", []),
        ("Please turn off airplane mode, but don't turn off Wi-Fi.", ["toggle_airplane_mode"]),
        ("Please turn off airplane mode \u2014 don\u2019t turn off the VPN.", ["toggle_airplane_mode"]),
        ("Don't turn off Wi-Fi, data saver or the VPN.", []),
        # The listed setting keeps the "not" of the verb it shares.
        ("Don't turn off Wi-Fi and data saver.", []),
        ("Instead of turning off Wi-Fi, turn off airplane mode.", ["toggle_airplane_mode"]),
        ("Please restart the phone rather than toggling airplane mode.", ["reboot_device"]),
        ("Restart the phone without taking the SIM card out and putting it back in.", ["reboot_device"]),
        # What the person has already done is no instruction to do it again.
        ("Now that you've turned off airplane mode, restart the phone.", ["reboot_device"]),
        # Nor is what the assistant did, or how a setting is.
        ("I have disabled the VPN on our side, so now please restart your phone.", ["reboot_device"]),
        ("Wi-Fi is turned off already; please restart the phone.", ["reboot_device"]),
        # A "not" in a condition is the condition's.
        ("Please restart the phone if your data is not working.", ["reboot_device"]),
    ],
)
def test_the_user_never_acts_on_a_negated_or_reported_instruction(sentence: str, expected: list[str]) -> None:
    assert asked_of_the_phone(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Please check your settings and fix whatever looks wrong.",
        "Mobile data, data saver and the VPN may be the problem.",
        "Please turn it off, and then on again.",
        "Try a few things, then let me know what you see.",
    ],
)
def test_vague_instructions_in_a_list_still_do_nothing(sentence: str) -> None:
    assert asked_of_the_phone(sentence) == []


def test_the_rule_based_user_runs_a_turns_instructions_in_order_once_each() -> None:
    """Through the gym env: each instruction of a sentence runs, in the order given (not the order the
    environment declares its tools in), and a tool asked for twice in one turn runs once."""
    owned = UserProfile(persona="A worried customer.", user_tools=["get_account", "freeze_account"])
    task = freeze_task().model_copy(update={"user": owned})
    env = conversational_env([task])
    env.reset(options={"task_id": task.task_id})
    reply, *_ = env.step(
        "Please freeze account A0005, then look up account A0005 with get_account. Once more: freeze account A0005."
    )
    assert env._user.tools_run == ["freeze_account", "get_account"]
    assert reply.index("I ran freeze account") < reply.index("I ran get account")
    assert reply.count("I ran freeze account") == 1
    assert [c["after"]["frozen"] for c in env.change_sets()["test_bank"]] == [1]
    _, reward, terminated, *_ = env.step("Your account is frozen; your request is complete.")
    assert terminated and reward == 1.0


def test_an_enum_value_is_read_with_punctuation_as_spaces() -> None:
    from envfactory_gym.conversation import _argument_from_text

    schema = {"type": "string", "enum": ["4g_5g_preferred", "4g_only", "2g_only"]}
    assert _argument_from_text("mode", schema, "Set it to 4G/5G preferred, please.") == "4g_5g_preferred"
    assert _argument_from_text("mode", schema, "Set it to 4G only.") == "4g_only"
    assert _argument_from_text("mode", schema, "Set it to 5G.") is None
