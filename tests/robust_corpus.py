"""A folder of ~30 awkward files, the kind a real document share holds, built offline in the test.

Each entry says what ingest must make of the file: `INGESTED` (with the number of pages OCR must
read) or the reason it is refused. Nothing binary is committed: every file is generated here.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docfactory import (
    pdf_bytes,
    text_image,
    write_docx,
    write_encrypted_pdf,
    write_mixed_pdf,
    write_pptx,
    write_table_pdf,
    write_xlsx,
    write_zip_bomb_docx,
)

INGESTED = "ingested"


@dataclass(frozen=True)
class Expect:
    status: str  # "ingested" or "failed"
    reason: str = ""  # for a failure: the start of the reason shown to the user
    ocr_pages: int = 0
    find: str = ""  # a query that must find this file (at `page`, when given)
    page: int | None = None


SCANS = [  # (the scanned line, a query only that scan answers)
    ("扫描件一：乙方须在三十日内完成客户数据脱敏。", "客户数据脱敏"),
    ("扫描件二：违约金按照合同总额的百分之五计算。", "违约金合同总额"),
    ("扫描件三：模型上线前必须经过红队测试。", "红队测试"),
    ("扫描件四：董事会批准三百万元智能质检预算。", "智能质检预算"),
    ("扫描件五：审计日志至少保留六个月。", "审计日志保留六个月"),
]
LONG_NAME = "关于企业人工智能应用落地过程中数据安全与权限管理的若干规定及实施细则" * 2 + ".md"
NAV_PAGE = """<html><head><meta charset="utf-8"><title>内网：差旅报销规定</title></head><body>
<nav><a href="/">首页</a> <a href="/news">集团新闻频道</a> <a href="/it">信息化服务台</a></nav>
<article><h1>差旅报销规定</h1><p>员工出差住宿标准为一线城市每晚六百元，超出部分需要分管副总裁审批后方可报销。</p>
<p>报销单据须在出差结束后十五个工作日内提交财务共享中心，逾期不予受理。</p></article>
<footer>版权所有 集团信息中心 | 网站导航</footer></body></html>"""
LEGACY_PAGE = """<html><head><meta charset="utf-8"></head><body><h1>旧版制度</h1>
<p>旧格式文件中的采购审批需要三级签字。</p></body></html>"""


def build(root: Path) -> dict[str, Expect]:
    """Write the files under `root`; returns what ingest must report per source."""
    root.mkdir(parents=True, exist_ok=True)
    expect: dict[str, Expect] = {}
    for group in (_pdfs, _office, _texts, _images, _legacy_doc):
        group(root, expect)
    (root / "archive.xyz").write_text("未知扩展名。", encoding="utf-8")  # not a document: never picked up
    (root / ".hidden.md").write_text("# 隐藏\n\n不应被读取。\n", encoding="utf-8")
    return expect


def _pdfs(root: Path, expect: dict[str, Expect]) -> None:
    for i, (line, query) in enumerate(SCANS, start=1):
        write_mixed_pdf(root / f"scan-{i}.pdf", [("scan", [line])])
        expect[f"scan-{i}.pdf"] = Expect(INGESTED, ocr_pages=1, find=query, page=1)
    mixed = [("text", ["第一页：权限控制。"]), ("scan", ["第二页扫描：知识产权归甲方所有。"])]
    write_mixed_pdf(root / "mixed.pdf", mixed)
    expect["mixed.pdf"] = Expect(INGESTED, ocr_pages=1, find="知识产权归甲方所有", page=2)
    write_mixed_pdf(root / "garbage.pdf", [("garbage", ["伦理委员会每季度复核一次。"])])
    expect["garbage.pdf"] = Expect(INGESTED, ocr_pages=1, find="伦理委员会每季度复核", page=1)
    write_encrypted_pdf(root / "owner-only.pdf", [["只设了所有者密码的文件：打印受限。"]], user_password="")
    expect["owner-only.pdf"] = Expect(INGESTED, find="所有者密码打印受限", page=1)
    write_encrypted_pdf(root / "locked.pdf", [["需要密码的机密文件。"]], user_password="secret")
    expect["locked.pdf"] = Expect("failed", "encrypted PDF (password required)")
    whole = pdf_bytes([["截断之前的第一页。"], ["第二页。"]])
    (root / "truncated.pdf").write_bytes(whole[: len(whole) // 2])
    expect["truncated.pdf"] = Expect("failed", "corrupt or unreadable PDF")
    (root / "not-a-pdf.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2048))
    expect["not-a-pdf.pdf"] = Expect("failed", "corrupt or unreadable PDF")
    rows = [["指标", "目标"], ["工单自动分类准确率", "百分之九十五"]]
    write_table_pdf(root / "kpi.pdf", "考核指标如下。", rows, "每月复盘。")
    expect["kpi.pdf"] = Expect(INGESTED, find="工单自动分类准确率", page=1)


def _office(root: Path, expect: dict[str, Expect]) -> None:
    table = [["项目", "金额"], ["算力租赁", "一百二十万元"]]
    slides: list[dict[str, object]] = [{"title": "背景", "body": ["客服人力成本上升。"]}]
    slides.append({"title": "测算", "table": table, "notes": "法务会签。"})
    write_pptx(root / "deck.pptx", slides)
    expect["deck.pptx"] = Expect(INGESTED, find="算力租赁金额", page=2)
    sheets: dict[str, list[list[object]]] = {"研发": [["项目", "预算"], ["大模型微调", 800000]]}
    sheets["运营"] = [["项目", "预算"], ["知识库运维", 150000]]
    write_xlsx(root / "budget.xlsx", sheets)
    expect["budget.xlsx"] = Expect(INGESTED, find="知识库运维预算")
    blocks = [("Heading 1", "审批"), ("", "采购需三级签字。"), ("table", "级别|审批人")]
    write_docx(root / "policy.docx", blocks)
    expect["policy.docx"] = Expect(INGESTED, find="采购三级签字")
    write_zip_bomb_docx(root / "bomb.docx")
    expect["bomb.docx"] = Expect("failed", ".docx expands too much")
    (root / "broken.docx").write_bytes(b"PK\x03\x04" + os.urandom(512))
    expect["broken.docx"] = Expect("failed", "corrupt or unreadable .docx")
    with (
        zipfile.ZipFile(root / "sheet-bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(20):
            member.write(bytes(1024 * 1024))
    expect["sheet-bomb.xlsx"] = Expect("failed", ".xlsx expands too much")  # seen from the zip directory


def _texts(root: Path, expect: dict[str, Expect]) -> None:
    (root / "vendors.csv").write_text("供应商,评分\n星河智能,九十二\n", encoding="utf-8")
    expect["vendors.csv"] = Expect(INGESTED, find="星河智能评分")
    (root / "travel.html").write_text(NAV_PAGE, encoding="utf-8")
    expect["travel.html"] = Expect(INGESTED, find="出差住宿标准")
    (root / "notes.md").write_text("# 周会纪要\n\n下周完成知识库权限梳理。\n", encoding="utf-8")
    expect["notes.md"] = Expect(INGESTED, find="知识库权限梳理")
    (root / "gbk.txt").write_bytes("国标编码的制度文件：员工不得外传客户名单。".encode("gbk"))
    expect["gbk.txt"] = Expect(INGESTED, find="外传客户名单")
    (root / "utf16.txt").write_text("双字节编码：会议室预订须提前一天。", encoding="utf-16")
    expect["utf16.txt"] = Expect(INGESTED, find="会议室预订")
    (root / "empty.txt").write_bytes(b"")
    expect["empty.txt"] = Expect("failed", "empty file")
    # 200,000 characters without a line break or a punctuation mark, none of them in a repeating run.
    line = "".join(chr(0x4E00 + i * 7919 % 20_000) for i in range(200_000))
    (root / "huge-line.txt").write_text("超长单行" + line + "结束。", encoding="utf-8")
    expect["huge-line.txt"] = Expect(INGESTED, find="超长单行")
    (root / LONG_NAME).write_text("# 细则\n\n长文件名的文件也要能被检索到。\n", encoding="utf-8")
    expect[LONG_NAME] = Expect(INGESTED, find="长文件名的文件")
    lone = b"\x00\xd8"  # U+D800 in UTF-16-LE with no low surrogate after it: read, the unit replaced
    (root / "surrogate16.txt").write_bytes(b"\xff\xfe" + "孤立代理项的正文".encode("utf-16-le") + lone)
    expect["surrogate16.txt"] = Expect(INGESTED, find="孤立代理项的正文")
    # Good UTF-8, then the bytes of an encoded surrogate (invalid UTF-8): read, the bytes replaced.
    (root / "surrogate8.txt").write_bytes("正文：报销须附发票。".encode() + b"\xed\xa0\x80")
    expect["surrogate8.txt"] = Expect(INGESTED, find="报销须附发票")
    # A GBK file name (Chinese Windows, zip archives): Python sees lone surrogates in it.
    gbk_name = "国标编码的文件名.txt"
    with open(os.fsencode(root) + b"/" + gbk_name.encode("gbk"), "wb") as fh:
        fh.write("年度预算须经董事会批准。".encode())
    expect[gbk_name] = Expect(INGESTED, find="年度预算董事会批准")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    expect["binary.txt"] = Expect("failed", "binary file")


def _images(root: Path, expect: dict[str, Expect]) -> None:
    text_image(["白板照片：客服机器人二期上线。"]).save(root / "whiteboard.png")
    expect["whiteboard.png"] = Expect(INGESTED, ocr_pages=1, find="客服机器人二期", page=1)
    buf = io.BytesIO()
    text_image(["照片：数据中心机房巡检记录。"]).save(buf, format="JPEG", quality=90)
    (root / "photo.jpg").write_bytes(buf.getvalue())
    expect["photo.jpg"] = Expect(INGESTED, ocr_pages=1, find="机房巡检记录", page=1)
    (root / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(256))
    expect["broken.png"] = Expect("failed", "corrupt or unreadable image")


def _legacy_doc(root: Path, expect: dict[str, Expect]) -> None:
    """A real Word 97 file when LibreOffice is here to write it; else one that must be refused."""
    soffice = shutil.which("soffice")
    if soffice is None:
        (root / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
        expect["old.doc"] = Expect("failed", "legacy .doc needs LibreOffice to convert")
        return
    work = root.parent / "legacy-build"
    work.mkdir(exist_ok=True)
    (work / "old.html").write_text(LEGACY_PAGE, encoding="utf-8")
    profile = f"-env:UserInstallation={(work / 'profile').as_uri()}"
    command = [soffice, profile, "--headless", "--convert-to", "doc:MS Word 97", "--outdir", str(root)]
    subprocess.run([*command, str(work / "old.html")], capture_output=True, timeout=180, check=True)
    expect["old.doc"] = Expect(INGESTED, find="采购审批三级签字")
