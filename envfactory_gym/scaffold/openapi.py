"""``envfactory new --from-openapi SPEC``: an OpenAPI 3.x description as models, a seed and tool stubs.

The spec is read as JSON or YAML and validated with ``openapi-spec-validator`` (python-openapi's validator
for OpenAPI 3.0 and 3.1; the ``openapi`` extra), which names the offending place of a malformed spec. Then:

* every object schema a successful response returns becomes a model (a table): scalar properties typed
  columns, nested ones JSON columns; ``id`` becomes ``<model>_id`` so names link across tools;
* every operation becomes a typed tool: GET → read, anything else → write; path and query parameters and
  the JSON request body's properties become arguments; summary and descriptions become the docstring; the
  name is the operationId (snake_case) or method + path;
* the seed draws rows for each model from the properties' types, formats and names with Faker.

Operations that read one row, list rows, create, update or delete one get a working body over the state;
anything else a stub that refuses. Business rules are the author's: the generated code marks them TODO.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from envfactory_gym.scaffold.skeleton import package_files, render, template, test_module
from envfactory_gym.scaffold.target import Target

ROWS_PER_MODEL = 60
# Names the generated modules define or import: a schema's model takes another.
RESERVED_CLASS_NAMES = frozenset(
    {"Any", "Base", "DomainError", "Literal", "SeedData", "ServiceClock", "Session", "ToolContext", "TypedDict"}
)
# Attribute names SQLAlchemy's declarative classes keep for themselves.
RESERVED_COLUMN_NAMES = frozenset({"metadata", "registry"})
MAX_PAGE = 20
METHODS = ("get", "post", "put", "patch", "delete")


class OpenAPIError(Exception):
    """The spec cannot be read or is not valid OpenAPI 3.x; the message names where."""


# -- reading and validating ----------------------------------------------------------------------------
def pointer(parts: Any) -> str:
    """A JSON pointer (RFC 6901) for a path of keys and indexes."""
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts) if parts else "/"


def load_spec(path: Path) -> dict[str, Any]:
    """The spec as data, validated; OpenAPIError naming the offending JSON pointer when it is not valid."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OpenAPIError(f"cannot read the spec ({exc.strerror})") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise OpenAPIError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except yaml.YAMLError as exc:
        raise OpenAPIError(f"not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise OpenAPIError("at /: the spec must be an object with 'openapi', 'info' and 'paths'")
    version = str(data.get("openapi", data.get("swagger", "")))
    if not version.startswith(("3.0", "3.1")):
        raise OpenAPIError(f"at /openapi: only OpenAPI 3.0 and 3.1 are supported, found {version or 'no version'!r}")
    try:
        from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    except ImportError:
        raise OpenAPIError(
            "reading OpenAPI specs needs the openapi extra: pip install 'envfactory-gym[openapi]'"
        ) from None
    _check_refs(data, data, [])  # first: the validator would try to fetch a reference to another file
    validator = (OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator)(data)
    error = next(iter(validator.iter_errors()), None)
    if error is not None:
        message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
        raise OpenAPIError(f"at {pointer(error.absolute_path)}: {message}")
    return data


def _check_refs(node: Any, root: dict[str, Any], where: list[Any]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith("#/"):
                raise OpenAPIError(f"at {pointer([*where, '$ref'])}: only references inside the spec (#/...) are read")
            _follow(root, ref, where)
        for key, value in node.items():
            _check_refs(value, root, [*where, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_refs(value, root, [*where, index])


def _follow(root: dict[str, Any], ref: str, where: list[Any]) -> Any:
    node: Any = root
    for raw in ref[2:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            raise OpenAPIError(f"at {pointer([*where, '$ref'])}: {ref} points at nothing")
        node = node[key]
    return node


# -- names ---------------------------------------------------------------------------------------------------
def snake(name: str) -> str:
    """``petId`` → ``pet_id``, ``Pet-Owner`` → ``pet_owner``; always a valid, non-keyword identifier."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower() or "value"
    if text[0].isdigit():
        text = "n_" + text
    return text + "_" if keyword.iskeyword(text) or text in {"ctx", "env"} else text


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in snake(name).rstrip("_").split("_")) or "Item"


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


# -- the mapping ---------------------------------------------------------------------------------------------
@dataclass
class Column:
    name: str
    kind: str  # str | int | float | bool | list | dict
    required: bool
    description: str = ""
    fmt: str = ""
    enum: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    primary: bool = False
    refers_to: str | None = None  # the model whose key this column holds

    @property
    def python_type(self) -> str:
        if self.enum:
            return "Literal[" + ", ".join(json.dumps(v) for v in self.enum) + "]"
        return {"list": "list[Any]", "dict": "dict[str, Any]"}.get(self.kind, self.kind)


@dataclass
class Model:
    schema: str
    class_name: str
    table: str
    key: Column
    columns: list[Column]
    description: str = ""
    synthetic_key: bool = False  # the schema has no id: the key is made up (until a path names one)

    @property
    def view(self) -> str:
        return f"{self.class_name}View"


@dataclass
class Argument:
    name: str
    annotation: str
    required: bool
    description: str
    column: str | None = None  # the model column it sets or filters on
    default: Any = None


@dataclass
class Operation:
    tool: str
    method: str
    path: str
    summary: str
    arguments: list[Argument]
    model: Model | None
    action: str  # get | list | create | update | delete | other
    returns: str
    refers: list[tuple[str, Model]] = field(default_factory=list)  # arguments that must name an existing row


class Mapper:
    """Reads a validated spec into models and operations."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {}) or {}
        self.models: dict[str, Model] = {}
        self.operations: list[Operation] = []

    def resolve(self, node: Any, depth: int = 0) -> Any:
        """A schema with its ``$ref`` followed and ``allOf`` merged."""
        if not isinstance(node, dict) or depth > 20:
            return {}
        if "$ref" in node:
            return self.resolve(_follow(self.spec, node["$ref"], []), depth + 1)
        if "allOf" in node:
            merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
            for part in node["allOf"]:
                resolved = self.resolve(part, depth + 1)
                merged["properties"].update(resolved.get("properties", {}))
                merged["required"] += resolved.get("required", [])
            return merged
        return node

    def ref_name(self, node: Any) -> str | None:
        """The component schema a node names (directly or through allOf of one)."""
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/components/schemas/"):
                return node["$ref"].rsplit("/", 1)[-1]
            if isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
                return self.ref_name(node["allOf"][0])
        return None

    def map(self) -> None:
        for name in self._response_models():
            self._model(name)
        self._promote_path_keys()
        self._link_references()
        seen: set[str] = set()
        for path, item in (self.spec.get("paths") or {}).items():
            for method in METHODS:
                if isinstance(item, dict) and isinstance(item.get(method), dict):
                    self.operations.append(self._operation(path, method, item, seen))

    # -- models --------------------------------------------------------------------------------------------
    def _response_models(self) -> list[str]:
        names: list[str] = []
        for item in (self.spec.get("paths") or {}).values():
            for method in METHODS:
                operation = item.get(method) if isinstance(item, dict) else None
                if not isinstance(operation, dict):
                    continue
                schema = self._success_schema(operation)
                for candidate in (schema, schema.get("items") if isinstance(schema, dict) else None):
                    name = self.ref_name(candidate)
                    if name and self.resolve(self.schemas.get(name)).get("properties") and name not in names:
                        names.append(name)
        return names

    def _success_schema(self, operation: dict[str, Any]) -> Any:
        for status, response in (operation.get("responses") or {}).items():
            if str(status).startswith("2"):
                response = self.resolve(response) if "$ref" in (response or {}) else response
                content = (response or {}).get("content") or {}
                media = content.get("application/json") or next(iter(content.values()), None) or {}
                return media.get("schema") or {}
        return {}

    def _model(self, name: str) -> Model:
        schema = self.resolve(self.schemas[name])
        base = snake(name).rstrip("_")
        key_name = f"{base}_id"
        required = set(schema.get("required", []))
        columns: list[Column] = []
        key: Column | None = None
        # The key: `id` (named <model>_id so names link across tools), or <model>_id, or <last word>_id.
        key_names = (key_name, f"{base.rsplit('_', 1)[-1]}_id")
        for source, prop in (schema.get("properties") or {}).items():
            column = self._column(source, prop, source in required)
            if key is None and (source == "id" or column.name in key_names):
                column.name = key_name if source == "id" else column.name
                column.primary, column.required = True, True
                key = column
                continue
            if any(c.name == column.name for c in columns) or column.name == key_name:
                continue
            columns.append(column)
        synthetic = key is None
        if key is None:
            key = Column(key_name, "str", True, f"The {base.replace('_', ' ')}'s id.", primary=True)
        if key.kind not in ("str", "int"):
            key.kind = "str"
        key.enum = ()
        description = _one_line(schema.get("description", ""))
        class_name = camel(name)
        taken = {m.class_name for m in self.models.values()} | {f"{m.class_name}View" for m in self.models.values()}
        while class_name in RESERVED_CLASS_NAMES or class_name in taken or f"{class_name}View" in taken:
            class_name += "Record"
        table = plural(base)
        while table == "service_clock" or table in {m.table for m in self.models.values()}:
            table += "_records"
        model = Model(name, class_name, table, key, columns, description, synthetic)
        self.models[name] = model
        return model

    def _column(self, source: str, prop: Any, required: bool) -> Column:
        prop = self.resolve(prop)
        kind = prop.get("type")
        if isinstance(kind, list):  # 3.1: ["string", "null"]
            kind = next((k for k in kind if k != "null"), "string")
        mapped = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "array": "list"}.get(
            kind or "", "dict"
        )
        enum = tuple(v for v in prop.get("enum", ()) if isinstance(v, str | int) and not isinstance(v, bool))
        name = snake(source)
        return Column(
            name=name + "_" if name in RESERVED_COLUMN_NAMES else name,
            kind=mapped,
            required=required and not prop.get("nullable", False),
            description=_one_line(prop.get("description", "")),
            fmt=str(prop.get("format", "")),
            enum=enum if mapped in ("str", "int") else (),
            minimum=prop.get("minimum"),
            maximum=prop.get("maximum"),
        )

    def _promote_path_keys(self) -> None:
        """``GET /parcels/{trackingNumber}`` returning a Parcel without an id: the tracking number is its key."""
        for path, item in (self.spec.get("paths") or {}).items():
            operation = item.get("get") if isinstance(item, dict) else None
            last = path.rstrip("/").rsplit("/", 1)[-1]
            if not isinstance(operation, dict) or not (last.startswith("{") and last.endswith("}")):
                continue
            model = self.models.get(self.ref_name(self._success_schema(operation)) or "")
            name = snake(last[1:-1])
            column = next((c for c in model.columns if c.name == name), None) if model else None
            if model is None or not model.synthetic_key or column is None or column.kind not in ("str", "int"):
                continue
            model.columns.remove(column)
            column.primary, column.required, column.enum = True, True, ()
            model.key, model.synthetic_key = column, False

    def _link_references(self) -> None:
        keys = {model.key.name: model for model in self.models.values()}
        for model in self.models.values():
            for column in model.columns:
                target = keys.get(column.name)
                if target is not None and target is not model:
                    column.refers_to = target.schema
                    column.kind = target.key.kind

    # -- operations ----------------------------------------------------------------------------------------
    def _operation(self, path: str, method: str, item: dict[str, Any], seen: set[str]) -> Operation:
        operation = item[method]
        tool = snake(operation.get("operationId") or f"{method}_{path}")[:60].rstrip("_")
        while tool in seen:
            tool += "_2"
        seen.add(tool)
        schema = self._success_schema(operation)
        listed = isinstance(schema, dict) and self.resolve(schema).get("type") == "array"
        name = self.ref_name(schema.get("items") if listed else schema)
        model = self.models.get(name or "")
        body_schema, body_name = self._body(operation)
        if model is None and body_name in self.models:
            model = self.models[body_name]
        model = model or self._model_from_path(path)
        keys = {m.key.name: m for m in self.models.values()}
        arguments: list[Argument] = []
        for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            parameter = self.resolve(parameter) if "$ref" in parameter else parameter
            if parameter.get("in") not in ("path", "query"):
                continue  # headers and cookies (auth, tracing) are not the model's to fill in
            argument = self._argument(parameter, model)
            arguments = [a for a in arguments if a.name != argument.name] + [argument]
        for source, prop in (body_schema.get("properties") or {}).items():
            column = self._column(source, prop, source in set(body_schema.get("required", [])))
            if source == "id" or (model is not None and column.name == model.key.name):
                continue  # the service makes up new ids
            if any(a.name == column.name for a in arguments):
                continue
            arguments.append(
                Argument(
                    column.name,
                    column.python_type,
                    column.required,
                    column.description or _spoken_description(column.name),
                    column=column.name if model is not None and _has_column(model, column.name) else None,
                )
            )
        action = self._action(method, path, listed, model, arguments)
        returns = {"list": f"list[{model.view}]" if model else "list[dict[str, Any]]"}.get(action, "")
        if not returns:
            returns = model.view if model is not None and action in ("get", "create", "update") else "dict[str, Any]"
        refers = [(a.name, keys[a.name]) for a in arguments if a.name in keys and keys[a.name] is not model]
        summary = _one_line(" ".join(p for p in (operation.get("summary", ""), operation.get("description", "")) if p))
        return Operation(
            tool, method, path, summary or f"{method.upper()} {path}.", arguments, model, action, returns, refers
        )

    def _body(self, operation: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        body = operation.get("requestBody")
        if not isinstance(body, dict):
            return {}, None
        body = self.resolve(body) if "$ref" in body else body
        content = body.get("content") or {}
        media = content.get("application/json") or next(iter(content.values()), None) or {}
        schema = media.get("schema") or {}
        resolved = self.resolve(schema)
        return (resolved if resolved.get("properties") else {}), self.ref_name(schema)

    def _model_from_path(self, path: str) -> Model | None:
        segments = [s for s in path.split("/") if s and not s.startswith("{")]
        for segment in reversed(segments):
            for model in self.models.values():
                if snake(segment) in (model.table, snake(model.schema)):
                    return model
        return None

    def _argument(self, parameter: dict[str, Any], model: Model | None) -> Argument:
        source = parameter["name"]
        column = self._column(source, parameter.get("schema", {}), bool(parameter.get("required")))
        name = column.name
        if model is not None and parameter.get("in") == "path" and name in ("id", f"{snake(model.schema)}_id"):
            name = model.key.name
        default = self.resolve(parameter.get("schema", {})).get("default")
        if column.kind in ("list", "dict"):
            column.kind = "str"  # a query parameter is one value here
        return Argument(
            name,
            column.python_type,
            column.required or parameter.get("in") == "path",
            _one_line(parameter.get("description", "")) or _spoken_description(name),
            column=name if model is not None and (_has_column(model, name) or name == model.key.name) else None,
            default=default if isinstance(default, str | int | float | bool) else None,
        )

    @staticmethod
    def _action(method: str, path: str, listed: bool, model: Model | None, arguments: list[Argument]) -> str:
        if model is None:
            return "other"
        by_key = any(a.name == model.key.name for a in arguments)
        if method == "get":
            return "list" if listed else ("get" if by_key else "other")
        if method == "post" and not by_key:
            return "create"
        if method in ("put", "patch") and by_key:
            return "update"
        if method == "delete" and by_key:
            return "delete"
        return "other"


def _has_column(model: Model, name: str) -> bool:
    return any(c.name == name for c in model.columns)


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def _spoken_description(name: str) -> str:
    return f"The {name.strip('_').replace('_', ' ')}."


# -- writing the package -------------------------------------------------------------------------------------
def openapi_files(target: Target, spec_path: Path) -> tuple[dict[Path, str], list[str], str]:
    """The package files for a spec: (files by path, tool names, what it is modeled on)."""
    spec = load_spec(spec_path)
    mapper = Mapper(spec)
    mapper.map()
    if not mapper.operations:
        raise OpenAPIError("at /paths: the spec has no operations to make tools of")
    info = spec.get("info", {})
    title = _one_line(info.get("title", target.title))
    description = _one_line(info.get("description", "")) or f"{title}."
    description += " Policy: TODO(author): the service's rules, as the agent should know them."
    values = {"env_id": target.env_id, "title": title, "spec": spec_path.name}
    files = {
        target.package_dir / "models.py": _models_module(mapper, values),
        target.package_dir / "seed.py": _seed_module(mapper, values),
        target.package_dir / "tools.py": _tools_module(mapper, values),
        target.package_dir / "synthesis.py": render(template("openapi_synthesis.py"), values),
        target.package_dir / "stories.py": render(template("openapi_stories.py"), values),
    }
    files |= package_files(target, description, title, with_stories=True)
    test_text = render(template("openapi_test_module.py"), {"spec": spec_path.name}, strict=False)
    files[target.test_path] = test_module(target, test_text)
    return files, [op.tool for op in mapper.operations], title


_HEADER = (
    '"""{doc}\n\nGenerated by `envfactory new --from-openapi {spec}`: yours to change.\n"""\n\n'
    "from __future__ import annotations\n"
)


def _doc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _models_module(mapper: Mapper, values: dict[str, str]) -> str:
    lines = [
        _HEADER.format(
            doc=f"State: the tables of {_doc(values['title'])}, one per resource the API returns.", **values
        ),
        "from sqlalchemy import JSON, Boolean, Float, Integer, String",
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
        "",
        "from envfactory_gym.authoring import ServiceClockMixin",
        "",
        "",
        "class Base(DeclarativeBase):",
        "    pass",
        "",
        "",
        "class ServiceClock(ServiceClockMixin, Base):",
        '    """The simulated "now" (one row): tools read it as ``ctx.now``."""',
    ]
    sql = {"str": "String", "int": "Integer", "float": "Float", "bool": "Boolean", "list": "JSON", "dict": "JSON"}
    for model in mapper.models.values():
        lines += ["", "", f"class {model.class_name}(Base):"]
        if model.description:
            lines.append(f'    """{_doc(model.description)}"""')
            lines.append("")
        lines.append(f'    __tablename__ = "{model.table}"')
        key = model.key
        key_type = "Mapped[int]" if key.kind == "int" else "Mapped[str]"
        lines.append(
            f'    {key.name}: {key_type} = mapped_column({sql[key.kind]}, primary_key=True, info={{"generated": True}})'
        )
        for column in model.columns:
            python = {"list": "list[Any]", "dict": "dict[str, Any]"}.get(column.kind, column.kind)
            nullable = "" if column.required else " | None"
            lines.append(f"    {column.name}: Mapped[{python}{nullable}] = mapped_column({sql[column.kind]})")
    text = "\n".join(lines) + "\n"
    if "Any]" in text:
        text = text.replace("from sqlalchemy import", "from typing import Any\n\nfrom sqlalchemy import", 1)
    return _drop_unused_sqlalchemy_types(text)


def _drop_unused_sqlalchemy_types(text: str) -> str:
    names = ["JSON", "Boolean", "Float", "Integer", "String"]
    body = text.split("from sqlalchemy.orm import", 1)[1]
    used = [n for n in names if f"({n}" in body]
    return text.replace(
        "from sqlalchemy import JSON, Boolean, Float, Integer, String", f"from sqlalchemy import {', '.join(used)}"
    )


_DATE = "fake.date_between(A_YEAR_AGO.date(), NOW.date()).isoformat()"
_TIMESTAMP = 'fake.date_time_between(A_YEAR_AGO, NOW).isoformat(timespec="seconds")'


def _seed_value(column: Column, model: Model) -> str:
    """A Faker or rng expression for a plausible value of the column."""
    name = column.name
    if column.refers_to is not None:
        return f"rng.choice(keys[{json.dumps(column.refers_to)}])"
    if column.enum:
        return f"rng.choice({json.dumps(list(column.enum))})"
    if column.kind == "bool":
        return "rng.random() < 0.5"
    if column.kind in ("int", "float"):
        low = int(column.minimum) if column.minimum is not None else (1900 if "year" in name else 0)
        high = int(column.maximum) if column.maximum is not None else max(low + 1, 2024 if "year" in name else 500)
        if column.kind == "int":
            return f"rng.randint({low}, {high})"
        return f"round(rng.uniform({low}, {high}), 2)"
    if column.kind == "list":
        return "fake.words(nb=rng.randint(0, 3))"
    if column.kind == "dict":
        return "{}"
    by_format = {
        "date": _DATE,
        "date-time": _TIMESTAMP,
        "email": "fake.email()",
        "uuid": "fake.uuid4()",
        "uri": "fake.url()",
        "url": "fake.url()",
        "hostname": "fake.hostname()",
        "ipv4": "fake.ipv4()",
        "phone": "fake.phone_number()",
    }
    if column.fmt in by_format:
        return by_format[column.fmt]
    by_name = (
        (("email",), "fake.email()"),
        (("phone", "telephone", "mobile"), "fake.phone_number()"),
        (("first_name",), "fake.first_name()"),
        (("last_name", "surname"), "fake.last_name()"),
        (("username", "login"), "fake.user_name()"),
        (("city",), "fake.city()"),
        (("country",), "fake.country()"),
        (("street", "address"), "fake.street_address()"),
        (("zip", "postal", "postcode"), "fake.postcode()"),
        (("company", "organization", "publisher"), "fake.company()"),
        (("url", "website", "link"), "fake.url()"),
        (("isbn",), "fake.isbn13()"),
        (("color", "colour"), "fake.color_name()"),
        (("title", "subject", "headline"), 'fake.sentence(nb_words=4).rstrip(".")'),
        (("description", "notes", "comment", "summary", "bio"), "fake.sentence(nb_words=10)"),
        (("author", "owner_name", "full_name", "contact"), "fake.name()"),
        (("date",), _DATE),
        (("time", "_at"), _TIMESTAMP),
        (("code", "number", "tracking"), "fake.bothify('??#####').upper()"),
        (("status", "state"), "rng.choice(['active', 'pending', 'closed'])"),
    )
    for words, expression in by_name:
        if any(word in name for word in words):
            return expression
    if "name" in name:
        people = ("people", "persons", "users", "owners", "customers", "members", "patients", "borrowers")
        if model.table in people:
            return "fake.name()"
        return "fake.first_name()" if model.table in ("pets", "animals", "dogs", "cats") else "fake.word().capitalize()"
    return "fake.word()"


def _seed_module(mapper: Mapper, values: dict[str, str]) -> str:
    order = _seed_order(list(mapper.models.values()))
    lines = [
        _HEADER.format(
            doc=(
                f"The seeded state of {_doc(values['title'])}: {ROWS_PER_MODEL} rows per table, drawn from the "
                "properties'\ntypes, formats and names with Faker (seeded: one seed, one state)."
            ),
            **values,
        ),
        "import datetime as dt",
        "from typing import Any",
        "",
        "from sqlalchemy.orm import Session",
        "",
        "from envfactory_gym.authoring import SeedData",
        "",
        "from .definition import env",
        f"from .models import {', '.join(sorted(['ServiceClock', *(m.class_name for m in order)]))}",
        "",
        "NOW = dt.datetime(2024, 5, 15, 9, 0, 0)",
        "A_YEAR_AGO = NOW - dt.timedelta(days=365)",
        f"ROWS = {ROWS_PER_MODEL}",
        "",
        "",
        "def sometimes(rng: Any, value: Any) -> Any:",
        '    """A value nine rows in ten have; the others leave the column empty (the spec does not require it)."""',
        "    return value if rng.random() < 0.9 else None",
        "",
        "",
        "@env.seed",
        "def seed(db: Session, data: SeedData) -> None:",
        "    # TODO(author): your service's own tables (names, catalogues, prices) read better than Faker's words.",
        "    rng, fake = data.rng, data.fake",
        "    db.add(ServiceClock(id=1, now=NOW.isoformat()))",
        "    keys: dict[str, list[Any]] = {}",
    ]
    for model in order:
        key = model.key
        key_value = (
            "number"
            if key.kind == "int"
            else ("fake.uuid4()" if key.fmt == "uuid" else f'f"{model.class_name[:3].upper()}{{number:04d}}"')
        )
        counter = "number" if "number" in key_value else "_"
        lines += [
            f"    for {counter} in range(1, ROWS + 1):",
            f"        row = {model.class_name}(",
            f"            {key.name}={key_value},",
        ]
        for column in model.columns:
            value = _seed_value(column, model)
            if not column.required and column.refers_to is None and column.kind not in ("list", "dict"):
                value = f"sometimes(rng, {value})"
            lines.append(f"            {column.name}={value},")
        lines += [
            "        )",
            "        db.add(row)",
            f"        keys.setdefault({json.dumps(model.schema)}, []).append(row.{key.name})",
        ]
    return "\n".join(lines) + "\n"


def _seed_order(models: list[Model]) -> list[Model]:
    """Models whose rows others refer to come first."""
    ordered: list[Model] = []
    pending = list(models)
    while pending:
        ready = [
            m for m in pending if all(c.refers_to in {o.schema for o in ordered} for c in m.columns if c.refers_to)
        ]
        chosen = ready[0] if ready else pending[0]
        if not ready:  # a circle of references: break it by not linking this model's columns
            for column in chosen.columns:
                column.refers_to = None
        ordered.append(chosen)
        pending.remove(chosen)
    return ordered


def _tools_module(mapper: Mapper, values: dict[str, str]) -> str:
    lines = [
        _HEADER.format(
            doc=(
                f"The tools of {_doc(values['title'])}, one per operation of the spec: GET operations read, the others "
                "write.\n\nOperations that read, list, create, update or delete one resource work on the state; the "
                "others refuse\nuntil written. TODO(author): add the service's business rules, and raise DomainError "
                "with a message\na person understands when one is broken."
            ),
            **values,
        ),
        "from typing import Any, Literal",
        "",
        "from typing_extensions import TypedDict",
        "",
        "from envfactory_gym.authoring import ToolContext",
        "from envfactory_gym.errors import DomainError",
        "",
        "from .definition import env",
    ]
    used_models = sorted({m.class_name for m in mapper.models.values()})
    if used_models:
        lines.append(f"from .models import {', '.join(used_models)}")
    lines.append("")
    lines.append(f"MAX_PAGE = {MAX_PAGE}")
    for model in mapper.models.values():
        lines += ["", "", f"class {model.view}(TypedDict):"]
        key_type = "int" if model.key.kind == "int" else "str"
        lines.append(f"    {model.key.name}: {key_type}")
        for column in model.columns:
            python = {"list": "list[Any]", "dict": "dict[str, Any]"}.get(column.kind, column.kind)
            lines.append(f"    {column.name}: {python}{'' if column.required else ' | None'}")
    for operation in mapper.operations:
        lines += ["", "", *_tool(operation)]
    text = "\n".join(lines) + "\n"
    if "Literal[" not in text.split("from .definition import env", 1)[1]:
        text = text.replace("from typing import Any, Literal", "from typing import Any")
    if "TypedDict)" not in text:
        text = text.replace("from typing_extensions import TypedDict\n\n", "")
    return text


def _signature(argument: Argument) -> str:
    if argument.required:
        return f"{argument.name}: {argument.annotation}"
    if argument.default is not None:
        return f"{argument.name}: {argument.annotation} = {argument.default!r}"
    return f"{argument.name}: {argument.annotation} | None = None"


def _tool(operation: Operation) -> list[str]:
    kind = "read" if operation.method == "get" else "write"
    arguments = sorted(operation.arguments, key=lambda a: not a.required or a.default is not None)
    summary = re.sub(r"[{}]", "", operation.summary).rstrip(".").lower()  # braces would be placeholders
    words = _first_words(summary, 60) or operation.tool.replace("_", " ")
    required = [a.name for a in arguments if a.required]
    intent = " ".join([words, *(f"{{{name}}}" for name in required[:2])])
    lines = ["# TODO(author): intents say how a person asks for this, with {placeholders} for the arguments."]
    lines.append(f"@env.{kind}(intents=[{json.dumps(intent)}])")
    parameters = ", ".join(["ctx: ToolContext", *(_signature(a) for a in arguments)])
    signature = f"def {operation.tool}({parameters}) -> {operation.returns}:"
    if len(signature) > 116:
        lines.append(f"def {operation.tool}(")
        lines += [f"    {part}," for part in ["ctx: ToolContext", *(_signature(a) for a in arguments)]]
        lines.append(f") -> {operation.returns}:")
    else:
        lines.append(signature)
    lines.append(f'    """{_doc(_wrap_doc(operation.summary, 4))}')
    if arguments:
        lines += ["", "    Args:"]
        for argument in arguments:
            text = _wrap_doc(argument.description, 12, first=10 + len(argument.name))
            lines.append(f"        {argument.name}: {_doc(text)}")
    lines.append('    """')
    lines += ["    " + line if line else "" for line in _body(operation)]
    return lines


def _first_words(text: str, limit: int) -> str:
    """The words of ``text`` that fit in ``limit`` characters (never half a word)."""
    kept = ""
    for word in text.split():
        if len(kept) + len(word) + 1 > limit:
            break
        kept = f"{kept} {word}".strip()
    return kept


def _wrap_doc(text: str, indent: int, width: int = 116, first: int = 7) -> str:
    """Docstring text wrapped to ``width``; the first line starts after ``first`` characters."""
    words, lines, current = text.split(), [], ""
    for word in words:
        room = width - (first if not lines else indent)
        if current and len(current) + len(word) + 1 > room:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return ("\n" + " " * indent).join(lines)


def _body(operation: Operation) -> list[str]:
    model = operation.model
    lines = [f"# {operation.method.upper()} {operation.path}"]
    for name, other in operation.refers:
        guard = f"if {name} is not None:" if not _required(operation, name) else ""
        check = f'ctx.rows({other.class_name}).require({name}, missing=f"No {other.schema.lower()} {{{name}}}.")'
        lines += [guard, f"    {check}"] if guard else [check]
    if model is None or operation.action == "other":
        lines += [
            "# TODO(author): what this operation does to the state, and the rules it follows.",
            f'raise DomainError("{operation.tool.replace("_", " ").capitalize()} is not available yet.")',
        ]
        return lines
    rows = f"ctx.rows({model.class_name})"
    key = model.key.name
    missing = f'missing=f"No {model.schema.lower()} {{{key}}}."'
    columns = [a for a in operation.arguments if a.column and a.column != key]
    if operation.action == "get":
        lines += [
            "# TODO(author): who may see it.",
            f"_row = {rows}.require({key}, {missing})",
            "return _row  # type: ignore[return-value]",
        ]
    elif operation.action == "list":
        limit = next((a.name for a in operation.arguments if a.name in ("limit", "page_size", "per_page")), None)
        offset = next((a.name for a in operation.arguments if a.name in ("offset", "skip")), None)
        filters = [a for a in columns if a.name not in (limit, offset)]
        lines.append("_where: dict[str, Any] = {}")
        for argument in filters:
            if argument.required:
                lines.append(f"_where[{json.dumps(argument.column)}] = {argument.name}")
            else:
                lines += [
                    f"if {argument.name} is not None:",
                    f"    _where[{json.dumps(argument.column)}] = {argument.name}",
                ]
        if limit:
            lines += [
                f"_size = MAX_PAGE if {limit} is None else {limit}",
                "if not 1 <= _size <= MAX_PAGE:",
                f'    raise DomainError(f"{limit} must be between 1 and {{MAX_PAGE}}.")',
            ]
        else:
            lines.append("_size = MAX_PAGE  # lists stay bounded")
        start = "0"
        if offset:
            lines += [
                f"if {offset} is not None and {offset} < 0:",
                f'    raise DomainError("{offset} must be at least 0.")',
            ]
            start = f"{offset} or 0"
        lines.append(f"_found = {rows}.find(_where, order_by={json.dumps(key)}, limit=_size, offset={start})")
        lines.append("return _found  # type: ignore[return-value]")
    elif operation.action == "create":
        lines.append("# TODO(author): the rules a new one must meet (uniqueness, limits, permissions).")
        if model.key.kind == "int":
            lines.append(
                f'_new_key = int(ctx.query("SELECT COALESCE(MAX({key}), 0) + 1 AS n FROM {model.table}")[0]["n"])'
            )
        else:
            lines.append("_new_key = ctx.new_id(8)")
        values = ", ".join([f"{key}=_new_key", *(f"{a.column}={a.name}" for a in columns)])
        missing_required = [c.name for c in model.columns if c.required and c.name not in {a.column for a in columns}]
        if missing_required:
            lines.append(
                f"# TODO(author): the spec's body leaves these required columns unset: {', '.join(missing_required)}."
            )
            values += ", " + ", ".join(f"{name}={_placeholder(model, name)}" for name in missing_required)
        lines += [f"_row = {rows}.insert(", *(f"    {v}," for v in values.split(", ")), ")"]
        lines.append("return _row  # type: ignore[return-value]")
    elif operation.action == "update":
        lines.append(f"_current = {rows}.require({key}, {missing})")
        lines.append("# TODO(author): which changes are allowed, and when.")
        lines.append("_changes: dict[str, Any] = {}")
        for argument in columns:
            if argument.required:
                lines.append(f"_changes[{json.dumps(argument.column)}] = {argument.name}")
            else:  # left out: unchanged (a required column is never set to null)
                lines += [
                    f"if {argument.name} is not None:",
                    f"    _changes[{json.dumps(argument.column)}] = {argument.name}",
                ]
        lines += [
            "if not _changes:",
            '    raise DomainError("Nothing to change: give at least one new value.")',
            f"{rows}.update({key}, **_changes)",
            "return {**_current, **_changes}  # type: ignore[return-value]",
        ]
    elif operation.action == "delete":
        lines += [
            f"{rows}.require({key}, {missing})",
            "# TODO(author): when it may not be deleted.",
            f"{rows}.delete({key})",
            f'return {{"deleted": {key}}}',
        ]
    return lines


def _required(operation: Operation, name: str) -> bool:
    return any(a.name == name and a.required for a in operation.arguments)


def _placeholder(model: Model, name: str) -> str:
    column = next(c for c in model.columns if c.name == name)
    if column.enum:
        return json.dumps(column.enum[0])
    return {"str": '""', "int": "0", "float": "0.0", "bool": "False", "list": "[]", "dict": "{}"}[column.kind]
