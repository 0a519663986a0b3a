"""GET-only pages answer HEAD too: uptime monitors and link checkers send HEAD, and a 405 there
reads as "the site is down". (tests/fault/access_walk/test_get.py sends HEAD to every URL pattern
as every role and expects the GET outcome; this file checks the public pages by name and the
source for decorators that would leave HEAD out.)"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [path for path in ROOT.iterdir() if (path / "apps.py").exists() or path.name == "jakpreneur"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/register/", "/centers/", "/open-data/", "/healthz"])
def test_public_pages_answer_head_with_200_and_no_body(client, path):
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""


def test_head_on_a_post_only_url_is_still_refused(client):
    assert client.head("/accounts/logout/").status_code == 405


def _decorators_leaving_out_head(source: str) -> list[str]:
    """`require_GET`, or `require_http_methods([...])` with GET but without HEAD."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name == "require_GET":
                found.append(f"line {node.lineno}: require_GET")
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == (
            "require_http_methods"
        ):
            methods = node.args[0] if node.args else None
            if isinstance(methods, ast.List | ast.Tuple):
                values = {element.value for element in methods.elts if isinstance(element, ast.Constant)}
                if "GET" in values and "HEAD" not in values:
                    found.append(f"line {node.lineno}: require_http_methods({sorted(values)})")
    return found


def test_no_view_accepts_get_without_head():
    offenders = []
    for app in APPS:
        for path in app.rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            offenders += [f"{path.relative_to(ROOT)} {hit}" for hit in _decorators_leaving_out_head(path.read_text())]
    assert offenders == [], "use require_safe, or list HEAD beside GET"


def test_the_source_check_finds_what_it_looks_for():
    source = (
        "from django.views.decorators.http import require_GET, require_http_methods\n"
        "@require_GET\ndef a(r): pass\n"
        "@require_http_methods(['GET'])\ndef b(r): pass\n"
        "@require_http_methods(['GET', 'HEAD', 'POST'])\ndef c(r): pass\n"
    )
    hits = _decorators_leaving_out_head(source)
    assert [hit for hit in hits if "require_GET" in hit] == ["line 2: require_GET"]
    assert any("['GET']" in hit for hit in hits)
    assert not any("HEAD" in hit for hit in hits)
