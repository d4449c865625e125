#!/usr/bin/env python3
"""Makes the figures of the Iskra handbook (articles/handbook/images/).

    pip install pillow==13.0.0
    cargo build --release
    python3 articles/handbook/images/make.py     # from the repository's root

Every figure is made by the Iskra project for this handbook and licensed
under the Creative Commons Attribution 4.0 licence (CC BY 4.0), as each
caption says:

- pipeline.png, page.png, wrap.png, service.png: diagrams drawn here with
  Pillow, lettered in Gentium Book Plus and DejaVu Sans Mono (the faces
  that ship with Iskra; SIL Open Font License and the DejaVu licence);
- opening.png, pullquote.png: pages of the built books drawn by Iskra's
  own raster backend, fetched from `iskra watch --preview`;
- preview.png, ereader.png: Debian's Chromium (headless, driven by
  playwright-core through shoot.mjs) showing Iskra's preview page and a
  chapter of the 1917 e-book.
"""

import json
import math
import shutil
import subprocess
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
ISKRA = ROOT / "target/release/iskra"
FONTS = ROOT / "fonts"

INK = (28, 26, 26)
GREY = (120, 114, 108)
LIGHT = (236, 230, 218)
RED = (178, 24, 30)
PALE_RED = (248, 222, 218)
WHITE = (255, 255, 255)


def serif(size, style="Regular"):
    return ImageFont.truetype(str(FONTS / f"GentiumBookPlus-{style}.ttf"), size)


def mono(size):
    return ImageFont.truetype(str(FONTS / "DejaVuSansMono.ttf"), size)


class Canvas:
    def __init__(self, width, height):
        self.image = Image.new("RGB", (width, height), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    def text(self, centre, text, face, fill=INK):
        """Lines of text centred on a point."""
        lines = text.split("\n")
        heights = [self.draw.textbbox((0, 0), line, font=face) for line in lines]
        line_height = face.size * 1.25
        y = centre[1] - line_height * len(lines) / 2
        for line, (l, t, r, b) in zip(lines, heights):
            self.draw.text((centre[0] - (r - l) / 2 - l, y + (line_height - face.size) / 2 - 2),
                           line, font=face, fill=fill)
            y += line_height

    def box(self, rect, text, face, fill=LIGHT, outline=INK, text_fill=INK):
        self.draw.rounded_rectangle(rect, radius=18, fill=fill, outline=outline, width=4)
        self.text(((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2), text, face, text_fill)

    def arrow(self, start, end, label=None, face=None, colour=INK):
        self.draw.line([start, end], fill=colour, width=5)
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        head = [end,
                (end[0] - 26 * math.cos(angle - 0.4), end[1] - 26 * math.sin(angle - 0.4)),
                (end[0] - 26 * math.cos(angle + 0.4), end[1] - 26 * math.sin(angle + 0.4))]
        self.draw.polygon(head, fill=colour)
        if label:
            mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 - 30)
            self.text(mid, label, face, colour)

    def save(self, name):
        self.image.save(HERE / name, optimize=True)
        print(f"wrote {(HERE / name).relative_to(ROOT)}")


def pipeline():
    """The stages, from the files to the outputs."""
    c = Canvas(1600, 760)
    small, label, code = serif(34), serif(36, "Italic"), mono(28)
    files = (20, 260, 340, 480)
    c.box(files, "<series>/*.md\nseries.toml\nimages/", code, fill=WHITE)
    model = (470, 260, 760, 480)
    c.box(model, "model::\nSeries", code)
    pages = (900, 260, 1190, 480)
    c.box(pages, "page::\nDocument", code)
    pdf = (1330, 120, 1570, 260)
    c.box(pdf, "book.pdf", code, fill=PALE_RED, outline=RED)
    epub = (1330, 560, 1570, 700)
    c.box(epub, "book.epub", code, fill=PALE_RED, outline=RED)
    raster = (1330, 330, 1570, 470)
    c.box(raster, "pictures", code, fill=PALE_RED, outline=RED)
    c.arrow((340, 370), (470, 370), "parse", label)
    c.arrow((760, 370), (900, 370), "layout", label)
    c.arrow((1190, 330), (1330, 200))
    c.text((1230, 230), "pdf", label)
    c.arrow((1190, 370), (1330, 400), "raster", label)
    c.draw.line([(615, 480), (615, 630), (1330, 630)], fill=INK, width=5)
    c.arrow((1200, 630), (1330, 630))
    c.text((880, 672), "epub, with the print page list", label)
    c.arrow((1045, 480), (1045, 612))
    c.text((800, 60), "One way through: each stage hands the next a plain value", serif(44, "Bold"))
    c.text((800, 120), "Markdown and front matter are read once; layout runs once for the PDF,", small)
    c.text((800, 170), "the e-book's page list and the preview's pictures", small)
    c.save("pipeline.png")


def page():
    """An A5 page with the parts of its design named."""
    scale = 5.0  # pixels per millimetre
    width, height = int(148 * scale), int(210 * scale)
    bleed = 3 * scale
    c = Canvas(1600, height + 2 * 90)
    ox, oy = 80, 90  # the trim's top-left corner
    small, code, label = serif(30), mono(24), serif(30, "Italic")
    # Bleed and trim.
    c.draw.rectangle((ox - bleed, oy - bleed, ox + width + bleed, oy + height + bleed),
                     fill=PALE_RED)
    c.draw.rectangle((ox, oy, ox + width, oy + height), fill=WHITE, outline=INK, width=3)
    for (x, y, sx, sy) in [(ox, oy, -1, -1), (ox + width, oy, 1, -1),
                           (ox, oy + height, -1, 1), (ox + width, oy + height, 1, 1)]:
        c.draw.line([(x + sx * (bleed + 12), y), (x + sx * (bleed + 60), y)], fill=INK, width=3)
        c.draw.line([(x, y + sy * (bleed + 12)), (x, y + sy * (bleed + 60))], fill=INK, width=3)
    # Text block: 105 mm measure, 20 mm from the top, lines of type.
    left = ox + (148 - 105) / 2 * scale
    top = oy + 20 * scale
    right = left + 105 * scale
    bottom = oy + height - 24 * scale
    c.draw.text((left, top - 12 * scale), "Running head", font=serif(26, "Italic"), fill=GREY)
    y = top
    n = 0
    while y + 8 < bottom:
        start = left + (24 if n % 6 == 0 else 0)
        end = right - (180 if n % 6 == 5 else 0)
        c.draw.rectangle((start, y + 4, end, y + 12), fill=(200, 196, 190))
        y += 13 * 25.4 / 72 * scale
        n += 1
    c.text(((left + right) / 2, oy + height - 12 * scale), "17", serif(28))
    # Dimensions.
    def dimension(a, b, text, vertical=False):
        c.draw.line([a, b], fill=RED, width=3)
        for p in (a, b):
            if vertical:
                c.draw.line([(p[0] - 12, p[1]), (p[0] + 12, p[1])], fill=RED, width=3)
            else:
                c.draw.line([(p[0], p[1] - 12), (p[0], p[1] + 12)], fill=RED, width=3)
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        c.text((mid[0] + (70 if vertical else 0), mid[1] - (0 if vertical else 28)), text, label,
               RED)
    dimension((left, oy + 60 * scale), (right, oy + 60 * scale), "measure 105 mm")
    dimension((ox + width - 24 * scale, oy), (ox + width - 24 * scale, top), "20 mm", True)
    # Labels on the right.
    x = ox + width + 80
    notes = [
        (oy + 8 * scale, "page-size = \"a5\"  (148 × 210 mm)"),
        (oy + 36 * scale, "running head: the series on the left,"),
        (oy + 43 * scale, "the article on the right"),
        (oy + 80 * scale, "font-size = 10.5, leading = 13"),
        (oy + 87 * scale, "indent = 1.0 (em)"),
        (oy + 120 * scale, "margin-top = \"20mm\""),
        (oy + 127 * scale, "measure = \"105mm\""),
        (oy + 160 * scale, "bleed = \"3mm\" (red), crop-marks = true"),
        (oy + 167 * scale, "gutter: moves the block outwards"),
        (oy + 200 * scale, "folio: the page number"),
    ]
    for y, text in notes:
        c.draw.text((x, y), text, font=code if "=" in text else small, fill=INK)
    c.save("page.png")


def wrap():
    """The cover wrap: back, spine and front, with bleed and barcode box."""
    c = Canvas(1600, 900)
    small, label, code = serif(32), serif(34, "Italic"), mono(26)
    top, bottom = 150, 770
    panel = 560
    spine = 90
    left = (1600 - 2 * panel - spine) / 2
    bleed = 26
    c.draw.rectangle((left - bleed, top - bleed, left + 2 * panel + spine + bleed, bottom + bleed),
                     fill=PALE_RED)
    back = (left, top, left + panel, bottom)
    sp = (left + panel, top, left + panel + spine, bottom)
    front = (left + panel + spine, top, left + 2 * panel + spine, bottom)
    for rect, fill in [(back, WHITE), (sp, LIGHT), (front, WHITE)]:
        c.draw.rectangle(rect, fill=fill, outline=INK, width=3)
    c.text(((back[0] + back[2]) / 2, top + 120), "BACK", serif(48, "Bold"), GREY)
    c.text(((back[0] + back[2]) / 2, top + 260), "the subtitle, then\nthe titles of the\narticles",
           small, GREY)
    barcode = (back[2] - 40 - 2 * 96, bottom - 40 - 1.2 * 96, back[2] - 40, bottom - 40)
    c.draw.rectangle(barcode, fill=WHITE, outline=RED, width=4)
    c.text(((barcode[0] + barcode[2]) / 2, (barcode[1] + barcode[3]) / 2),
           "kept white\n2 × 1.2 in", serif(26), RED)
    c.text(((front[0] + front[2]) / 2, top + 120), "FRONT", serif(48, "Bold"), GREY)
    c.text(((front[0] + front[2]) / 2, top + 300), "the cover image\nor the typographic\ncover",
           small, GREY)
    spine_text = Image.new("RGBA", (bottom - top - 60, spine - 20), (0, 0, 0, 0))
    ImageDraw.Draw(spine_text).text((20, 8), "Title on the spine from 80 pages", font=serif(34),
                                    fill=INK)
    c.image.paste(spine_text.rotate(-90, expand=True), (int(sp[0] + 14), top + 30),
                  spine_text.rotate(-90, expand=True))
    # Dimension of the spine.
    y = bottom + 70
    c.draw.line([(sp[0], y), (sp[2], y)], fill=RED, width=3)
    for x in (sp[0], sp[2]):
        c.draw.line([(x, y - 14), (x, y + 14)], fill=RED, width=3)
    c.text(((sp[0] + sp[2]) / 2 + 330, y), "spine = pages × paper thickness", label, RED)
    c.text((800, 60), "iskra cover: one sheet for the printer", serif(44, "Bold"))
    c.text((800, 110), "--paper kdp-cream, or a thickness per page such as 0.07mm", code, GREY)
    c.save("wrap.png")


def service():
    """How a request for an article's PDF is answered."""
    c = Canvas(1600, 900)
    small, label, code = serif(32), serif(32, "Italic"), mono(26)
    c.box((40, 330, 300, 500), "reader's\nbrowser", small, fill=WHITE)
    c.box((420, 330, 680, 500), "CDN or\nproxy", small, fill=WHITE)
    c.draw.rounded_rectangle((800, 130, 1560, 860), radius=24, outline=RED, width=5)
    c.text((1180, 180), "iskra serve", mono(36), RED)
    steps = [
        (280, "the article's files unchanged?\n(a few stat calls)"),
        (420, "in the memory cache?"),
        (560, "in the disk cache?"),
        (700, "render on a worker\n(queue, timeout)"),
    ]
    for y, text in steps:
        c.box((860, y - 52, 1500, y + 52), text, small)
    for (y0, _), (y1, _) in zip(steps, steps[1:]):
        c.arrow((1180, y0 + 52), (1180, y1 - 52))
    c.arrow((300, 415), (420, 415))
    c.arrow((680, 415), (860, 415))
    c.text((360, 560), "GET /articles/<series>/<slug>.pdf", code)
    c.text((1180, 805), "key: BLAKE3 of the article, series.toml,\nimages, fonts and engine", code,
           GREY)
    c.text((800, 60), "The Download PDF button: set once, then served from a cache", serif(44, "Bold"))
    c.text((360, 660), "304 when If-None-Match holds the ETag", label, GREY)
    c.save("service.png")


def page_pictures():
    """Pages of the books as Iskra's raster backend draws them, taken from
    the preview server."""
    shots = [
        ("russian-revolution", "opening.png", lambda pages: next(
            i for i, p in enumerate(pages) if p["label"] == "1")),
        ("handbook", "pullquote.png", None),
    ]
    for series, name, choose in shots:
        work = Path(tempfile.mkdtemp(prefix="iskra-figures-"))
        proc = subprocess.Popen([str(ISKRA), "watch", f"articles/{series}", "-o", str(work),
                                 "--preview", "--addr", "127.0.0.1:0"], cwd=ROOT,
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        try:
            address = None
            for line in proc.stderr:
                if line.startswith("preview at "):
                    address = line.split()[-1].rstrip("/")
                if "watching" in line:
                    break
            state = json.load(urllib.request.urlopen(f"{address}/state"))
            pages = state["pages"]
            index = choose(pages) if choose else pullquote_page(work / f"{series}.pdf")
            page = pages[index]
            png = urllib.request.urlopen(f"{address}/page/{index}/{page['id']}.png").read()
            (HERE / name).write_bytes(png)
            image = Image.open(HERE / name).convert("RGB")
            framed = Image.new("RGB", (image.width + 8, image.height + 8), GREY)
            framed.paste(image, (4, 4))
            framed.save(HERE / name, optimize=True)
            print(f"wrote {(HERE / name).relative_to(ROOT)} (page {page['label']} of {series})")
        finally:
            proc.terminate()
            proc.wait()
            shutil.rmtree(work)


def pullquote_page(pdf):
    """The index of the first page whose text holds the handbook's pull quote."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for index, page in enumerate(text.split("\f")):
        if "A pull quote is a line" in page:
            return index
    raise SystemExit("no page with the pull quote")


def shoot(url, name, width, height, scale=1, folio=""):
    """A screenshot in headless Chromium (shoot.mjs, with playwright-core)."""
    subprocess.run(["node", str(HERE / "shoot.mjs"), url, str(HERE / name), str(width),
                    str(height), str(scale), folio], check=True)
    Image.open(HERE / name).convert("RGB").save(HERE / name, optimize=True)
    print(f"wrote {(HERE / name).relative_to(ROOT)}")


def screenshots():
    """Iskra's preview page showing the handbook, and a chapter of the 1917
    e-book."""
    work = Path(tempfile.mkdtemp(prefix="iskra-shots-"))
    proc = subprocess.Popen([str(ISKRA), "watch", "articles/handbook", "-o",
                             str(work / "out"), "--preview", "--addr", "127.0.0.1:0"], cwd=ROOT,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        address = None
        for line in proc.stderr:
            if line.startswith("preview at "):
                address = line.split()[-1]
            if "watching" in line:
                break
        shoot(address, "preview.png", 1400, 900, 1, "1")
        subprocess.run([str(ISKRA), "build", "articles/russian-revolution", "--epub",
                        "--embed-fonts", "-o", str(work / "out")], cwd=ROOT, check=True,
                       capture_output=True)
        chapter = work / "epub"
        zipfile.ZipFile(work / "out" / "russian-revolution.epub").extractall(chapter)
        xhtml = next(p for p in chapter.rglob("*.xhtml") if "april" in p.name)
        shoot(xhtml.as_uri(), "ereader.png", 560, 760, 2)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work)


def main():
    pipeline()
    page()
    wrap()
    service()
    page_pictures()
    screenshots()


if __name__ == "__main__":
    main()
