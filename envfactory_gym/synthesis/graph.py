"""The tool dependency graph: an edge runs from a tool's output field to another tool's input parameter.

Fields and parameters are linked by name and compatible JSON type (the authoring contract: a parameter
is named exactly like the column and output field it refers to). Output fields are collected from the
tool's derived output schema at any depth — ``reservations[].reservation_id`` provides
``reservation_id`` — and so are the properties of object and array parameters (``flights[].flight_number``
consumes ``flight_number``). Edges may cross environments: that is how cross-environment tasks chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from envfactory_gym.authoring import EnvironmentDefinition, ToolSpec

_SCALAR_TYPES = {"string", "integer", "number", "boolean"}


@dataclass(frozen=True)
class Field:
    name: str
    json_type: str
    path: str


def id_alias(plural: str) -> str:
    """The id field a list named ``plural`` holds: reservations -> reservation_id."""
    return plural[:-1] + "_id"


def _types(schema: dict[str, Any]) -> set[str]:
    if "type" in schema:
        kind = schema["type"]
        return set(kind) if isinstance(kind, list) else {kind}
    found: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found |= _types(option)
    return found


def schema_fields(schema: dict[str, Any], path: str = "", depth: int = 0) -> Iterator[Field]:
    """Every named scalar field of a JSON schema, with its path (``a.b[].c``)."""
    if depth > 6 or not isinstance(schema, dict):
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from schema_fields(option, path, depth + 1)
    kinds = _types(schema)
    if "object" in kinds or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            sub_path = f"{path}.{name}" if path else name
            sub_kinds = _types(sub) - {"null"}
            for kind in sub_kinds & _SCALAR_TYPES:
                yield Field(name, kind, sub_path)
            yield from schema_fields(sub, sub_path, depth + 1)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            yield from schema_fields(extra, f"{path}.*", depth + 1)
    if "array" in kinds and isinstance(schema.get("items"), dict):
        items = schema["items"]
        # A list of plain ids named after the entity ("reservations": ["8JX2WO", ...]) provides "reservation_id".
        leaf = path.rsplit(".", 1)[-1]
        if leaf.endswith("s") and _types(items) & {"string", "integer"} and not items.get("properties"):
            yield Field(id_alias(leaf), "string" if "string" in _types(items) else "integer", f"{path}[]")
        yield from schema_fields(items, f"{path}[]", depth + 1)


def input_fields(spec: ToolSpec) -> list[Field]:
    fields = []
    for name, sub in spec.parameters.get("properties", {}).items():
        for kind in (_types(sub) - {"null"}) & _SCALAR_TYPES:
            fields.append(Field(name, kind, name))
        items = sub.get("items") if isinstance(sub.get("items"), dict) else None
        if "array" in _types(sub) and items is not None and (_types(items) & _SCALAR_TYPES):
            # A list of scalar ids: each item is a value of the field the list is named after.
            fields.append(Field(name, sorted(_types(items) & _SCALAR_TYPES)[0], f"{name}[]"))
        fields.extend(schema_fields(sub, name))
    return fields


def output_fields(spec: ToolSpec) -> list[Field]:
    schema = spec.output_schema
    fields = list(schema_fields(schema))
    return fields


def _compatible(a: str, b: str) -> bool:
    return a == b or {a, b} == {"integer", "number"}


def node_id(env_id: str, tool: str) -> str:
    return f"{env_id}.{tool}"


def build_graph(definitions: Iterable[EnvironmentDefinition]) -> nx.MultiDiGraph:
    """Nodes are ``env.tool``; an edge producer → consumer carries the field name and both paths."""
    graph = nx.MultiDiGraph()
    specs = [(d, s) for d in definitions for s in d.tools.values()]
    for definition, spec in specs:
        graph.add_node(
            node_id(definition.env_id, spec.name),
            env_id=definition.env_id,
            tool=spec.name,
            kind=spec.kind,
            n_params=len(spec.arg_names),
        )
    from envfactory_gym.synthesis.knowledge import name_candidates

    consumers: dict[str, list[tuple[str, Field]]] = {}
    for definition, spec in specs:
        for field in input_fields(spec):
            # from_stop_id consumes stop_id; passenger_ids consumes passenger_id.
            for alias in name_candidates(field.name):
                consumers.setdefault(alias, []).append((node_id(definition.env_id, spec.name), field))
    for definition, spec in specs:
        producer = node_id(definition.env_id, spec.name)
        seen: set[tuple[str, str]] = set()
        for field in output_fields(spec):
            for consumer, param in consumers.get(field.name, []):
                if consumer == producer or not _compatible(field.json_type, param.json_type):
                    continue
                if (consumer, param.path) in seen:
                    continue
                seen.add((consumer, param.path))
                graph.add_edge(producer, consumer, field=field.name, output_path=field.path, input_path=param.path)
    return graph


def producers_of(graph: nx.MultiDiGraph, consumer: str, field: str) -> list[str]:
    """Tools whose output provides ``field`` to ``consumer`` (read tools first)."""
    found = {u for u, _, data in graph.in_edges(consumer, data=True) if data["field"] == field}
    return sorted(found, key=lambda n: (graph.nodes[n]["kind"] != "read", n))


def providers_of_field(graph: nx.MultiDiGraph, field: str) -> list[str]:
    """Every tool whose output has a field of this name (whether or not any consumer is linked yet)."""
    return sorted({u for u, _, data in graph.edges(data=True) if data["field"] == field})


def export_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path)
    return path


#: The PNG is at most this many pixels on a side (figure inches × dpi).
MAX_PNG_PIXELS = 4000
#: Edge labels (field names) are drawn only on graphs with at most this many producer → consumer pairs.
MAX_LABELLED_EDGES = 60
EDGE_EXPLANATION = "edge = an output field feeding a parameter; see the GraphML for field names"
_KIND_COLORS = {"write": "#f28e2b", "read": "#4e79a7"}


def _cluster_layout(graph: nx.DiGraph, env_of: dict[str, str]) -> dict[str, tuple[float, float]]:
    """One small circle of tools per environment, the environments themselves around a large circle."""
    import math

    envs = sorted(set(env_of.values()))
    members = {env: sorted(n for n in graph if env_of[n] == env) for env in envs}
    if len(envs) == 1:
        return {n: (float(x), float(y)) for n, (x, y) in nx.circular_layout(members[envs[0]]).items()}
    radii = {env: 0.35 * math.sqrt(len(nodes)) for env, nodes in members.items()}
    # Space the cluster centres so that neighbouring clusters do not overlap.
    big = max(1.0, sum(2.4 * r for r in radii.values()) / (2 * math.pi))
    layout: dict[str, tuple[float, float]] = {}
    for index, env in enumerate(envs):
        angle = 2 * math.pi * index / len(envs)
        cx, cy = big * math.cos(angle), big * math.sin(angle)
        nodes = members[env]
        for k, node in enumerate(nodes):
            theta = 2 * math.pi * k / max(1, len(nodes))
            layout[node] = (cx + radii[env] * math.cos(theta), cy + radii[env] * math.sin(theta))
    return layout


def draw_png(
    graph: nx.MultiDiGraph,
    path: str | Path,
    title: str = "",
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Draw the graph with matplotlib's Agg backend into a PNG of at most ``MAX_PNG_PIXELS`` a side.

    One environment: tools on a circle, write tools orange and read tools blue, field names on the edges
    when there are few of them (``MAX_LABELLED_EDGES``). Several environments (a domain): one cluster per
    environment, colored by environment, write tools as squares, and no edge labels.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    def step(message: str) -> None:
        if progress is not None:
            progress(message)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    step("laying out")
    simple = nx.DiGraph(graph)
    env_of = {n: graph.nodes[n]["env_id"] for n in simple}
    envs = sorted(set(env_of.values()))
    multi_env = len(envs) > 1
    n_nodes = len(simple)
    inches = min(20.0, max(10.0, 6.0 + 0.1 * n_nodes))
    dpi = max(72, min(125, int(MAX_PNG_PIXELS / inches)))
    figure, axes = plt.subplots(figsize=(inches, inches))
    layout = _cluster_layout(simple, env_of)
    node_size = 500 if n_nodes <= 30 else 220
    font_size = 9 if n_nodes <= 30 else 6

    step(f"drawing {n_nodes} tools")
    handles: list[Line2D] = []
    if multi_env:
        palette = plt.get_cmap("tab20" if len(envs) > 10 else "tab10")
        # tab20 pairs dark and light shades: take the dark ones first so neighbours in the legend differ.
        order = [*range(0, palette.N, 2), *range(1, palette.N, 2)] if palette.N == 20 else list(range(palette.N))
        env_color = {env: palette(order[i % len(order)]) for i, env in enumerate(envs)}
        for kind, shape in (("read", "o"), ("write", "s")):
            nodes = [n for n in simple if graph.nodes[n]["kind"] == kind]
            nx.draw_networkx_nodes(
                simple,
                layout,
                nodelist=nodes,
                ax=axes,
                node_color=[env_color[env_of[n]] for n in nodes],
                node_shape=shape,
                node_size=node_size,
                alpha=0.95,
            )
        handles += [
            Line2D([], [], marker="o", linestyle="", color=env_color[env], markersize=9, label=env) for env in envs
        ]
        handles += [
            Line2D([], [], marker="o", linestyle="", color="#777777", markersize=8, label="read tool"),
            Line2D([], [], marker="s", linestyle="", color="#777777", markersize=8, label="write tool"),
        ]
    else:
        nx.draw_networkx_nodes(
            simple,
            layout,
            ax=axes,
            node_color=[_KIND_COLORS.get(graph.nodes[n]["kind"], "#4e79a7") for n in simple],
            node_size=node_size,
            alpha=0.9,
        )
        handles += [
            Line2D([], [], marker="o", linestyle="", color=color, markersize=9, label=f"{kind} tool")
            for kind, color in _KIND_COLORS.items()
        ]

    step(f"drawing {simple.number_of_edges()} edges")
    within = [(u, v) for u, v in simple.edges if env_of[u] == env_of[v]]
    across = [(u, v) for u, v in simple.edges if env_of[u] != env_of[v]]
    many = simple.number_of_edges() > 300
    edge_style = {"arrowsize": 6 if many else 10, "node_size": node_size, "width": 0.4 if many else 0.9}
    nx.draw_networkx_edges(
        simple,
        layout,
        edgelist=within,
        ax=axes,
        edge_color="#9a9a9a",
        alpha=0.5 if many else 0.8,
        connectionstyle="arc3,rad=0.08",
        **edge_style,
    )
    if across:
        nx.draw_networkx_edges(
            simple,
            layout,
            edgelist=across,
            ax=axes,
            edge_color="#b07aa1",
            alpha=0.25 if many else 0.6,
            connectionstyle="arc3,rad=0.15",
            **edge_style,
        )
    handles.append(Line2D([], [], color="#9a9a9a", label="edge within an environment"))
    if across:
        handles.append(Line2D([], [], color="#b07aa1", label="edge across environments"))

    labels = {n: graph.nodes[n]["tool"] for n in simple}
    nx.draw_networkx_labels(
        simple,
        layout,
        labels=labels,
        font_size=font_size,
        ax=axes,
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7},
    )

    labelled = not multi_env and simple.number_of_edges() <= MAX_LABELLED_EDGES
    if labelled:

        def short(fields: set[str]) -> str:
            ordered = sorted(fields)
            return ", ".join(ordered[:2]) + (f" +{len(ordered) - 2}" if len(ordered) > 2 else "")

        edge_labels = {(u, v): short({d["field"] for d in graph.get_edge_data(u, v).values()}) for u, v in simple.edges}
        nx.draw_networkx_edge_labels(simple, layout, edge_labels=edge_labels, font_size=7, ax=axes, alpha=0.8)
        note = "edge label = the output field(s) feeding a parameter"
    else:
        note = EDGE_EXPLANATION
    axes.set_title(
        f"{title or 'tool dependency graph'}\n{n_nodes} tools, {graph.number_of_edges()} field links "
        f"({simple.number_of_edges()} producer → consumer pairs)",
        fontsize=13,
    )
    axes.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        fontsize=9,
        framealpha=0.85,
        ncol=2 if len(handles) > 12 else 1,
    )
    axes.text(0.5, -0.01, note, transform=axes.transAxes, ha="center", va="top", fontsize=10, color="#444444")
    axes.axis("off")
    axes.margins(0.08)
    figure.tight_layout()
    step("writing PNG")
    figure.savefig(path, dpi=dpi)
    plt.close(figure)
    return path
