"""The associations page's hand-over tab: pick a local group or an area (a DISP) and a year, read
the pack's sections as tables and take away its PDF and its zip (made when clicked)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from maillon.exports import handover as handover_files
from maillon.figures import handover
from maillon.figures.handover import Subject
from maillon.i18n import t
from maillon.plain_text import plain_markdown
from maillon.web import table_view

KINDS = ("group", "area")


def _subject(groups: pl.DataFrame, lang: str, where) -> Subject:
    """One local group or one area, as the reader picks (the kind above, the name in `where`)."""
    kind = st.radio(
        t(lang, "handover.pick_kind"),
        KINDS,
        format_func=lambda k: t(lang, f"handover.kind_{k}"),
        horizontal=True,
        key="handover_kind",
    )
    if kind == "area":
        areas = handover.areas(groups)
        return Subject(
            disp=where.selectbox(t(lang, "handover.pick_area"), areas, key="handover_area")
        )
    names = dict(zip(groups["local_group_id"], groups["name"], strict=True))
    picked = where.selectbox(
        t(lang, "handover.pick_group"), list(names), format_func=names.get, key="handover_group"
    )
    return Subject(group_id=picked)


def show(lang: str) -> None:
    st.subheader(t(lang, "handover.heading"))
    st.caption(t(lang, "handover.intro"))
    groups = handover.choices()
    if groups.is_empty():
        st.info(t(lang, "handover.none"))
        return
    picker = st.container()  # the kind of pack first, then its name and year side by side
    who, when = st.columns([3, 1])
    with picker:
        subject = _subject(groups, lang, who)
    years = handover.years(subject)[::-1]  # latest first
    year = when.selectbox(
        t(lang, "handover.pick_year"),
        years,
        key=f"handover_year_{subject.group_id or subject.disp}",
    )
    pack = handover.build(subject, year)
    stem = handover_files.file_stem(pack, lang)
    files = st.container(horizontal=True)
    files.download_button(
        t(lang, "handover.download_pdf"),
        data=lambda: handover_files.pdf(pack, lang),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        key="handover_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )
    files.download_button(
        t(lang, "handover.download_zip"),
        data=lambda: handover_files.zip_bytes(pack, lang),
        file_name=f"{stem}.zip",
        mime="application/zip",
        key="handover_zip",
        icon=":material/folder_zip:",
        on_click="ignore",
    )
    st.markdown(f"#### {plain_markdown(pack.title(lang))}")  # a group's name is imported text
    years_text = {"year": year, "previous": year - 1, "next_year": year + 1}
    for name in handover.READING_ORDER:
        st.markdown(f"**{t(lang, f'handover.section_{name}')}**")
        st.caption(t(lang, f"handover.note_{name}", **years_text))
        frame = handover.table(pack, name, lang)
        if frame.height:
            table_view.show(frame)
        else:
            empty = "handover.no_changes" if name == "changes" else "handover.empty"
            st.info(t(lang, empty, **years_text))
    st.caption(t(lang, "handover.contact_note"))
