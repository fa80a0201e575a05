"""Administration: nothing but a login form until the admin has logged in (credentials from the
environment or secrets, see maillon.auth); then the full backup."""

from datetime import UTC, datetime

import streamlit as st

from maillon import auth, backup, ui
from maillon.i18n import t

SESSION_KEY = "_admin_expires_at"

lang = ui.language()
st.title(t(lang, "admin.title"))

credentials = auth.Credentials.configured()
if credentials is None:
    st.info(t(lang, "admin.disabled"))
    st.stop()

if not auth.session_valid(st.session_state.get(SESSION_KEY)):
    st.session_state.pop(SESSION_KEY, None)
    with st.form("admin_login"):
        user = st.text_input(t(lang, "admin.user"), autocomplete="username")
        password = st.text_input(
            t(lang, "admin.password"), type="password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t(lang, "admin.log_in"))
    if submitted:
        expires_at = auth.log_in(credentials, user, password)
        if expires_at is None:
            wait = auth.locked_for(user)
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

st.subheader(t(lang, "admin.backup_title"))
st.caption(t(lang, "admin.backup_help"))
st.download_button(
    t(lang, "admin.backup_download"),
    data=backup.export_zip,  # built only when clicked
    file_name="maillon_backup.zip",
    mime="application/zip",
    on_click="ignore",
    icon=":material/archive:",
)
st.info(t(lang, "admin.import_later"))
