"""The bureau's single approval seal (一枚印章), drawn as vector graphics.

Owns the seal's look: a red ring, the bureau's name along the upper arc (upright
characters facing outwards, narrowed like engraved seal script), a five-pointed star in
the centre and the seal's purpose, "行政审批专用章", on a straight line below the star. It
is built as a reportlab ``Drawing`` so it can go on a PDF page (``draw_seal``) or through
any reportlab renderer; text uses the embedded font (``portal.core.pdf``), so the seal
looks the same everywhere. The seal on the page is an image of authority, not a proof:
the proof is the digital signature (``signing.py``).
"""

from __future__ import annotations

import math

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, String
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from portal.core.pdf import FONT_BOLD, register_fonts

SEAL_RED = colors.HexColor("#D7261E")
SEAL_LABEL = "行政审批专用章"
OPACITY = 0.88  # ink over text: the printed words stay readable under the seal
RING = 0.034  # ring width, fraction of the diameter
NAME_SPAN_MAX = 228.0  # degrees of arc the bureau's name may take at most
NAME_SPAN_MIN = 160.0  # short names are spread out to at least this
NARROW = 0.78  # horizontal scale of the arc characters


def _star(cx: float, cy: float, radius: float) -> list[float]:
    """The ten points of a five-pointed star with one point straight up."""
    points: list[float] = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = math.radians(90 + i * 36)
        points += [cx + r * math.cos(angle), cy + r * math.sin(angle)]
    return points


def _glyph(text: str, size: float, *, narrow: float = 1.0) -> Group:
    """One character centred on its local origin's x axis, baseline at y=0."""
    group = Group(String(0, 0, text, fontName=FONT_BOLD, fontSize=size, textAnchor="middle",
                         fillColor=SEAL_RED, fillOpacity=OPACITY))
    group.scale(narrow, 1)
    return group


def _arc_text(text: str, centre: float, radius: float, font_size: float) -> list[Group]:
    """``text`` read left to right along the upper arc; ``radius`` is the baseline's."""
    count = len(text)
    if count == 0:
        return []
    step = math.degrees(font_size * NARROW * 1.12 / radius)
    span = min(max(step * (count - 1), NAME_SPAN_MIN), NAME_SPAN_MAX) if count > 1 else 0.0
    step = span / (count - 1) if count > 1 else 0.0
    glyphs = []
    for i, char in enumerate(text):
        angle = 90 + span / 2 - i * step
        group = Group(_glyph(char, font_size, narrow=NARROW))
        group.translate(centre, centre)
        group.rotate(angle - 90)
        group.translate(0, radius)
        glyphs.append(group)
    return glyphs


def _name_size(text: str, size: float, radius: float) -> float:
    """The largest font size (up to 15% of the diameter) that fits the name in the span."""
    font_size = size * 0.15
    count = max(len(text), 1)
    fitting = math.radians(NAME_SPAN_MAX) * radius / (count * NARROW * 1.12)
    return min(font_size, fitting)


def seal_drawing(bureau: str, size: float, *, label: str = SEAL_LABEL) -> Drawing:
    """The seal as a ``size`` × ``size`` point drawing (origin bottom left)."""
    register_fonts()
    c = size / 2
    ring = size * RING
    drawing = Drawing(size, size, initialFontName=FONT_BOLD, initialFontSize=size * 0.1)
    drawing.add(Circle(c, c, c - ring / 2, strokeColor=SEAL_RED, strokeWidth=ring,
                       fillColor=None, strokeOpacity=OPACITY))
    name_size = _name_size(bureau, size, c * 0.72)
    baseline = c - ring - size * 0.035 - name_size * 0.86
    for glyph in _arc_text(bureau, c, baseline, name_size):
        drawing.add(glyph)
    drawing.add(Polygon(_star(c, c * 1.01, size * 0.165), fillColor=SEAL_RED,
                        strokeColor=None, fillOpacity=OPACITY))
    if label:
        label_size = min(size * 0.085, size * 0.5 / (len(label) * 0.9))
        line = Group(_glyph(label, label_size, narrow=0.9))
        line.translate(c, c - size * 0.25)
        drawing.add(line)
    return drawing


def draw_seal(canvas: Canvas, x: float, y: float, size: float, *, bureau: str,
              label: str = SEAL_LABEL) -> None:
    """Stamp the seal on ``canvas`` centred at (``x``, ``y``), ``size`` points across
    (an official seal is 40-42 mm). The ink multiplies with what is under it, as stamped
    ink does: black text under the seal stays black and readable."""
    canvas.saveState()
    canvas.setBlendMode("Multiply")
    renderPDF.draw(seal_drawing(bureau, size, label=label), canvas, x - size / 2, y - size / 2)
    canvas.restoreState()
