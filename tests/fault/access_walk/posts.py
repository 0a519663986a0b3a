"""What the POST walk submits: every admin add form, change form and action of the admin
site's registry, as a browser would send it, with each scoped choice in turn outside the
role's scope; and the database dump that shows whether anything changed."""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.urls import reverse

from jakpreneur import scoping

# --- POST: every admin add form, change form and action, as each role, out of its scope ------
#
# Enumerated from the admin site's registry, so a new admin is walked without an entry here
# (an add form whose valid data the walk cannot guess asks for one in ADD_DATA). Each role
# submits what a browser would send from the page as a superuser sees it, with ids outside
# the role's scope: alice (Gambir) gets Menteng's rows and every other kecamatan's, the Dinas
# ids that do not exist or that she may not see (superusers' accounts). Every submission must
# leave every table as it was, and none may give a 500. `test_the_submissions_are_valid_but_for_their_scope`
# has a superuser send alice's very data and sees it accepted: the walk's refusals are the
# scope's, not a form left half empty.

# The fields an add form needs to be valid besides its scoped choices (which the walk fills).
# None: no valid row can be added with the reference data (every kecamatan has its centre).
ADD_DATA: dict[str, dict | None] = {
    "registrations.entrepreneur": {
        "nik": "3171015708900003",  # 17-08-1990, a woman (day + 40)
        "full_name": "Warga Walk In",
        "birth_date": "1990-08-17",
        "gender": "P",
        "phone": "081298765432",
        "email": "",
        "address": "Jl. Walk In 1",
        "track": "pemula",
        "consent": "on",
    },
    "registrations.attendance": {},
    "registrations.user": {
        "email": "baru@jakpreneur.test",
        "password1": "a-long-enough-passphrase-42",
        "password2": "a-long-enough-passphrase-42",
        "usable_password": "true",
    },
    "facilities.activity": {
        "facility": "P2",
        "kind": "class",
        "title": "Kelas walk",
        "starts_at_0": "2099-01-10",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2099-01-10",
        "ends_at_1": "12:00:00",
        "registration_deadline_0": "2099-01-09",
        "registration_deadline_1": "09:00:00",
        "capacity": "10",
        "published": "on",
    },
    "facilities.center": None,
    "reports.target": {
        "name": "Target walk",
        "metric": "registered",
        "value": "100",
        "period_start": "2030-01-01",
        "period_end": "2030-12-31",
        "active": "on",
    },
    "auth.group": {"name": "walk"},
    "growth.monthlyreport": {"period": "2026-02", "turnover": "1000000", "assets": "5000000", "workers": "2"},
    "growth.mentoringsession": {"date": "2026-01-06", "mode": "visit", "notes": "walk"},
    "growth.mentorassignment": {},
    "growth.mentorprofile": {"display_name": "Pendamping walk", "phone": "", "recruitment_target": "10"},
    "marketing.curationround": {
        "title": "Kurasi walk",
        "criteria": "Produk pangan olahan",
        "quota": "10",
        "submission_deadline_0": "2099-01-01",
        "submission_deadline_1": "09:00:00",
        "curation_date_0": "2099-02-01",
        "curation_date_1": "09:00:00",
        "curation_place": "Balai kota",
        "status": "draft",
    },
    "financing.financingproduct": {
        "name": "Kredit walk",
        "provider": "Bank walk",
        "min_amount": "1000000",
        "max_amount": "5000000",
        "interest_rate": "6",
        "tenor_min_months": "1",
        "tenor_max_months": "12",
        "min_reported_months": "0",
        "active": "on",
    },
    "financing.financingapplication": {"amount": "2000000", "tenor_months": "6", "purpose": "Modal kerja walk"},
}


# Forms whose choices carry their app's own rules besides the scope (only mentor accounts may
# be mentors; a session is for a mentor's caseload): a row from another scope is refused for a
# superuser too, so the control test cannot show their refusals are the scope's. The walk
# still submits them; growth's own test (test_growth_posts_with_out_of_scope_ids_change_nothing)
# covers their rules.
# A financing application also needs a product the person is eligible for (P1–P6 done,
# months of reports), which the walk's sample person is not.
NOT_CONTROLLED = {
    "growth.mentoringsession",
    "growth.mentorassignment",
    "growth.mentorprofile",
    "financing.financingapplication",
}


class FormScraper(HTMLParser):
    """The name/value pairs a browser would submit from the admin's form `<form id=…>`."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.pairs = form_id, False, []
        self.select = self.textarea = None
        self.multiple, self.selected, self.first_option, self.text = False, [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.pairs.append((name, a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self.select, self.multiple, self.selected, self.first_option = name, "multiple" in a, [], None
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            self.first_option = value if self.first_option is None else self.first_option
            if "selected" in a:
                self.selected.append(value)
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            values = self.selected or ([] if self.multiple else [self.first_option or ""])
            self.pairs.extend((self.select, value) for value in values)
            self.select = None
        elif tag == "textarea" and self.textarea:
            text = "".join(self.text)
            self.pairs.append((self.textarea, text[1:] if text.startswith("\n") else text))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def scrape(response, model) -> dict[str, list[str]]:
    scraper = FormScraper(f"{model._meta.model_name}_form")
    scraper.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in scraper.pairs:
        data.setdefault(name, []).append(value)
    return data


def scoped_choice_fields(response) -> list[tuple[str, type]]:
    """(posted name, related model) of every scoped choice on an admin form page, inlines
    included. (An inline's own row id is not a choice: its formset takes the parent's rows.)"""
    forms = [response.context["adminform"].form]
    try:
        inline_formsets = response.context["inline_admin_formsets"]
    except KeyError:
        inline_formsets = []
    for inline in inline_formsets:
        forms.extend(inline.formset.forms)
    fields = []
    for form in forms:
        for name, field in form.fields.items():
            model = getattr(getattr(field, "queryset", None), "model", None)
            row_id = form is not forms[0] and name == form._meta.model._meta.pk.name
            if isinstance(field, ModelChoiceField) and not scoping.is_public(model) and not row_id:
                fields.append((form.add_prefix(name), model))
    return fields


def missing_pk(model) -> str:
    return "987654321" if model._meta.pk.get_internal_type().endswith("AutoField") else "00.00.00.0000"


def pk_outside(model, visible) -> str:
    """A row of `model` outside `visible` (the role's rows), else an id that does not exist."""
    row = model._default_manager.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    return str(row.pk) if row is not None else missing_pk(model)


def pk_inside(model, visible) -> str | None:
    row = visible.order_by("pk").first()
    return None if row is None else str(row.pk)


def role_request(user):
    request = RequestFactory().post("/admin/")
    request.user = user or AnonymousUser()
    return request


@dataclass
class Submission:
    what: str
    url: str
    data: dict
    form: str = ""  # "<label> add" / "<label> change" for a form with one choice set outside the scope


def variants(what: str, url: str, data: dict, fields, user, may: bool):
    """The submissions of one form for `user`: each scoped choice in turn set outside the
    user's scope, the others inside it. A role that may not use the form at all sends it once;
    a role that may, with no scoped choice on the form, has nothing out of its scope to send."""
    if not fields:
        if not may:
            yield Submission(what, url, data)
        return
    inside = {name: pk_inside(model, scoping.choices_for(model, user)) for name, model in fields}
    for name, model in fields:
        values = {**data}
        for other, value in inside.items():
            if value is not None:
                values[other] = [value]
        values[name] = [pk_outside(model, scoping.choices_for(model, user))]
        yield Submission(f"{what}, {name} outside", url, values, form=what)
        if not may:
            return  # one submission is enough for a role the form is closed to


def action_data(name: str, pk: str) -> dict:
    # Confirmed at once: the delete page's "post", a RowAction's "apply" with its form's fields.
    return {
        "action": name,
        "_selected_action": [pk],
        "index": "0",
        "select_across": "0",
        "post": "yes",
        "apply": "1",
        "reason": "walk",
        "facility": "P3",
        "note": "walk",
    }


def submissions(role_user, root_client, root):
    """Every admin add form, change form and action of the registry, for one role."""
    request, root_request = role_request(role_user), role_request(root)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        visible = model_admin.get_queryset(request)
        outside = pk_outside(model, visible)
        if model_admin.has_add_permission(root_request):
            if label not in ADD_DATA:
                raise LookupError(f"add valid data for the {label} add form to ADD_DATA (access_walk/posts.py)")
            url = reverse(f"admin:{info}_add")
            page = root_client.get(url)
            data = {**scrape(page, model), **{k: [v] for k, v in (ADD_DATA[label] or {}).items()}}
            may = model_admin.has_add_permission(request)
            yield from variants(f"{label} add", url, data, scoped_choice_fields(page), role_user, may)
        if model_admin.has_change_permission(root_request):
            may = model_admin.has_change_permission(request)
            inside = pk_inside(model, visible)
            if inside is not None:
                url = reverse(f"admin:{info}_change", args=[inside])
                page = root_client.get(url)
                data = scrape(page, model)
                yield from variants(f"{label} change", url, data, scoped_choice_fields(page), role_user, may)
            url = reverse(f"admin:{info}_change", args=[outside])
            page = root_client.get(url)
            data = scrape(page, model) if page.status_code == 200 else {}
            yield Submission(f"{label} change of a row out of scope", url, data)
        for name in [name for name, _action in admin.site.actions] + list(model_admin.actions or ()):
            url = reverse(f"admin:{info}_changelist")
            yield Submission(f"{label} action {name}", url, action_data(name, outside))


# Tables requests write whatever they do: sessions (messages, login), login logs (axes).
UNWATCHED_APPS = {"sessions", "axes"}


def database_dump() -> dict:
    """Every row of every table (many-to-many tables included) but the unwatched ones."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in django_apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.app_label not in UNWATCHED_APPS
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]
