"""Administration: nothing but a login form until the admin has logged in (credentials from the
environment or secrets, see maillon.admin.auth); then importing files (check, preview, apply), the
versions with a one-click restore, the full backup and the import log."""

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path, PurePath

import streamlit as st

from maillon.admin import (
    auth,
    backup,
    import_formats,
    import_log,
    importer,
    listings,
    open_data,
    record_edit,
)
from maillon.admin.decp import DecpError
from maillon.admin.sirene import SireneFileError
from maillon.data import catalog
from maillon.data.config import database_path
from maillon.database import build
from maillon.database.validate import ValidationError
from maillon.exports import downloads
from maillon.i18n import t
from maillon.web import ui

SESSION_KEY = "_admin_expires_at"
CANDIDATE_KEY = "_admin_candidate"
PROBLEMS_KEY = "_admin_problems"
MESSAGE_KEY = "_admin_message"  # (section, kind, text): said under the section's buttons
RESTORE_KEY = "_admin_restore_asked"  # the restore waits for its confirmation
UPLOAD_ROUND_KEY = "_admin_upload_round"
REPORT_KEY = "_admin_open_data_report"
RECORD_KEY = "_admin_record"  # the record checked in the one-record form (record_edit.Proposal)
RECORD_ROUND_KEY = "_admin_record_round"
# What the uploaded files are: Maillon's own tables, or open data Maillon reads as published.
IMPORT_KINDS = {
    "tables": ["csv", "xlsx", "zip", "parquet"],
    "decp": ["json", "zip", "csv", "parquet"],
    "sirene": ["csv", "zip", "parquet"],
}

lang = ui.language()
st.title(t(lang, "admin.title"))

credentials = auth.Credentials.configured()
if credentials is None:
    st.info(t(lang, "admin.disabled"))
    st.stop()


def forget_checked_versions() -> None:
    """Remove the versions this session checked but did not apply (on log-out or expiry)."""
    if (candidate := st.session_state.pop(CANDIDATE_KEY, None)) is not None:
        importer.discard(candidate)
    if (proposal := st.session_state.pop(RECORD_KEY, None)) is not None:
        record_edit.discard(proposal)


if not auth.session_valid(st.session_state.get(SESSION_KEY)):
    st.session_state.pop(SESSION_KEY, None)
    forget_checked_versions()
    with st.form("admin_login"):
        user = st.text_input(t(lang, "admin.user"), autocomplete="username")
        password = st.text_input(
            t(lang, "admin.password"), type="password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t(lang, "admin.log_in"))
    if submitted:
        address = st.context.ip_address or ""
        time.sleep(auth.delay_for(user))  # slows a guesser down; this session only
        expires_at = auth.log_in(credentials, user, password, address)
        if expires_at is None:
            wait = auth.locked_for(user, address)
            if wait:
                st.error(t(lang, "admin.locked", minutes=int(wait // 60) + 1))
            else:
                st.error(t(lang, "admin.wrong"))
        else:
            st.session_state[SESSION_KEY] = expires_at
            st.rerun()
    st.stop()

# Logged in from here on.
expires = datetime.fromtimestamp(st.session_state[SESSION_KEY], UTC).strftime("%H:%M UTC")
st.caption(t(lang, "admin.session", time=expires))
if st.button(t(lang, "admin.log_out")):
    st.session_state.pop(SESSION_KEY, None)
    st.rerun()

db = database_path()
who = credentials.user


def forget_check() -> None:
    candidate = st.session_state.pop(CANDIDATE_KEY, None)
    if candidate is not None:
        importer.discard(candidate)
    st.session_state.pop(PROBLEMS_KEY, None)
    st.session_state.pop(REPORT_KEY, None)


def check_open_data(kind: str, files: list[tuple[str, bytes]]) -> importer.Candidate:
    """Check DECP or SIRENE files; what they kept and left out goes to the report."""
    if kind == "decp":
        candidate, read, tables = open_data.check_decp(files, who, db)
        st.session_state[REPORT_KEY] = (
            listings.decp_report_frame(
                read.dropped_by_reason(), read.contracts.height, read.garbled(), lang
            ),
            t(
                lang,
                "admin.decp_located",
                located=tables.located,
                missing=tables.not_located.height,
            ),
            listings.not_located_frame(tables.not_located, lang),
        )
        return candidate
    name, data = files[0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / PurePath(name).name  # a browser's file name, never a path
        path.write_bytes(data)
        try:
            candidate, tables = open_data.check_sirene(path, who, db)
        except SireneFileError as error:  # say the file's name, not where the server put it
            raise SireneFileError(str(error).replace(f"{folder}/", "")) from error
    st.session_state[REPORT_KEY] = (
        None,
        t(lang, "admin.sirene_classified", found=tables.classified, missing=len(tables.not_found)),
        listings.not_found_frame(tables.not_found),
    )
    return candidate


def keep_outcome(section: str, kind: str, text: str) -> None:
    """Keep an outcome to show, after the rerun, where the button that caused it was."""
    st.session_state[MESSAGE_KEY] = (section, kind, text)


def show_outcome(section: str) -> None:
    """The outcome kept for this section, if any."""
    message = st.session_state.get(MESSAGE_KEY)
    if message is not None and message[0] == section:
        del st.session_state[MESSAGE_KEY]
        (st.success if message[1] == "success" else st.warning)(message[2])


st.header(t(lang, "admin.import_title"), divider="gray")
st.caption(t(lang, "admin.import_help"))
with st.expander(t(lang, "admin.templates"), icon=":material/description:"):
    st.caption(t(lang, "admin.formats_doc"))
    table = st.selectbox(t(lang, "admin.template_table"), catalog.entity_tables(), key="_tpl_table")
    left, right = st.columns(2)
    left.download_button(
        t(lang, "admin.template_csv"),
        data=import_formats.template_csv(table),
        file_name=f"{table}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    right.download_button(
        t(lang, "admin.template_xlsx"),
        data=import_formats.template_xlsx,  # built only when clicked
        file_name="maillon_templates.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )

kind = st.radio(
    t(lang, "admin.import_kind"),
    list(IMPORT_KINDS),
    format_func=lambda k: t(lang, f"admin.import_kind_{k}"),
    horizontal=True,
    key="_admin_import_kind",
    on_change=forget_check,
)
st.caption(t(lang, f"admin.import_kind_{kind}_help"))
upload = st.file_uploader(
    t(lang, f"admin.upload_{kind}"),
    type=IMPORT_KINDS[kind],
    accept_multiple_files=kind != "sirene",
    key=f"_admin_upload_{kind}_{st.session_state.get(UPLOAD_ROUND_KEY, 0)}",
    on_change=forget_check,
)
uploaded = upload if isinstance(upload, list) else [upload] if upload else []
if st.button(t(lang, "admin.check"), disabled=not uploaded, icon=":material/fact_check:"):
    forget_check()
    with st.spinner(t(lang, "admin.checking")):
        try:
            files = [(f.name, f.getvalue()) for f in uploaded]
            st.session_state[CANDIDATE_KEY] = (
                importer.check(files, who, db) if kind == "tables" else check_open_data(kind, files)
            )
        except ValidationError as error:
            st.session_state[PROBLEMS_KEY] = error.problems
        except DecpError as error:
            said = t(lang, f"admin.decp_file_{error.code}", file=error.file_name)
            detail = f"{said} {error.detail}".strip()
            text = t(lang, "admin.unreadable_open_data", detail=detail)
            st.error(ui.plain_markdown(text), icon=":material/error:")
        except SireneFileError as error:
            text = t(lang, "admin.unreadable_open_data", detail=str(error))
            st.error(ui.plain_markdown(text), icon=":material/error:")
        except open_data.NoHolders:
            st.warning(t(lang, "admin.sirene_no_holders"), icon=":material/info:")
        except importer.ImportFailed as failure:
            text = t(lang, "admin.failed_check", detail=failure.detail)
            st.error(ui.plain_markdown(text), icon=":material/error:")

if report := st.session_state.get(REPORT_KEY):
    counts, summary, unplaced = report
    st.subheader(t(lang, "admin.open_data_report"))
    if counts is not None:
        st.dataframe(counts, hide_index=True)
    st.caption(ui.plain_markdown(summary))
    if unplaced.height:
        st.dataframe(unplaced, hide_index=True, width="stretch")

if problems := st.session_state.get(PROBLEMS_KEY):
    st.error(listings.refused_text(problems, lang), icon=":material/error:")
    problems_table = listings.problems_frame(problems, lang)
    st.dataframe(
        problems_table,
        hide_index=True,
        width="stretch",
        column_config={
            t(lang, "admin.problem_problem"): st.column_config.TextColumn(width="medium"),
            t(lang, "admin.problem_fix"): st.column_config.TextColumn(width="large"),
        },
    )
    st.download_button(
        t(lang, "admin.problems_download"),
        data=downloads.to_bytes(problems_table, "csv"),
        file_name="maillon_import_problems.csv",
        mime="text/csv",
        on_click="ignore",
    )

if candidate := st.session_state.get(CANDIDATE_KEY):
    st.subheader(t(lang, "admin.preview_title"))
    st.caption(t(lang, "admin.preview_help", version=candidate.base))
    st.dataframe(listings.changes_frame(candidate.changes, lang), hide_index=True)
    if all(c.unchanged for c in candidate.changes.values()):
        st.info(t(lang, "admin.no_change"))
    changed = [c for c in candidate.changes.values() if not c.unchanged]
    for change in changed:
        label = t(lang, "admin.details", table=change.table, limit=50)
        with st.expander(label, expanded=len(changed) <= 2):
            for title, frame in (
                (t(lang, "admin.added_rows"), change.added_rows),
                (t(lang, "admin.changed_cells"), listings.changed_cells_frame(change, lang)),
                (t(lang, "admin.removed_rows"), change.removed_rows),
            ):
                if frame.height:
                    st.markdown(f"**{title}**")
                    st.dataframe(frame, hide_index=True)
    apply_column, cancel_column, _ = st.columns([1, 1, 3])
    if apply_column.button(t(lang, "admin.apply"), type="primary", icon=":material/publish:"):
        try:
            version = importer.apply(candidate, who, db)
            keep_outcome("import", "success", t(lang, "admin.applied", version=version.name))
            st.session_state[UPLOAD_ROUND_KEY] = st.session_state.get(UPLOAD_ROUND_KEY, 0) + 1
            st.session_state.pop(REPORT_KEY, None)
        except importer.StaleCheck:
            keep_outcome("import", "warning", t(lang, "admin.stale"))
        except importer.ImportFailed as failure:
            text = t(lang, "admin.failed_apply", detail=failure.detail)
            keep_outcome("import", "warning", ui.plain_markdown(text))
        st.session_state.pop(CANDIDATE_KEY, None)
        st.rerun()
    if cancel_column.button(t(lang, "admin.cancel")):
        forget_check()
        st.rerun()
show_outcome("import")


def forget_record() -> None:
    proposal = st.session_state.pop(RECORD_KEY, None)
    if proposal is not None:
        record_edit.discard(proposal)


st.header(t(lang, "admin.record_title"), divider="gray")
st.caption(t(lang, "admin.record_help"))
record_round = st.session_state.get(RECORD_ROUND_KEY, 0)
record_table = st.selectbox(
    t(lang, "admin.record_table"),
    record_edit.editable_tables(),
    key="_admin_record_table",
    on_change=forget_record,
)
record_labels = dict(record_edit.records(record_table, db))
record_key = st.selectbox(
    t(lang, "admin.record_pick"),
    [None, *record_labels],
    format_func=lambda k: t(lang, "admin.record_new") if k is None else record_labels[k],
    key=f"_admin_record_key_{record_table}_{record_round}",
    on_change=forget_record,
)
record_id = f"{record_table}_{'new' if record_key is None else record_edit.key_text(record_key)}"
with st.form(f"_admin_record_form_{record_id}_{record_round}"):
    record_values = record_edit.current_values(record_table, record_key, db)
    record_keys = record_edit.key_columns(record_table)
    typed = {
        c.name: st.text_input(
            c.name,
            value=record_values[c.name],
            help=ui.plain_markdown(record_edit.column_help(c)),
            disabled=record_key is not None and c.name in record_keys,
            key=f"_admin_record_{record_id}_{record_round}_{c.name}",
        )
        for c in record_edit.columns(record_table)
    }
    record_checked = st.form_submit_button(
        t(lang, "admin.record_check"), icon=":material/fact_check:"
    )
if record_checked:
    forget_record()
    with st.spinner(t(lang, "admin.record_checking")):
        try:
            st.session_state[RECORD_KEY] = record_edit.propose(
                record_table, record_key, typed, who, db
            )
        except record_edit.RecordGone:
            st.warning(t(lang, "admin.record_gone"))
        except importer.ImportFailed as failure:
            text = t(lang, "admin.failed_check", detail=failure.detail)
            st.error(ui.plain_markdown(text), icon=":material/error:")
proposal = st.session_state.get(RECORD_KEY)
if proposal is not None and (proposal.table, proposal.key) == (record_table, record_key):
    if proposal.problems:
        refused = listings.refused_text(proposal.problems, lang, "admin.record_refused")
        st.error(refused, icon=":material/error:")
        st.dataframe(record_edit.problems_frame(proposal, lang), hide_index=True, width="stretch")
    else:
        said = t(
            lang,
            "admin.record_preview",
            table=record_table,
            record=record_edit.key_text(proposal.new_key),
            version=proposal.candidate.base,
        )
        st.caption(ui.plain_markdown(said))
        st.dataframe(record_edit.preview_frame(proposal, lang), hide_index=True, width="stretch")
        if proposal.unchanged:
            st.info(t(lang, "admin.record_no_change"))
        publish_column, cancel_column, _ = st.columns([1, 1, 3])
        if publish_column.button(
            t(lang, "admin.record_publish"),
            type="primary",
            icon=":material/publish:",
            disabled=proposal.unchanged,
        ):
            try:
                version = record_edit.publish(proposal, who, db)
                said = t(lang, "admin.record_published", version=version.name)
                keep_outcome("record", "success", said)
                st.session_state[RECORD_ROUND_KEY] = record_round + 1
            except importer.StaleCheck:
                keep_outcome("record", "warning", t(lang, "admin.stale"))
            except importer.ImportFailed as failure:
                text = t(lang, "admin.failed_apply", detail=failure.detail)
                keep_outcome("record", "warning", ui.plain_markdown(text))
            st.session_state.pop(RECORD_KEY, None)
            st.rerun()
        if cancel_column.button(t(lang, "admin.cancel"), key="_admin_record_cancel"):
            forget_record()
            st.rerun()
show_outcome("record")

st.header(t(lang, "admin.versions_title"), divider="gray")
st.caption(t(lang, "admin.versions_help", kept=build.VERSIONS_KEPT))
st.dataframe(listings.versions_frame(importer.versions(db), db.resolve(), lang), hide_index=True)
previous = importer.previous_version(db)
if st.button(t(lang, "admin.restore"), disabled=previous is None, icon=":material/undo:"):
    st.session_state[RESTORE_KEY] = True
if st.session_state.get(RESTORE_KEY) and previous is not None:
    # Every reader sees the restored data at once: say which version replaces which first.
    st.warning(
        ui.plain_markdown(
            t(lang, "admin.restore_confirm", previous=previous.name, current=db.resolve().name)
        ),
        icon=":material/undo:",
    )
    confirm_column, cancel_column, _ = st.columns([1, 1, 3])
    if confirm_column.button(t(lang, "admin.restore_do"), type="primary"):
        del st.session_state[RESTORE_KEY]
        forget_check()
        forget_record()
        st.session_state[RECORD_ROUND_KEY] = record_round + 1  # the form shows the restored record
        restored = importer.restore_previous(who, db)
        if restored:
            keep_outcome("versions", "success", t(lang, "admin.restored", version=restored.name))
        else:
            keep_outcome("versions", "warning", t(lang, "admin.no_previous"))
        st.rerun()
    if cancel_column.button(t(lang, "admin.cancel"), key="_admin_restore_cancel"):
        del st.session_state[RESTORE_KEY]
        st.rerun()
show_outcome("versions")

st.header(t(lang, "admin.backup_title"), divider="gray")
st.caption(t(lang, "admin.backup_help"))
st.download_button(
    t(lang, "admin.backup_download"),
    data=backup.export_zip,  # built only when clicked
    file_name="maillon_backup.zip",
    mime="application/zip",
    on_click="ignore",
    icon=":material/archive:",
)

st.header(t(lang, "admin.log_title"), divider="gray")
events = import_log.read(db)
if events:
    st.dataframe(listings.log_frame(events, lang), hide_index=True, width="stretch")
else:
    st.caption(t(lang, "admin.log_empty"))
