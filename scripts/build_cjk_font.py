#!/usr/bin/env python3
"""Build the committed CJK subset fonts in ``portal/core/fonts/`` (Regular and Bold).

A maintainer tool, not run by the tests or the app (ADR 0014). It needs:

* fontTools (``.venv/bin/pip install fonttools``; a dev-time tool only),
* the Debian package ``fonts-noto-cjk`` (SIL OFL 1.1, Noto Sans CJK 2.004), which installs
  ``/usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc``.

Steps: take the Simplified-Chinese face ("Noto Sans CJK SC") of the collection; subset it
to ASCII, Latin-1, common punctuation and symbols, CJK punctuation, full-width forms, every
character of GB 2312 (all byte pairs decoded with Python's ``gb2312`` codec: 6,763 hanzi
plus the symbol rows) and a few hanzi common in names and place names that GB 2312 lacks;
drop the layout and vertical-metrics tables (reportlab uses none of them); convert the
cubic CFF outlines to quadratic TrueType (``glyf``) with cu2qu, because reportlab embeds
TrueType outlines only; rename the family so the subset is never mistaken for the original
(OFL condition 3); save without touching the timestamps, so the same inputs give the same
bytes.

Usage::

    .venv/bin/python scripts/build_cjk_font.py [--source-dir DIR] [--out-dir DIR]

and then commit both ``.ttf`` files; ``portal/core/fonts/README.md`` records the result.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
OUT_DIR = ROOT / "portal" / "core" / "fonts"
FACE_NAME = "Noto Sans CJK SC"
FAMILY = "Noto Sans SC OneSeal"
#: (style, source collection, output file = PostScript name + ".ttf")
WEIGHTS = [
    ("Regular", "NotoSansCJK-Regular.ttc", "NotoSansSC-OneSeal"),
    ("Bold", "NotoSansCJK-Bold.ttc", "NotoSansSC-OneSeal-Bold"),
]
MAX_ERR = 1.0  # font units (of 1000): cu2qu approximation tolerance, invisible in print

#: Code point ranges besides GB 2312 (only those the font actually has are kept).
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: punctuation, ×, ÷, ·, accented letters
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2100, 0x218F),  # ℃ № ™ Ⅰ-Ⅻ
    (0x2190, 0x2199),  # arrows
    (0x2460, 0x24FF),  # ① ⑴ ⒈
    (0x25A0, 0x25FF),  # ■ □ ▲ △ ○ ●
    (0x2605, 0x2606),  # ★ ☆
    (0x2610, 0x2612),  # ☐ ☑ ☒ (check boxes on forms)
    (0x2713, 0x2714),  # ✓ ✔
    (0x3000, 0x303F),  # CJK punctuation: 、。〈〉《》「」『』【】〔〕
    (0x3220, 0x3243),  # ㈠ - ㈩
    (0xFF01, 0xFF5E),  # full-width forms
    (0xFFE0, 0xFFE6),  # ￠ ￡ ￥
]

#: Hanzi outside GB 2312 that are common in personal, company and place names
#: (e.g. 朱镕基, 鄠邑区, 硚口区, 埇桥区, 浉河区); characters already in GB 2312 are harmless.
EXTRA_HANZI = (
    "喆堃昇珺琇玥祎彧垚犇镕赟珏婧煜晗蕙翀翃淏浛沄汭滢澍濬嬿姮昀旻暐晞锴堉埕峣崧桉樾槿"
    "禛祐瑀玙珅璨珣珩玓玧珈珞琤锟铄頔炘焓晧皓亓仝郄逄甯禤邶滘氹埇堌塅硚鄠洺浉浈磡冚"
    "昉昺晔钖铧鋆镛湲沣泓洢淇溱潆瀚芃苒茜荟莜菀蓁薏蘅霈霏雯靓颀骅麟鹍鹏鹓曌乂丨丿"
    "啰喔嗯嘞噻璘瑢瑭琋琰瑷璎璿珮珽琚琮琯瑒"
)


def wanted_text() -> str:
    """Every character the subset should cover, as one string."""
    chars = {chr(cp) for lo, hi in RANGES for cp in range(lo, hi + 1)}
    for hi_byte in range(0xA1, 0xF8):
        for lo_byte in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi_byte, lo_byte)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    chars.update(EXTRA_HANZI)
    return "".join(sorted(chars))


def load_face(source: Path) -> TTFont:
    """Open the Simplified-Chinese face of the collection."""
    for number in range(32):
        font = TTFont(source, fontNumber=number, recalcTimestamp=False)
        if font["name"].getDebugName(1) == FACE_NAME:
            return font
    raise SystemExit(f"{FACE_NAME!r} not found in {source}")


def subset_font(font: TTFont, text: str) -> None:
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """Replace the cubic CFF outlines with quadratic TrueType ones (fontTools' otf2ttf)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: the CID names mean nothing to anyone
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0


def rename(font: TTFont, style: str, ps_name: str) -> None:
    """A Modified Version gets its own name (no Reserved Font Name is used)."""
    name = font["name"]
    version = font["head"].fontRevision
    for record in list(name.names):
        if record.nameID in (16, 17, 21, 22):
            name.removeNames(nameID=record.nameID)
    values = {
        1: FAMILY,
        2: style,
        3: f"{version:.3f};ONESEAL;{ps_name}",
        4: f"{FAMILY} {style}",
        5: f"Version {version:.3f}; subset of Noto Sans CJK SC for OneSeal",
        6: ps_name,
    }
    for name_id, value in values.items():
        name.removeNames(nameID=name_id)
        name.setName(value, name_id, 3, 1, 0x409)


def build(source: Path, out: Path, style: str, ps_name: str) -> TTFont:
    font = load_face(source)
    subset_font(font, wanted_text())
    cff_to_glyf(font)
    rename(font, style, ps_name)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(out, reorderTables=True)
    return font


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    for style, source_name, ps_name in WEIGHTS:
        source = args.source_dir / source_name
        if not source.exists():
            print(f"{source} is missing: apt-get install fonts-noto-cjk", file=sys.stderr)
            return 2
        out = args.out_dir / f"{ps_name}.ttf"
        font = build(source, out, style, ps_name)
        cmap = TTFont(out)["cmap"].getBestCmap()
        print(f"{out}: {out.stat().st_size:,} bytes, "
              f"{len(font.getGlyphOrder()):,} glyphs, {len(cmap):,} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
