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


def write_table_pdf(path: Path, before: str, rows: list[list[str]], after: str, *, pages: int = 1) -> Path:
    """A text PDF whose pages each hold a paragraph, a ruled table (grid lines drawn) and a paragraph."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    style = ParagraphStyle("zh", fontName=CJK_FONT, fontSize=11, leading=16)
    grid = TableStyle(
        [("FONT", (0, 0), (-1, -1), CJK_FONT, 10), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    )
    story: list[object] = []
    for page in range(pages):
        if page:
            story.append(PageBreak())
        table = Table(rows)
        table.setStyle(grid)
        story += [Paragraph(before, style), Spacer(1, 12), table, Spacer(1, 12), Paragraph(after, style)]
    SimpleDocTemplate(str(path)).build(story)
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


# --- scanned pages, OCR fixtures and the other formats ---------------------------------------------

_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def cjk_font_path() -> Path | None:
    """A font file that draws Chinese (Debian's fonts-noto-cjk), or None when none is installed."""
    for folder in _FONT_DIRS:
        if folder.is_dir():
            found = sorted(
                p
                for p in folder.rglob("*")
                if "cjk" in p.name.lower() and p.suffix in (".ttc", ".otf", ".ttf")
            )
            regular = [p for p in found if "regular" in p.name.lower()]
            if regular or found:
                return (regular or found)[0]
    return None


def text_image(lines: list[str], *, size: int = 40, width: int = 1240) -> Image.Image:
    """Lines of (Chinese) text rendered as a white page image: what a scanner produces."""
    from PIL import ImageFont

    path = cjk_font_path()
    assert path is not None, "callers skip when no CJK font is installed"
    font = ImageFont.truetype(str(path), size)
    for index in range(10):  # a .ttc holds JP/KR/SC/TC faces: pick Simplified Chinese when present
        try:
            face = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if "SC" in (face.getname()[0] or ""):
            font = face
            break
    image = Image.new("RGB", (width, 120 + int(size * 1.8) * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 60 + int(size * 1.8) * i), line, fill="black", font=font)
    return image


def write_png(path: Path, lines: list[str]) -> Path:
    text_image(lines).save(path)
    return path


def write_mixed_pdf(path: Path, pages: list[tuple[str, list[str]]]) -> Path:
    """Pages of kind "text" (a real text layer), "scan" (an image only) or "garbage" (the image plus
    an invisible text layer of unmapped glyph ids, as bad OCR layers and broken fonts produce)."""
    pdf = canvas.Canvas(str(path))
    for kind, lines in pages:
        if kind == "text":
            pdf.setFont(CJK_FONT, 11)
            for i, line in enumerate(lines):
                pdf.drawString(50, 780 - 16 * i, line)
        else:
            image = text_image(lines)
            width = 500
            height = width * image.height / image.width
            pdf.drawImage(ImageReader(image), 50, 800 - height, width=width, height=height)
            if kind == "garbage":
                layer = pdf.beginText(50, 780)
                layer.setTextRenderMode(3)  # invisible, like an OCR layer over a scan
                layer.setFont("Helvetica", 11)
                for i in range(len(lines)):
                    layer.textLine("".join(f"(cid:{100 + i + k})" for k in range(12)) + "/G21/G22/G23")
                pdf.drawText(layer)
        pdf.showPage()
    pdf.save()
    return path


def write_pptx(path: Path, slides: list[dict[str, object]]) -> Path:
    """Slides as dicts: title, body (list of lines), table (list of rows), notes."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for spec in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = str(spec.get("title", ""))
        body = spec.get("body")
        if isinstance(body, list):
            box = slide.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(9), Inches(1))
            box.text_frame.text = "\n".join(body)
        table = spec.get("table")
        if isinstance(table, list):
            shape = slide.shapes.add_table(
                len(table), len(table[0]), Inches(0.5), Inches(3), Inches(9), Inches(2)
            )
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = str(value)
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = str(spec["notes"])
    deck.save(str(path))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_zip_bomb_docx(path: Path, *, zeros_mb: int = 40) -> Path:
    """A valid .docx that also holds `zeros_mb` MB of zeros, compressed to a few dozen KB."""
    import zipfile

    write_docx(path, [("", "看似正常的文档。")])
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/padding.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(zeros_mb):
            member.write(bytes(1024 * 1024))
    return path


def write_many_member_docx(path: Path, members: int) -> Path:
    """A valid .docx padded with `members` tiny extra parts."""
    import zipfile

    write_docx(path, [("", "成员过多的文档。")])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for i in range(members):
            archive.writestr(f"extra/part{i}.xml", "<a/>")
    return path


def yaml_alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes of YAML whose nested aliases expand to 10**levels strings."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"title: *a{levels - 1}")
    return "---\n" + "\n".join(lines) + "\n---\n# 正文\n\n炸弹文档的正文。\n"
