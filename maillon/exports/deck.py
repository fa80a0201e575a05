"""The meeting deck as PowerPoint (python-pptx): a title slide, then one slide per chart of the
basket with its title, the chart image, the key figure in large type and the source line; the
speaker notes hold the chart's data and method."""

from __future__ import annotations

import io
from datetime import date

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from maillon.exports import basket, images
from maillon.exports.basket import Slide
from maillon.i18n import date_text, t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.45)
PICTURE_BOX = (MARGIN, Inches(1.35), Inches(9.3), Inches(5.4))  # left, top, max width, max height
SIDE_LEFT = Inches(10.05)
SIDE_WIDTH = WIDTH - SIDE_LEFT - MARGIN
GREEN = RGBColor(0x1B, 0x5E, 0x20)
GREY = RGBColor(0x55, 0x55, 0x55)
DARK = RGBColor(0x22, 0x22, 0x22)
ORANGE = RGBColor(0x8A, 0x4B, 0x00)


def _text(slide, left, top, width, height, text: str, size: int, color=DARK, bold=False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    return box


def _picture(slide, png: bytes, width_px: int, height_px: int) -> None:
    """The chart as large as fits the picture box, keeping its proportions."""
    left, top, max_width, max_height = PICTURE_BOX
    scale = min(max_width / width_px, max_height / height_px)
    slide.shapes.add_picture(
        io.BytesIO(png), left, top, Emu(int(width_px * scale)), Emu(int(height_px * scale))
    )


def _title_slide(deck, title: str, filters_text: str, day: date, lang: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    _text(slide, MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(1.3), title, 40, bold=True)
    _text(
        slide,
        MARGIN,
        Inches(3.6),
        WIDTH - 2 * MARGIN,
        Inches(0.6),
        t(lang, "export.deck_date", date=date_text(day, lang)),
        20,
        GREY,
    )
    _text(
        slide,
        MARGIN,
        Inches(4.3),
        WIDTH - 2 * MARGIN,
        Inches(1.4),
        t(lang, "export.deck_filters", filters=filters_text),
        18,
        GREY,
    )


def _chart_slide(deck, item: Slide, png: bytes, size: tuple[int, int], lang: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    _text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(1.0), item.title, 26, bold=True)
    _picture(slide, png, *size)
    if item.key_figure:
        _text(
            slide, SIDE_LEFT, Inches(2.0), SIDE_WIDTH, Inches(1.4), item.key_figure, 54, GREEN, True
        )
        _text(slide, SIDE_LEFT, Inches(3.4), SIDE_WIDTH, Inches(1.6), item.subtitle, 16, GREY)
    if item.mark:
        _text(slide, SIDE_LEFT, Inches(5.3), SIDE_WIDTH, Inches(0.5), item.mark, 14, ORANGE, True)
    _text(
        slide,
        MARGIN,
        Inches(6.85),
        WIDTH - 2 * MARGIN,
        Inches(0.55),
        " ".join(item.source.splitlines()),
        11,
        GREY,
    )
    notes = slide.notes_slide.notes_text_frame
    notes.text = "\n\n".join(
        [
            t(lang, "export.notes_data"),
            basket.data_summary(item, lang),
            t(lang, "export.notes_method"),
            basket.method_text(item, lang),
        ]
    )


def build(
    slides: list[Slide],
    lang: str,
    *,
    filters_text: str,
    day: date | None = None,
) -> bytes:
    """The .pptx file: a title slide, then one slide per basket item in the basket's order."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = t(lang, "export.deck_title")
    deck.core_properties.language = lang
    _title_slide(deck, t(lang, "export.deck_title"), filters_text, day or date.today(), lang)
    for item in slides:
        fig = basket.figure(item)
        png = images.render(fig, "png")
        _chart_slide(deck, item, png, images.size(fig), lang)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
