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


@pytest.fixture
def watched(page):
    page.add_init_script(COLLECT_VIOLATIONS)
    return page


def test_public_pages_raise_no_csp_violations(watched):
    for path in PUBLIC_PAGES:
        response = watched.goto(watched.base_url + path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert watched.evaluate("window.__csp") == [], path
    assert watched.console_errors == [] or all("404" in error for error in watched.console_errors)


def test_bootstrap_menu_opens_under_the_policy(watched):
    watched.goto(watched.base_url + "/")
    menu = watched.locator("#main-nav")
    assert not menu.is_visible()
    watched.locator(".navbar-toggler").click()
    menu.wait_for(state="visible")
    assert watched.evaluate("window.__csp") == []


def test_an_inline_script_would_be_blocked(watched):
    watched.goto(watched.base_url + "/")
    # The proof that the policy is live: injected inline code does not run.
    watched.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.appendChild(s); }"
    )
    assert watched.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in watched.evaluate("window.__csp"))
