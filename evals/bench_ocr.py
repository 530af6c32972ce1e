"""OCR benchmark: pages per second through the real ingest path for a scanned Chinese PDF.

Run with `python -m evals.bench_ocr`. It measures; it asserts nothing. Each page is a rendered image
of Chinese text (no text layer), so every page goes through RapidOCR (PP-OCRv4, onnxruntime on the
CPU). The first page also pays for loading the models (~1 s), reported separately. Throughput
depends on what else runs on the machine: the load average before the run is part of the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import tempfile
from pathlib import Path
from time import perf_counter

from PIL import Image, ImageDraw, ImageFont

from ingest import ingest_paths
from settings import get_settings
from store.documents.loaders.ocr import recognize
from store.knowledge import KnowledgeStore

LINES = [
    "第{page}页：企业在部署人工智能系统前，应当完成数据分类分级与权限审批。",
    "合同约定乙方须在三十日内完成客户数据脱敏，并保留审计日志至少六个月。",
    "模型上线前必须经过红队测试与合规审核，未经审核不得对外提供服务。",
    "项目预算由信息化委员会审批，超过三百万元的投入需报董事会批准。",
    "各事业部每季度提交一次应用效果评估报告，包括成本节约与客户满意度。",
]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for folder in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        found = sorted(p for p in folder.rglob("*") if "cjk" in p.name.lower()) if folder.is_dir() else []
        if found:
            return ImageFont.truetype(str(found[0]), size, index=2 if found[0].suffix == ".ttc" else 0)
    raise RuntimeError("no CJK font installed (apt-get install fonts-noto-cjk)")


def scanned_pdf(pages: int) -> bytes:
    """An A4-shaped, 144-dpi image of Chinese text per page, saved as an image-only PDF."""
    font = _font(28)
    images = []
    for page in range(1, pages + 1):
        image = Image.new("RGB", (1190, 1684), "white")
        draw = ImageDraw.Draw(image)
        for i in range(24):
            draw.text((90, 120 + 56 * i), LINES[i % len(LINES)].format(page=page), fill="black", font=font)
        images.append(image)
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=144)
    return buf.getvalue()


def run(pages: int = 6) -> dict[str, object]:
    base = get_settings()
    load = os.getloadavg()[0]
    started = perf_counter()
    recognize(Image.new("RGB", (64, 64), "white"))  # loads the models
    model_load_s = perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="advisor-bench-ocr-") as tmp:
        root = Path(tmp)
        (root / "corpus").mkdir()
        (root / "corpus" / "scan.pdf").write_bytes(scanned_pdf(pages))
        store = KnowledgeStore(base.model_copy(update={"data_dir": root / "data"}))
        started = perf_counter()
        report = ingest_paths([root / "corpus"], store, root=root / "corpus", progress=False)
        seconds = perf_counter() - started
    done = report.files[0]
    if done.status != "added" or done.ocr_pages != pages:
        raise RuntimeError(f"scanned PDF was not OCR'd as expected: {done}")
    return {
        "ocr_pages": pages,
        "ocr_chunks": done.chunks,
        "ocr_s": round(seconds, 2),
        "ocr_pages_per_s": round(pages / seconds, 3),
        "ocr_s_per_page": round(seconds / pages, 2),
        "ocr_model_load_s": round(model_load_s, 2),
        "load_average_before": round(load, 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_ocr", description=__doc__)
    parser.add_argument("--pages", type=int, default=6, help="pages of the scanned PDF (default 6)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.pages), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
