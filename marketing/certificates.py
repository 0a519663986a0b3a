"""The curation certificate as a PDF (reportlab): the entrepreneur's name, the product, the
grade, the date, the code, and the public verification URL with its QR code."""

from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from marketing.models import Certificate

RED = colors.HexColor("#b3202a")


def verification_url(certificate: Certificate) -> str:
    return settings.JAKPRENEUR_SITE_URL + reverse("marketing:verify", args=[certificate.code])


def certificate_pdf(certificate: Certificate, *, language: str | None = None) -> bytes:
    """The certificate's PDF bytes."""
    submission = certificate.submission
    product = submission.product
    url = verification_url(certificate)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    with translation.override(language or settings.LANGUAGE_CODE):
        pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
        pdf.setTitle(_("JakPreneur curation certificate"))
        pdf.setAuthor("Dinas PPKUKM Provinsi DKI Jakarta")
        pdf.setStrokeColor(RED)
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setFillColor(RED)
        pdf.setFont("Helvetica-Bold", 26)
        pdf.drawCentredString(width / 2, height - 40 * mm, _("Curation certificate"))
        pdf.setFillColor(colors.black)
        pdf.setFont("Helvetica", 13)
        pdf.drawCentredString(
            width / 2, height - 50 * mm, _("JakPreneur · P5 Marketing · Dinas PPKUKM Provinsi DKI Jakarta")
        )
        pdf.setFont("Helvetica", 14)
        pdf.drawCentredString(width / 2, height - 70 * mm, _("This certifies that the product"))
        pdf.setFont("Helvetica-Bold", 22)
        pdf.drawCentredString(width / 2, height - 82 * mm, product.name[:80])
        pdf.setFont("Helvetica", 14)
        pdf.drawCentredString(
            width / 2, height - 94 * mm, _("of %(name)s") % {"name": product.entrepreneur.full_name[:80]}
        )
        pdf.drawCentredString(
            width / 2,
            height - 104 * mm,
            _("was curated in “%(round)s” and graded") % {"round": submission.round.title[:80]},
        )
        pdf.setFillColor(RED)
        pdf.setFont("Helvetica-Bold", 40)
        pdf.drawCentredString(width / 2, height - 124 * mm, submission.grade)
        pdf.setFillColor(colors.black)
        pdf.setFont("Helvetica", 12)
        issued = formats.date_format(timezone.localtime(certificate.issued_at), "j F Y")
        pdf.drawString(24 * mm, 40 * mm, _("Date: %(date)s") % {"date": issued})
        pdf.drawString(24 * mm, 33 * mm, _("Certificate code: %(code)s") % {"code": certificate.code})
        pdf.setFont("Helvetica", 10)
        pdf.drawString(24 * mm, 26 * mm, _("Check this certificate at %(url)s") % {"url": url})
        qr = QrCodeWidget(url)
        x0, y0, x1, y1 = qr.getBounds()
        size = 38 * mm
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(qr)
        renderPDF.draw(drawing, pdf, width - 24 * mm - size, 20 * mm)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
