"""The apps' import layering (docs/architecture.md): a module may import its own app and the apps below
it, never one above. Read from the source with `ast`, function-local imports included, so an import that
goes up the layers fails here rather than as a cycle at start-up."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. ita_portal's helpers (thai, forms, charts, tables, template tags…) are below every app;
# the project's wiring (settings, root URLs, WSGI/ASGI) is above them all.
LAYERS = [
    "ita_portal", "units", "notifications", "assessments", "measures", "interchange", "reports", "dashboards", "demo",
    "project",
]  # fmt: skip
PROJECT_MODULES = {"ita_portal.settings", "ita_portal.urls", "ita_portal.wsgi", "ita_portal.asgi"}
RANK = {name: rank for rank, name in enumerate(LAYERS)}
# Functions allowed over 60 lines: data written out as code (the national generator's tables) and
# benchmarks. Everything else is split.
LONG_FUNCTION_LIMIT = 60


def layer_of(module: str) -> str | None:
    if module in PROJECT_MODULES or module.split(".")[0] == "manage":
        return "project"
    top = module.split(".")[0]
    return top if top in RANK else None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every import in the tree, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def upward_imports(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Imports going up the layers, from {module: (source, is_package)}."""
    problems = []
    for module, (source, is_package) in sorted(sources.items()):
        own = layer_of(module)
        if own is None:
            continue
        for line, target in imported_modules(ast.parse(source), module, is_package):
            other = layer_of(target)
            if other is not None and RANK[other] > RANK[own]:
                problems.append(f"{module}:{line} imports {target} ({own} is below {other})")
    return problems


def project_sources() -> dict[str, tuple[str, bool]]:
    sources = {}
    for top in LAYERS[:-1]:
        for path in (ROOT / top).rglob("*.py"):
            sources[module_name(path)] = (path.read_text(encoding="utf-8"), path.name == "__init__.py")
    return sources


def test_no_import_goes_up_the_layers():
    sources = project_sources()
    assert "demo.management.commands.load_demo" in sources and "ita_portal.charts" in sources
    assert upward_imports(sources) == []


def test_every_app_of_the_project_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps and apps <= set(LAYERS), apps - set(LAYERS)


def test_an_upward_import_is_caught_even_inside_a_function():
    sources = {
        "units.views": ("def page(request):\n    from measures.models import Plan\n", False),
        "assessments.views": ("from dashboards import charts\n", False),
        "measures.forms": ("from .models import Measure\nfrom assessments.models import Framework\n", False),
        "ita_portal.thai": ("from ita_portal import text\n", False),
        "ita_portal.urls": ("from dashboards import views\n", False),
    }
    assert upward_imports(sources) == [
        "assessments.views:1 imports dashboards (assessments is below dashboards)",
        "units.views:2 imports measures.models (units is below measures)",
    ]


def long_functions(source: str) -> list[tuple[str, int]]:
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= LONG_FUNCTION_LIMIT
    ]


def test_no_long_function_in_the_dashboards_and_charts():
    paths = [*(ROOT / "dashboards").rglob("*.py"), ROOT / "ita_portal" / "charts.py", *(ROOT / "demo").rglob("*.py")]
    found = {
        f"{path.relative_to(ROOT)}:{name}": length
        for path in paths
        if "bench" not in path.name and "migrations" not in path.parts
        for name, length in long_functions(path.read_text(encoding="utf-8"))
    }
    assert found == {}
    assert long_functions("def f():\n" + "    x = 1\n" * 60) == [("f", 61)]
