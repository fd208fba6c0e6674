"""Guidance pictures (勘前辅导示意图) for the demo standards, drawn with Pillow (which
reportlab already requires) in the embedded CJK font, so the demo has real PNG files
without shipping binaries. A figure is a titled row of steps joined by arrows, with notes
underneath. Drawing is deterministic: the same figure gives the same bytes (and sha256).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parents[2] / "portal" / "core" / "fonts"
WIDTH, MARGIN, BOX_H, ARROW = 1200, 48, 120, 36
INK, SEAL, LINE, TINT, MUTED = "#1f2933", "#b3261e", "#9aa5b1", "#fdf1ef", "#52606d"


@dataclass(frozen=True)
class Figure:
    """A process figure: ``steps`` left to right, ``notes`` as bullet lines below."""

    title: str
    steps: tuple[str, ...]
    notes: tuple[str, ...] = ()
    footer: str = "示意图 · 勘前辅导（开卷考试）· 以现行踏勘标准为准"


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSansSC-OneSeal-Bold.ttf" if bold else "NotoSansSC-OneSeal.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (CJK text breaks anywhere; a space
    is a preferred break)."""
    lines: list[str] = []
    for part in text.split(" "):
        line = ""
        for char in part:
            if line and draw.textlength(line + char, font=font) > width:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
    return [line for line in lines if line]


def _arrow(draw: ImageDraw.ImageDraw, x0: int, x1: int, y: int) -> None:
    draw.line([(x0 + 4, y), (x1 - 12, y)], fill=SEAL, width=4)
    draw.polygon([(x1 - 2, y), (x1 - 16, y - 9), (x1 - 16, y + 9)], fill=SEAL)


def _steps(draw: ImageDraw.ImageDraw, steps: tuple[str, ...], top: int) -> None:
    n = len(steps)
    box_w = (WIDTH - 2 * MARGIN - (n - 1) * ARROW) // n
    font = _font(24, bold=True)
    for i, step in enumerate(steps):
        x = MARGIN + i * (box_w + ARROW)
        draw.rounded_rectangle([x, top, x + box_w, top + BOX_H], radius=14, fill=TINT,
                               outline=SEAL, width=3)
        lines = _wrap(draw, step, font, box_w - 20)
        y = top + (BOX_H - 32 * len(lines)) // 2
        for line in lines:
            w = draw.textlength(line, font=font)
            draw.text((x + (box_w - w) / 2, y), line, font=font, fill=INK)
            y += 32
        if i < n - 1:
            _arrow(draw, x + box_w, x + box_w + ARROW, top + BOX_H // 2)


def render_png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    note_font = _font(24)
    notes = [(i, line) for i, note in enumerate(figure.notes)
             for line in _wrap(probe, note, note_font, WIDTH - 2 * MARGIN - 40)]
    height = 150 + BOX_H + 50 + 38 * len(notes) + 90
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 8], fill=SEAL)
    draw.text((MARGIN, 40), figure.title, font=_font(36, bold=True), fill=INK)
    _steps(draw, figure.steps, 130)
    y, previous = 130 + BOX_H + 50, None
    for index, line in notes:
        if index != previous:
            draw.ellipse([MARGIN + 6, y + 12, MARGIN + 18, y + 24], fill=SEAL)
        draw.text((MARGIN + 40, y), line, font=note_font, fill=INK)
        y, previous = y + 38, index
    draw.line([(MARGIN, height - 60), (WIDTH - MARGIN, height - 60)], fill=LINE, width=1)
    draw.text((MARGIN, height - 46), figure.footer, font=_font(20), fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
