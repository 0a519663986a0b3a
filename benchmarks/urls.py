"""The portal's URLs plus the baseline of benchmarks/load.py, for benchmark settings only
(benchmarks/load_settings.py): production settings never route `/_bench/bare`."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The benchmark baseline: a response through the full middleware stack and nothing else."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("_bench/bare", bare, name="bench_bare"),
    path("", include("jakpreneur.urls")),
]
