"""The layout of the code follows the life cycle: each app imports only the apps below it, `core`
imports none, nothing imports `demo`, plain rules import no Django, and no module imports itself back
through others. Read from the code's own imports (grimp), so a new import that breaks the order fails
here, naming the modules (docs/architecture.md explains the order and its two upward channels)."""

from __future__ import annotations

import grimp
import pytest

# Bottom to top. An app may import the apps before it in this list, never one after it.
ORDER = [
    "core",
    "accounts",
    "organisations",
    "programme",
    "calls",
    "applications",
    "integrity",
    "selection",
    "projects",
    "reporting",
    "verification",
    "payments",
    "declarations",
    "evaluation",
    "dashboard",
    "annual_reports",
    "audit",
    "sampling",
    "public",
    "home",
    "demo",
]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("amis", include_external_packages=True)


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "amis" and parts[1] in ORDER else None


def _runtime(module: str) -> bool:
    """Tests and migrations are not part of an app's runtime dependencies (tests may use the demo)."""
    return ".tests" not in module and ".migrations" not in module


def _app_imports(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    found = []
    for module in sorted(graph.modules):
        app = _app(module)
        if app is None or not _runtime(module):
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            target = _app(imported)
            if target is not None and target != app:
                found.append((module, imported))
    return found


def test_apps_import_only_the_apps_below_them(graph: grimp.ImportGraph) -> None:
    upward = [
        f"{module} imports {imported}"
        for module, imported in _app_imports(graph)
        if ORDER.index(_app(imported) or "") > ORDER.index(_app(module) or "")
    ]
    assert upward == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("core", "accounts"),
        ("core", "calls"),
        ("accounts", "organisations"),
        ("calls", "applications"),
        ("calls", "selection"),
        ("applications", "selection"),
        ("applications", "integrity"),
        ("applications", "projects"),
        ("integrity", "selection"),
        ("selection", "projects"),
        ("calls", "demo"),
        ("selection", "demo"),
        ("projects", "demo"),
        ("projects", "home"),
        ("projects", "reporting"),
        ("reporting", "home"),
        ("home", "demo"),
    ],
)
def test_forbidden_pairs(graph: grimp.ImportGraph, importer: str, imported: str) -> None:
    """The pairs the issue names, spelt out: each answer names the import chain that breaks it."""
    chains = graph.find_shortest_chains(
        importer=f"amis.{importer}", imported=f"amis.{imported}", as_packages=True
    )
    runtime = sorted(" -> ".join(chain) for chain in chains if all(_runtime(m) for m in chain))
    assert runtime == []


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    """No import circles: every strongly connected set of modules is one module."""
    modules = {m for m in graph.modules if m.startswith("amis.")}
    edges = {m: [i for i in graph.find_modules_directly_imported_by(m) if i in modules] for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative (no recursion limit)
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    circles.append(sorted(members))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    assert circles == []


def test_plain_rules_import_no_django(graph: grimp.ImportGraph) -> None:
    """`rules` modules are pure Python (hypothesis tests them without a database)."""
    rules = sorted(m for m in graph.modules if m.startswith("amis.") and (".rules" in m) and _runtime(m))
    assert {"amis.applications.rules", "amis.selection.rules", "amis.integrity.rules.match"} <= set(rules)
    with_django = [
        f"{m} imports {i}" for m in rules for i in graph.find_modules_directly_imported_by(m) if i == "django"
    ]
    assert with_django == []


def test_the_detector_sees_the_allowed_imports() -> None:
    """The check above is not vacuous: the graph does hold the imports that are allowed."""
    graph = grimp.build_graph("amis")
    assert graph.direct_import_exists(
        importer="amis.selection.services.ranking", imported="amis.integrity.selectors"
    )
    assert graph.find_shortest_chains(importer="amis.demo", imported="amis.selection", as_packages=True)
