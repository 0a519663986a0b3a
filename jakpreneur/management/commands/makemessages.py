"""Django's makemessages, which also reads the Jinja2 templates (jinja_templates/, jakpreneur/jinja.py).

Django's own command reads every .html file as a Django template; in a Jinja2 template it
would find none of the `{% trans %}` blocks. A template in `jinja_templates/` is read
with Jinja2's extractor instead, which gives the same msgids (`{% trans name=x %}Hello,
{{ name }}{% endtrans %}` gives "Hello, %(name)s", as `{% blocktranslate %}` does), written
as gettext calls for xgettext like Django's `templatize` writes them.
"""

from pathlib import Path

from django.core.management.commands import makemessages
from jinja2 import Environment
from jinja2.ext import GETTEXT_FUNCTIONS, extract_from_ast

JINJA_FOLDER = "jinja_templates"  # settings.TEMPLATES, the Jinja2 engine's DIRS


def jinja_as_python(source: str) -> str:
    """The translatable strings of a Jinja2 template as Python gettext calls, each on its
    template line (xgettext reads this as it reads Django's templatize output)."""
    environment = Environment(extensions=["jinja2.ext.i18n"])  # noqa: S701 - parses, renders nothing
    lines: dict[int, list[str]] = {}
    for lineno, function, message in extract_from_ast(environment.parse(source), GETTEXT_FUNCTIONS):
        strings = [m for m in (message if isinstance(message, tuple) else (message,)) if m is not None]
        if not strings:
            continue  # a call with no literal: nothing to extract
        if function in ("ngettext", "npgettext"):
            strings.append(1)
        name = "gettext" if function == "_" else function
        lines.setdefault(lineno, []).append(f"{name}({', '.join(repr(s) for s in strings)})")
    last = max(lines, default=0)
    return "\n".join("; ".join(lines.get(number, [])) for number in range(1, last + 1)) + "\n"


class BuildFile(makemessages.BuildFile):
    @property
    def is_jinja(self) -> bool:
        return self.domain == "django" and self.is_templatized and JINJA_FOLDER in Path(self.path).parts

    def preprocess(self):
        if not self.is_jinja:
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(jinja_as_python(source), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
