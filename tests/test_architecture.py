"""The package's shape: no import cycle among skmix's modules, clean public namespaces."""

import ast
import pathlib

import pytest

import skmix

PACKAGE = pathlib.Path(skmix.__file__).parent


def _module_name(path):
    return "skmix" if path.stem == "__init__" else f"skmix.{path.stem}"


def _imported(node, module):
    """The skmix modules one import statement names (function-level imports included)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name.startswith("skmix.")}
    if not isinstance(node, ast.ImportFrom):
        return set()
    if node.level == 0:
        base = node.module or ""
    else:
        base = ".".join(["skmix", node.module] if node.module else ["skmix"])
    if base == "skmix":  # from . import x: x may be a module
        return {f"skmix.{alias.name}" for alias in node.names} | {"skmix"}
    return {base} if base.startswith("skmix.") else set()


def import_graph():
    """Module -> the skmix modules it imports anywhere in its source."""
    modules = {_module_name(path): path for path in PACKAGE.glob("*.py")}
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        imported = set().union(*(_imported(node, name) for node in ast.walk(tree)))
        graph[name] = sorted(imported & set(modules) - {name})
    return graph


def _find_cycle(graph):
    """A list of modules that import each other in a ring, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt, [*path, nxt])):
                return cycle
        state[node] = "done"
        return None

    for start in graph:
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": ["b"], "b": [], "c": ["a"]}) is None


def test_no_import_cycle_among_skmix_modules():
    graph = import_graph()
    assert "skmix._blocks" in graph["skmix._topics"]  # the walk sees relative imports
    # the package __init__ only names its submodules (PEP 562): its edges are not cycles
    graph["skmix"] = []
    assert _find_cycle(graph) is None


@pytest.mark.parametrize("module", ["skmix", "skmix.datasets", "skmix.compare"])
def test_public_namespaces_show_only_public_names(module):
    namespace = __import__(module, fromlist=["_"])
    # "@py_builtins", "@pytest_ar": pytest rewriting a module named on its command line
    shown = [name for name in dir(namespace) if not name.startswith(("__", "@"))]
    assert sorted(shown) == sorted(set(namespace.__all__) - {"__version__"})
