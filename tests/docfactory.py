"""Builders for real PDF and Word files, generated offline inside the tests (reportlab, python-docx)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"  # reportlab's built-in CID font: no font file needed, pypdf reads it back
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def pdf_bytes(pages: list[list[str]], *, title: str | None = None) -> bytes:
    """A text PDF: one inner list of lines per page, drawn in a Chinese-capable font."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    if title:
        pdf.setTitle(title)
    for lines in pages:
        pdf.setFont(CJK_FONT, 11)
        for i, line in enumerate(lines):
            pdf.drawString(50, 780 - 16 * i, line)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def write_pdf(path: Path, pages: list[list[str]], *, title: str | None = None) -> Path:
    path.write_bytes(pdf_bytes(pages, title=title))
    return path


def write_encrypted_pdf(path: Path, pages: list[list[str]], *, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A 'scanned' page: the words are pixels in an image, there is no text layer."""
    image = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(image).text((10, 40), "SCANNED CONTRACT PAGE", fill="black")
    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(image), 50, 600, width=400, height=120)
    pdf.showPage()
    pdf.save()
    return path


def write_docx(path: Path, blocks: list[tuple[str, str]], *, core_title: str = "") -> Path:
    """`blocks` are (style, text): style 'Title', 'Heading N', 'table' (cells split on '|') or ''."""
    import docx

    document = docx.Document()
    document.core_properties.title = core_title
    for style, text in blocks:
        if style == "table":
            cells = text.split("|")
            table = document.add_table(rows=1, cols=len(cells))
            for cell, value in zip(table.rows[0].cells, cells, strict=True):
                cell.text = value
        elif style.startswith("Heading"):
            document.add_heading(text, level=int(style.split()[1]))
        elif style == "Title":
            document.add_heading(text, level=0)
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path
