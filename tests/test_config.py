"""Settings: the environment first, then Streamlit's secrets file, then the default."""

from __future__ import annotations

import streamlit as st
from streamlit import config as streamlit_config

from maillon.data import config


def test_a_setting_comes_from_the_environment_then_the_secrets_file_then_its_default(
    tmp_path, monkeypatch
):
    secrets = tmp_path / "secrets.toml"
    monkeypatch.delenv("MAILLON_SQL_WORKERS", raising=False)
    monkeypatch.setattr(config, "_secrets_files", lambda: (str(secrets),))
    configured = streamlit_config.get_option("secrets.files")
    streamlit_config.set_option("secrets.files", [str(secrets)])
    try:
        assert config.setting("sql_workers", "3") == "3"  # no secrets file: the default
        secrets.write_text('sql_workers = "5"\n')
        st.secrets._reset()
        assert config.setting("sql_workers", "3") == "5"
        monkeypatch.setenv("MAILLON_SQL_WORKERS", "7")
        assert config.setting("sql_workers", "3") == "7"
    finally:
        streamlit_config.set_option("secrets.files", configured)
        st.secrets._reset()


def test_the_secrets_files_are_those_streamlit_reads():
    config._secrets_files.cache_clear()
    assert config._secrets_files() == tuple(streamlit_config.get_option("secrets.files"))
