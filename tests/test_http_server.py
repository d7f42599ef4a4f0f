"""The lean reset/step JSON API, driven in process with Starlette's test client."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from envfactory_gym.http_server import build_app
from tests.conftest import bank_read_task, bank_task

TRANSFER = {"name": "transfer", "arguments": {"source_id": "A0001", "target_id": "A0002", "amount": 5}}
AUTH = {"Authorization": "Bearer s3cret"}


def client(**kwargs: object) -> TestClient:
    return TestClient(build_app("test_bank", tasks=[bank_task(), bank_read_task()], **kwargs))  # type: ignore[arg-type]


def test_reset_step_and_state_per_session() -> None:
    with client() as http:
        a = http.post("/reset", json={"task_id": "bank-transfer"}).json()
        b = http.post("/reset", json={"task_id": "bank-transfer"}).json()
        assert a["session_id"] != b["session_id"]
        assert a["observation"] == bank_task().query and a["info"]["task_id"] == "bank-transfer"
        assert {t["function"]["name"] for t in a["info"]["tools"]} >= {"transfer", "get_account"}
        step = http.post("/step", json={"session_id": a["session_id"], "action": TRANSFER}).json()
        assert step["info"]["tool_results"][0]["ok"] and not step["done"] and "messages" not in step["info"]
        assert json.loads(step["observation"])["amount"] == 5
        state_a = http.get("/state", params={"session_id": a["session_id"]}).json()
        state_b = http.get("/state", params={"session_id": b["session_id"]}).json()
        assert len(state_a["changes"]["test_bank"]) == 3 and state_b["changes"] == {"test_bank": []}
        assert state_a["state_hash"] != state_b["state_hash"]
        done = http.post("/step", json={"session_id": a["session_id"], "action": "Sent 5."}).json()
        assert done["done"] and done["terminated"]
        assert http.post("/step", json={"session_id": a["session_id"], "action": TRANSFER}).status_code == 409
        again = http.post("/reset", json={"session_id": a["session_id"], "task_id": "bank-read"}).json()
        assert again["session_id"] == a["session_id"] and again["info"]["task_id"] == "bank-read"
        assert http.get("/state", params={"session_id": a["session_id"]}).json()["changes"] == {"test_bank": []}
        assert http.delete(f"/sessions/{a['session_id']}").status_code == 204
        assert http.get("/state", params={"session_id": a["session_id"]}).status_code == 404


def test_malformed_requests_and_actions_never_break_the_server() -> None:
    with client() as http:
        session = http.post("/reset", json={}).json()["session_id"]
        bad_call = {"session_id": session, "action": {"name": "transfer", "arguments": {"amount": "lots"}}}
        result = http.post("/step", json=bad_call).json()
        assert not result["info"]["tool_results"][0]["ok"] and result["info"]["malformed_calls"] == 1
        text = http.post("/step", json={"session_id": session, "action": "<tool_call>{nope</tool_call>"}).json()
        assert text["info"]["malformed_calls"] == 2
        assert http.get("/state", params={"session_id": session}).json()["changes"] == {"test_bank": []}
        assert http.post("/step", content=b"not json").status_code == 400
        assert http.post("/step", json={"session_id": session}).status_code == 400
        assert http.post("/step", json={"session_id": "nope", "action": TRANSFER}).status_code == 404
        assert http.post("/reset", json={"task_id": "no-such-task"}).status_code == 400
        assert http.post("/reset", json={"seed": "x"}).status_code == 400
        assert http.get("/health").json()["status"] == "ok"


def test_token_and_session_limit() -> None:
    with client(token="s3cret", max_sessions=1) as http:
        assert http.post("/reset", json={}).status_code == 401
        assert http.get("/health").status_code == 200
        first = http.post("/reset", json={}, headers=AUTH)
        assert first.status_code == 200
        assert http.post("/reset", json={}, headers=AUTH).status_code == 503
        step = {"session_id": first.json()["session_id"], "action": TRANSFER}
        assert http.post("/step", json=step).status_code == 401
