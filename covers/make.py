#!/usr/bin/env python3
"""Draws the covers of the series that ship with Iskra, as covers/<series>.png.

    pip install pillow==13.0.0
    python3 covers/make.py        # from the repository's root

Made for the Iskra project and licensed like its handbook, under the
Creative Commons Attribution 4.0 licence (CC BY 4.0): geometric artwork
drawn here, and type set in Gentium Book Plus (SIL Open Font License,
fonts/OFL.txt), the book face that ships with Iskra.

Each cover is an A5 page at 300 dpi (1748 × 2480 pixels). Iskra scales a
cover to fill the page and its bleed, so nothing that matters comes within
5 mm of an edge.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"
WIDTH, HEIGHT = 1748, 2480
MM = WIDTH / 148  # pixels per millimetre

RED = (178, 24, 30)
DARK_RED = (120, 12, 18)
BLACK = (20, 18, 18)
PAPER = (246, 240, 226)
WHITE = (252, 250, 245)
EMBER = (232, 96, 28)


def font(style, size):
    return ImageFont.truetype(str(FONTS / f"GentiumBookPlus-{style}.ttf"), size)


def centred(draw, y, text, face, fill):
    """Text centred across the page with its top at y; gives its bottom."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    draw.text(((WIDTH - (right - left)) / 2 - left, y - top), text, font=face, fill=fill)
    return y + (bottom - top)


def revolution():
    """1917: a red wedge driving into a white disc on black, after El
    Lissitzky's poster of 1919, over a red band with the title."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    art_bottom = HEIGHT * 0.60
    draw.rectangle((WIDTH * 0.5, 0, WIDTH, art_bottom), fill=BLACK)
    # The white disc on the black half, the wedge from the white half.
    cx, cy, r = WIDTH * 0.68, art_bottom * 0.52, WIDTH * 0.24
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    tip = (cx + r * 0.10, cy + r * 0.05)
    draw.polygon([(8 * MM, cy - r * 0.62), (8 * MM, cy + r * 0.70), tip], fill=RED)
    # Splinters thrown off where the wedge strikes.
    for i, (dx, dy, size) in enumerate([(0.95, -0.95, 70), (1.0, 0.95, 50),
                                        (0.05, -1.25, 56), (0.35, 1.3, 44)]):
        x, y = cx + r * dx, cy + r * dy
        angle = 0.6 + i * 1.1
        points = [(x + size * math.cos(angle + k * 2.2), y + size * math.sin(angle + k * 2.2))
                  for k in range(3)]
        draw.polygon(points, fill=RED)
    # Bars across the top of the white half.
    for k in range(3):
        y0 = 16 * MM + k * 26 * 3
        draw.rectangle((12 * MM, y0, WIDTH * 0.5 - 12 * MM, y0 + 34), fill=BLACK)
    # The red band with the title.
    draw.rectangle((0, art_bottom, WIDTH, HEIGHT), fill=RED)
    y = centred(draw, art_bottom + 120, "1917", font("Bold", 420), WHITE)
    y = centred(draw, y + 80, "The Russian Revolution", font("Bold", 120), WHITE)
    centred(draw, y + 50, "A weekly series", font("Italic", 80), (250, 215, 205))
    centred(draw, HEIGHT - 16 * MM - 56, "SOCIALIST WORKER", font("Bold", 56), BLACK)
    return image


def handbook():
    """The handbook: a spark (iskra) struck over a page of lines of type."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    # A page of grey lines of type, one paragraph indented, as on a proof.
    left, right = 22 * MM, WIDTH - 22 * MM
    for n in range(22):
        y = 24 * MM + n * 44
        start = left + (60 if n % 7 == 0 else 0)
        end = right - (260 if n % 7 == 6 else 0)
        draw.rounded_rectangle((start, y, end, y + 16), radius=8, fill=(214, 206, 190))
    # The spark: rays of varying length around a bright core.
    cx, cy = WIDTH * 0.5, HEIGHT * 0.40
    for k in range(24):
        angle = k * math.pi / 12 + 0.13
        length = (430 if k % 2 == 0 else 260) * (1.0 if k % 3 else 0.8)
        width = 34 if k % 2 == 0 else 20
        tip = (cx + length * math.cos(angle), cy + length * math.sin(angle))
        side = (math.cos(angle + math.pi / 2) * width, math.sin(angle + math.pi / 2) * width)
        draw.polygon([(cx + side[0], cy + side[1]), tip, (cx - side[0], cy - side[1])],
                     fill=EMBER if k % 2 == 0 else RED)
    draw.ellipse((cx - 120, cy - 120, cx + 120, cy + 120), fill=(255, 214, 120))
    draw.ellipse((cx - 62, cy - 62, cx + 62, cy + 62), fill=WHITE)
    # Title block.
    top = HEIGHT * 0.64
    draw.rectangle((18 * MM, top - 30, WIDTH - 18 * MM, top - 22), fill=BLACK)
    y = centred(draw, top + 30, "The Iskra", font("Bold", 180), BLACK)
    y = centred(draw, y + 36, "Handbook", font("Bold", 180), BLACK)
    y = centred(draw, y + 60, "Writing, building and serving", font("Italic", 76), (70, 60, 55))
    centred(draw, y + 24, "a series of articles", font("Italic", 76), (70, 60, 55))
    centred(draw, HEIGHT - 16 * MM - 52, "THE ISKRA PROJECT", font("Bold", 52), RED)
    return image


def main():
    for name, draw in [("russian-revolution", revolution), ("handbook", handbook)]:
        path = ROOT / "covers" / f"{name}.png"
        draw().save(path, optimize=True)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
