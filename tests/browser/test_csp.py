"""The strict Content-Security-Policy holds in a real browser: pages raise no violations and
Bootstrap's JavaScript (which styles through the CSSOM) still works."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""


PUBLIC_PAGES = ["/", "/centers/", "/admin/login/", "/no-such-page/"]
INJECT_INLINE_SCRIPT = """() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
  document.body.appendChild(s); }"""


@pytest.fixture
def watched(page):
    page.add_init_script(COLLECT_VIOLATIONS)
    return page


def assert_a_violation_is_reported(page) -> None:
    """Injected inline code does not run, and the page's listener reports it: so an empty
    list of violations on this page means there were none, not that nobody was listening."""
    page.evaluate(INJECT_INLINE_SCRIPT)
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert [v.split()[0] for v in page.evaluate("window.__csp")] == ["script-src-elem"]


def test_public_pages_raise_no_csp_violations(watched):
    for path in PUBLIC_PAGES:
        watched.console_errors.clear()
        response = watched.goto(watched.base_url + path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert watched.evaluate("window.__csp") == [], path
        # The only console error is the missing page's own 404.
        expected = 1 if path == "/no-such-page/" else 0
        assert len(watched.console_errors) == expected, (path, watched.console_errors)
        assert all("404" in error for error in watched.console_errors), watched.console_errors
        assert_a_violation_is_reported(watched)


def test_bootstrap_menu_opens_under_the_policy(watched):
    watched.goto(watched.base_url + "/")
    menu = watched.locator("#main-nav")
    assert not menu.is_visible()
    watched.locator(".navbar-toggler").click()
    menu.wait_for(state="visible")
    assert watched.evaluate("window.__csp") == []
    assert_a_violation_is_reported(watched)


def test_an_inline_event_handler_would_be_blocked(watched):
    watched.goto(watched.base_url + "/")
    watched.evaluate(
        "() => { const i = document.createElement('img'); i.setAttribute('onerror', 'window.__ran = 1');"
        " i.src = '/no-such-image.png'; document.body.appendChild(i); }"
    )
    watched.wait_for_function("window.__csp.length > 0")
    assert watched.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in watched.evaluate("window.__csp"))
