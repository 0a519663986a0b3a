"""Take the README's screenshots of the dashboard, the back office and the growth pages at
390 px and 1280 px.

Run against a portal with demo data (`make run` seeds 3,000 entrepreneurs, with mentors and
monthly reports), signed in as an official, centre staff, a mentor and an entrepreneur who
reports; the shots of anyone not given are skipped (`--language en` takes the English pages), e.g.:

    .venv/bin/python docs/screenshots/take.py --base http://127.0.0.1:8000 \\
        --official olga@example.id --staff alice@example.id --password '…'
    .venv/bin/python docs/screenshots/take.py --mentor pendamping-317101@demo.jakpreneur.id \\
        --entrepreneur warga@example.id --password '…'

Screenshots are viewport-sized (not the whole page) and stored as 8-bit palette PNGs so that
they stay small in the repository.
"""

import argparse
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}
FULL_PAGE = "full page"
SHOTS = [
    # (name, who, path, element to scroll to or None)
    ("dashboard", "official", "/dashboard/", None),
    ("dashboard-behind", "official", "/dashboard/", "#behind"),
    ("dashboard-kecamatan-table", "official", "/dashboard/?sort=target_part_percent", "#kecamatan-heading"),
    ("admin-index", "staff", "/admin/", None),
    ("entrepreneur-list", "staff", "/admin/registrations/entrepreneur/", None),
    ("growth-me-reports", "entrepreneur", "/me/reports/", "#report-list-heading"),
    # The entrepreneur's own page, whole (its length is part of what it looks like).
    ("me", "entrepreneur", "/me/", FULL_PAGE),
    ("me-activities", "entrepreneur", "/me/activities/", None),
    ("growth-caseload", "mentor", "/admin/growth/mentorassignment/caseload/", None),
    ("growth-session-form", "mentor", "/admin/growth/mentoringsession/add/", None),
]
ADMIN_ROLES = {"staff", "mentor"}


def log_in(page, base: str, email: str, password: str, admin: bool) -> None:
    page.goto(base + ("/admin/login/" if admin else "/accounts/login/"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()


def shrink(path: Path) -> None:
    image = Image.open(path).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--official")
    parser.add_argument("--staff")
    parser.add_argument("--mentor")
    parser.add_argument("--entrepreneur")
    parser.add_argument("--password", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--language", default="id", help="id (the default) or en; en adds -en to the names")
    parser.add_argument("--out", type=Path, default=HERE, help="the directory to write to")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        for width, viewport in SIZES.items():
            phone = width == "390"
            contexts = {}
            people = {"official": args.official, "staff": args.staff, "mentor": args.mentor}
            people["entrepreneur"] = args.entrepreneur
            for who, email in people.items():
                if not email:
                    continue
                context = browser.new_context(viewport=viewport, locale="id-ID", is_mobile=phone, has_touch=phone)
                host = args.base.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
                context.add_cookies([{"name": "django_language", "value": args.language, "domain": host, "path": "/"}])
                log_in(context.new_page(), args.base, email, args.password, admin=who in ADMIN_ROLES)
                contexts[who] = context
            for name, who, path, anchor in SHOTS:
                if who not in contexts:
                    continue
                page = contexts[who].new_page()
                page.goto(args.base + path)
                page.wait_for_timeout(600)  # charts are drawn without animation; let fonts settle
                if anchor and anchor != FULL_PAGE:
                    page.locator(anchor).scroll_into_view_if_needed()
                    page.evaluate(f"document.querySelector('{anchor}').scrollIntoView()")
                suffix = "" if args.language == "id" else f"-{args.language}"
                out = args.out / f"{name}{suffix}-{width}.png"
                page.screenshot(path=str(out), full_page=anchor == FULL_PAGE)
                shrink(out)
                print(out, f"{out.stat().st_size // 1024} KiB")
        browser.close()


if __name__ == "__main__":
    main()
