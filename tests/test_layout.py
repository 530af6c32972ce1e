"""The layout's rules, measured on the source with `ast`: each check fails on the violation it names.

Imports are read from every module of the project (store, agents, api, evals and the top-level
modules), including imports inside functions, so a lazy import cannot hide a cycle; only
`if TYPE_CHECKING:` blocks are skipped, since they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("store", "agents", "api", "evals")
MAX_TOP_LEVEL_MODULES = 6
MAX_LINES = 320
AGENT_SUBPACKAGES = ("nodes", "llm", "grounding", "offline")


def top_level_modules() -> list[Path]:
    return sorted(ROOT.glob("*.py"))


def project_files() -> list[Path]:
    files = top_level_modules()
    for package in PACKAGES:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of the nodes inside `if TYPE_CHECKING:` blocks."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def imported_names(path: Path, root: Path = ROOT) -> Iterator[str]:
    """Every module name an import statement in `path` can load (`from a import b` yields a and a.b)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """Project module -> the project modules it imports."""
    modules = {module_name(p): p for p in project_files()}
    graph: dict[str, frozenset[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(path):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]  # `from a.b import c` where c is a name
            if imported and imported != name:
                targets.add(imported)
        graph[name] = frozenset(targets)
    return graph


def find_cycle(graph: dict[str, frozenset[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def unit(module: str) -> str:
    """The top-level package or module a module belongs to."""
    return module.split(".")[0]


def test_at_most_six_top_level_modules() -> None:
    names = [p.name for p in top_level_modules()]
    assert len(names) <= MAX_TOP_LEVEL_MODULES, f"top-level modules: {names}"


def test_the_store_imports_nothing_above_it() -> None:
    above = {"agents", "api", "evals", "tests", "graph", "server", "cli", "ingest"}
    leaks = {
        module: sorted(t for t in targets if unit(t) in above)
        for module, targets in import_graph().items()
        if unit(module) == "store"
    }
    assert not {m: t for m, t in leaks.items() if t}, "the store must not import agents, api or callers"
    raw = {
        module_name(p): sorted(n for n in imported_names(p) if unit(n) in above)
        for p in (ROOT / "store").rglob("*.py")
    }
    assert not {m: n for m, n in raw.items() if n}


def test_no_project_code_imports_the_tests() -> None:
    test_modules = {"tests"} | {p.stem for p in (ROOT / "tests").rglob("*.py")}
    offenders = {
        module_name(p): sorted(n for n in imported_names(p) if unit(n) in test_modules)
        for p in project_files()
    }
    assert not {m: n for m, n in offenders.items() if n}


@pytest.mark.parametrize("name", AGENT_SUBPACKAGES)
def test_agents_has_its_sub_packages(name: str) -> None:
    package = ROOT / "agents" / name
    assert (package / "__init__.py").is_file(), f"agents/{name} is not a package"
    assert any(p.name != "__init__.py" for p in package.glob("*.py")), f"agents/{name} holds no module"


def test_no_module_over_the_line_limit() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in project_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_import_cycle_between_modules() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_import_cycle_between_top_level_packages() -> None:
    """agents -> graph -> agents is a cycle even when no single module closes it."""
    units: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        units.setdefault(unit(module), set()).update(unit(t) for t in targets if unit(t) != unit(module))
    cycle = find_cycle({name: frozenset(targets) for name, targets in units.items()})
    assert cycle is None, "import cycle between packages: " + " -> ".join(cycle or [])


def test_every_package_says_what_lives_there_and_what_it_may_import() -> None:
    missing = [
        str(init.relative_to(ROOT))
        for package in PACKAGES
        for init in sorted((ROOT / package).rglob("__init__.py"))
        if "import" not in (ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or "").lower()
    ]
    assert not missing, f"__init__ docstrings without import rules: {missing}"


def test_the_checks_see_a_cycle_and_a_lazy_import(tmp_path: Path) -> None:
    """The measuring tools themselves: a cycle closed by a function-level import is found."""
    assert find_cycle({"a": frozenset({"b"}), "b": frozenset({"a"})}) == ["a", "b", "a"]
    assert find_cycle({"a": frozenset({"b"}), "b": frozenset()}) is None
    (tmp_path / "pkg").mkdir()
    lazy = tmp_path / "pkg" / "lazy.py"
    lazy.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import hidden\n"
        "def f():\n    from agents.service import run_plan\n    from .sibling import x\n",
        encoding="utf-8",
    )
    names = set(imported_names(lazy, tmp_path))
    assert {"agents.service", "agents.service.run_plan", "pkg.sibling.x"} <= names and "hidden" not in names
