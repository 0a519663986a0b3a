"""Dependencies between the apps point one way, tests and migrations included:
facilities ← registrations ← reports (the apps to come sit between the last two). Every app
may use the project package (jakpreneur: settings, Celery, the access table)."""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# app → the apps it may import. A new app adds its line, and its name to those above it.
MAY_IMPORT = {
    "outbox": set(),
    "facilities": {"outbox"},
    "registrations": {"outbox", "facilities"},
    "growth": {"outbox", "facilities", "registrations"},
    "marketing": {"outbox", "facilities", "registrations", "growth"},
    "reports": {"outbox", "facilities", "registrations", "growth", "marketing"},
    "privacy": {"outbox", "facilities", "registrations"},
}


def imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(MAY_IMPORT)


def test_no_app_imports_an_app_above_it():
    wrong = [
        f"{path.relative_to(BASE_DIR)} imports {other}"
        for app, allowed in MAY_IMPORT.items()
        for path in sorted((BASE_DIR / app).rglob("*.py"))
        for other in sorted(imported_apps(path) - allowed - {app})
    ]
    assert wrong == []


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "x.py"
    module.write_text("def f():\n    from reports.models import Target\nimport registrations.selectors\n")
    assert imported_apps(module) == {"reports", "registrations"}
