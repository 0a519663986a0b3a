"""The dashboard as a file to take to a meeting: PDF (reportlab) and XLSX (openpyxl through
`jakpreneur.spreadsheets`), of what is on screen: the same scope (all of Jakarta, a kota or
a kecamatan), the kecamatan table's filters and order, with the time of the snapshot and the
definitions of the figures.

Both are built from `reports.selectors.dashboard_context` (the page's own context) and its
`export_tables`, so a download cannot show other figures than the page.
"""

from __future__ import annotations

import io
import re
from xml.sax import saxutils

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from jakpreneur import spreadsheets
from reports.selectors import Table, export_tables

# Control characters (a target name typed with a stray tab or NUL) would break the PDF's markup.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """Text for a reportlab Paragraph: markup characters escaped, control characters replaced."""
    return saxutils.escape(_CONTROL.sub("?", text))


PRIMARY = colors.HexColor("#8c1d17")
BEHIND = colors.HexColor("#f8d7da")
MAX_SHEET_TITLE = 31  # Excel's limit


def scope_name(context: dict) -> str:
    if context["kecamatan"]:
        return _("Kecamatan %(name)s, %(kota)s") % {"name": context["kecamatan"]["name"], "kota": context["kota_name"]}
    return context["kota_name"] or _("All of DKI Jakarta")


def filter_summary(context: dict) -> str:
    """The kecamatan table's filters and order in words ("" when none)."""
    query = context.get("table_query")
    if query is None:
        return ""
    parts = []
    if query.q:
        parts.append(_("containing “%(text)s”") % {"text": query.q})
    if query.area:
        parts.append(_("in %(kota)s") % {"kota": dict(context["kota_choices"]).get(query.area, query.area)})
    if query.behind:
        parts.append(_("only those behind their part"))
    if query.sort:
        table = context["tables"]["kecamatan"]
        header = table.headers[table.column(query.sort.lstrip("-"))]
        order = _("descending") if query.sort.startswith("-") else _("ascending")
        parts.append(_("sorted by %(column)s, %(order)s") % {"column": header, "order": order})
    return _("Kecamatan: %(filters)s.") % {"filters": "; ".join(parts)} if parts else ""


def headline_lines(context: dict) -> list[str]:
    """The headline figures as sentences, the same as the top of the page."""
    if context["kecamatan"]:
        row = context["kecamatan"]
        lines = [
            _("Registered: %(n)s; verified: %(v)s; awaiting verification: %(s)s; last 90 days: %(r)s.")
            % {
                "n": _number(row["registered"]),
                "v": _number(row["verified"]),
                "s": _number(row["submitted"]),
                "r": _number(row["last_90_days"]),
            }
        ]
        if row["share"]:
            lines.append(
                _("%(percent)s %% · %(achieved)s of its part of %(part)s (%(status)s).")
                % {
                    "percent": row["share"]["percent"],
                    "achieved": _number(row["share"]["achieved"]),
                    "part": _number(row["share"]["target"]),
                    "status": _("behind") if row["share"]["behind"] else _("on track"),
                }
            )
        return lines
    totals, target, behind = context["totals"], context["target"], context["behind"]
    lines = [
        _("Registered: %(n)s; verified: %(v)s; awaiting verification: %(s)s; last 90 days: %(r)s.")
        % {
            "n": _number(totals["registered"]),
            "v": _number(totals["verified"]),
            "s": _number(totals["submitted"]),
            "r": _number(totals["last_90_days"]),
        }
    ]
    if target:
        lines.append(
            _("%(name)s: %(percent)s %% · %(achieved)s of %(target)s.")
            % {
                "name": target["name"],
                "percent": target["percent"],
                "achieved": _number(target["achieved"]),
                "target": _number(target["value"]),
            }
        )
        if target["reached"]:
            lines.append(_("Next milestone: %(n)s.") % {"n": _number(target["next_milestone"])})
    lines.append(
        _("Behind their part of the target: %(kota)s kota, %(kecamatan)s of %(with_part)s kecamatan.")
        % {"kota": len(behind.kota), "kecamatan": len(behind.kecamatan), "with_part": behind.kecamatan_with_part}
    )
    lines.append(
        _("%(active)s / %(total)s centres with activities.")
        % {"active": behind.centres_active, "total": behind.centres_total}
    )
    return lines


def _number(value) -> str:
    return number_format(value, force_grouping=True)


def _computed_at(context: dict) -> str:
    return _("Figures computed at %(when)s (Asia/Jakarta).") % {
        "when": timezone.localtime(context["snapshot"].computed_at).strftime("%Y-%m-%d %H:%M")
    }


def filename(context: dict, extension: str) -> str:
    if context["kecamatan"]:
        scope = f"-{context['kecamatan']['code']}"
    else:
        scope = f"-{context['kota']}" if context["kota"] else ""
    return f"jakpreneur-dashboard{scope}-{context['snapshot'].computed_at:%Y%m%d-%H%M}.{extension}"


# --- XLSX ------------------------------------------------------------------------------------


def dashboard_xlsx(context: dict) -> bytes:
    """One sheet "About" (scope, snapshot time, filters, headline, definitions), then one sheet
    per table in the page's order, numbers kept as numbers."""
    workbook = Workbook(write_only=True)
    about = workbook.create_sheet(_("About")[:MAX_SHEET_TITLE])
    rows = [
        [_("JakPreneur progress dashboard")],
        [scope_name(context)],
        [_computed_at(context)],
        [filter_summary(context)],
        [],
        *([line] for line in headline_lines(context)),
        [],
        [_("Definitions")],
        *([term, meaning] for term, meaning in context["definitions"]),
    ]
    for row in rows:
        about.append(spreadsheets.xlsx_row(about, row))
    used: set[str] = {about.title}
    for table in export_tables(context):
        sheet = workbook.create_sheet(_sheet_title(table, used))
        sheet.append(spreadsheets.xlsx_row(sheet, [table.title]))
        sheet.append(spreadsheets.xlsx_row(sheet, table.headers))
        for row in table.rows:
            sheet.append(spreadsheets.xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(table: Table, used: set[str]) -> str:
    # Sheet names may not hold []:*?/\ and must be unique within 31 characters.
    base = "".join(ch for ch in table.title if ch not in "[]:*?/\\")[:MAX_SHEET_TITLE] or table.slug
    title, number = base, 2
    while title in used:
        suffix = f" {number}"
        title, number = base[: MAX_SHEET_TITLE - len(suffix)] + suffix, number + 1
    used.add(title)
    return title


# --- PDF -------------------------------------------------------------------------------------


def _cell(value, numeric: bool) -> str:
    if value is None:
        return "–"
    if numeric and isinstance(value, int | float) and not isinstance(value, bool):
        return number_format(value, decimal_pos=1 if isinstance(value, float) else None, force_grouping=True)
    return str(value)


def dashboard_pdf(context: dict) -> bytes:
    """An A4 landscape PDF: title, scope, snapshot time, filters, headline, the tables (long
    ones across pages with their header repeated), the definitions; rows behind shaded."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    header = small.clone("header", fontName="Helvetica-Bold", textColor=colors.white)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("JakPreneur progress dashboard"),
        author="Dinas PPKUKM DKI Jakarta",
    )
    story = [
        Paragraph(escape(_("JakPreneur progress dashboard")), styles["Title"]),
        Paragraph(escape(scope_name(context)), styles["Heading2"]),
        Paragraph(escape(_computed_at(context)), styles["BodyText"]),
    ]
    if summary := filter_summary(context):
        story.append(Paragraph(escape(summary), styles["BodyText"]))
    story += [Paragraph(escape(line), styles["BodyText"]) for line in headline_lines(context)]
    for table in export_tables(context):
        story += [Spacer(1, 5 * mm), Paragraph(escape(table.title), styles["Heading3"])]
        story.append(_pdf_table(table, small, header))
    story += [Spacer(1, 5 * mm), Paragraph(escape(_("Definitions")), styles["Heading3"])]
    story += [Paragraph(f"<b>{escape(term)}</b>: {escape(meaning)}", small) for term, meaning in context["definitions"]]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(12 * mm, 6 * mm, f"JakPreneur · {scope_name(context)} · {_computed_at(context)}")
        canvas.drawRightString(landscape(A4)[0] - 12 * mm, 6 * mm, str(doc.page))
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _pdf_table(table: Table, style, header_style) -> LongTable:
    if not table.rows:
        return Paragraph(escape(_("No data.")), style)
    data = [[Paragraph(escape(title), header_style) for title in table.headers]]
    data += [
        [Paragraph(escape(_cell(value, index in table.numeric)), style) for index, value in enumerate(row)]
        for row in table.rows
    ]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f3f3")]),
    ]
    if "against_part" in table.keys:
        column = table.column("against_part")
        behind = _("behind")
        commands += [
            ("BACKGROUND", (0, number), (-1, number), BEHIND)
            for number, row in enumerate(table.rows, start=1)
            if row[column] == behind
        ]
    width = landscape(A4)[0] - 24 * mm
    return LongTable(
        data, repeatRows=1, colWidths=[width / len(table.headers)] * len(table.headers), style=TableStyle(commands)
    )
