"""The layout keeps its promises: the mechanic table of docs/architecture.md points at modules and tests that exist,
the simulation core loads neither pandas nor Hydra, layers import only the layers they may, and the model only
sequences phases."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "bargainsim"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
LAYERS = ("params", "core", "analysis", "reporting", "harness", "apps")
MAY_IMPORT = {layer: set(LAYERS[:i]) for i, layer in enumerate(LAYERS)}
"""The layers each layer may import (docs/architecture.md)."""


def mechanic_rows() -> list[tuple[str, list[str], list[str]]]:
    """(mechanic, module paths, test references) of each row of the mechanic table."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text[text.index("## Mechanic → module → test"):]
    rows = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("mechanic", "---"):
            continue
        rows.append((cells[0], re.findall(r"\]\(\.\./([^)]+)\)", cells[1]), re.findall(r"`([^`]+::[^`]+)`", cells[2])))
    return rows


def test_every_mechanic_has_a_module_and_a_test_that_exist() -> None:
    rows = mechanic_rows()
    assert len(rows) >= 25
    for mechanic, modules, tests in rows:
        assert modules and tests, mechanic
        for module in modules:
            assert (ROOT / module).is_file(), (mechanic, module)
        for reference in tests:
            path, name = reference.split("::")
            assert re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M), (mechanic, reference)


def test_every_stage_module_is_in_the_mechanic_table() -> None:
    listed = {module for _, modules, _ in mechanic_rows() for module in modules}
    stages = {str(path.relative_to(ROOT)) for path in (PACKAGE / "core" / "procedure").rglob("*.py")
              if path.name != "__init__.py" and path.name != "base.py"}
    assert stages <= listed, sorted(stages - listed)


def _imports(path: Path) -> set[str]:
    """The modules a source file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _imported_layers(path: Path) -> set[str]:
    parts = (name.split(".") for name in _imports(path))
    return {p[1] for p in parts if p[0] == "bargainsim" and len(p) > 1 and p[1] in LAYERS}


def test_the_core_imports_neither_pandas_nor_hydra() -> None:
    """The simulation works on plain values: no data frames, no configuration objects (Mesa itself may load
    pandas for its data collector)."""
    banned = {"pandas", "pyarrow", "hydra", "omegaconf", "scipy"}
    for path in (PACKAGE / "core").rglob("*.py"):
        used = {name.split(".")[0] for name in _imports(path)} & banned
        assert not used, (str(path.relative_to(ROOT)), used)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_the_layers_it_may(layer: str) -> None:
    for path in (PACKAGE / layer).rglob("*.py"):
        wrong = _imported_layers(path) - MAY_IMPORT[layer] - {layer}
        assert not wrong, (str(path.relative_to(ROOT)), wrong)


def test_the_model_only_sequences_phases() -> None:
    """PleaModel under 200 lines, no method over 25; ``step`` calls the day's phases and counts the day."""
    tree = ast.parse((PACKAGE / "core" / "model.py").read_text(encoding="utf-8"))
    model = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "PleaModel")
    assert model.end_lineno - model.lineno + 1 < 200
    methods = {node.name: node for node in model.body if isinstance(node, ast.FunctionDef)}
    for name, method in methods.items():
        assert method.end_lineno - method.lineno + 1 <= 25, name
    step = [statement for statement in methods["step"].body if not isinstance(statement, ast.Expr)
            or not isinstance(statement.value, ast.Constant)]
    calls = [s.value.func.attr for s in step if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)]
    assert calls == ["admit", "transfer", "decide", "file", "docket", "hear"]
    for phase in calls[1:]:
        body = [s for s in methods[phase].body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        assert len(body) == 1, phase
