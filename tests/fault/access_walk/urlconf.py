"""Enumerating the URLconf, filling each route with the samples' values, and reading what a
response means (an outcome of the table)."""

import re

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from tests.fault.access_walk.table import ADMIN_HOME, DENIED, LOGIN, METHOD, OK, REDIRECT

# --- enumerating the URLconf -------------------------------------------------------------


def walk(resolver=None, prefix="", namespace=None):
    """(route, name, pattern) for every URL pattern, with routes and namespaces joined."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, pattern


def key_of(route: str, name: str | None) -> str:
    return name or route


def admin_model_of(route: str):
    match = re.match(r"^admin/(\w+)/(\w+)/", route)
    if not match:
        return None
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == match.groups():
            return model
    return None


def fill(route: str, samples: dict) -> str:
    """A concrete path for `route`: converters and regex groups get sample values."""
    model = admin_model_of(route)

    def value(name: str, converter: str | None) -> str:
        if name == "object_id" and model is not None:
            return str(samples["objects"][model].pk)
        if name in samples["named"]:
            return str(samples["named"][name])
        if converter == "int":
            return "1"
        raise KeyError(f"no sample value for <{converter}:{name}> in {route}")

    regex_samples = {"app_label": "axes", "url": "no-such-page/"}
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: regex_samples[m.group(1)], route)
    if "/history/([^/]+)/" in path:  # django-simple-history: an object and one of its versions
        instance = samples["objects"][model]
        version = instance.history.order_by("history_id").first().history_id
        path = path.replace("^([^/]+)/history/([^/]+)/", f"{instance.pk}/history/{version}/")
    path = path.replace("^", "").replace("$", "")
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: value(m.group(2), m.group(1)), path)
    return "/" + path


QUERY = {
    "facilities:kecamatan_options": "?kota=31.71",
    "facilities:kelurahan_options": "?kecamatan=31.71.06",
}


def outcome(response) -> str:
    status = response.status_code
    if status in (200, 204):
        return OK
    if status == 405:
        return METHOD
    if status in (403, 404):
        return DENIED
    if status in (301, 302):
        location = response["Location"]
        if "/login/" in location:
            return LOGIN
        if location.split("?")[0] in ("/admin/", "/admin"):
            return ADMIN_HOME
        return REDIRECT
    return f"HTTP {status}"
