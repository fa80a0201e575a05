"""maillon.streamlit_server: Streamlit's server with Nagle's algorithm off on its connections."""

import socket

import pytest
from streamlit.web.server.starlette import starlette_server

from maillon import serve, streamlit_server


def _accepted_nodelay() -> int:
    """TCP_NODELAY of a connection accepted by Streamlit's own listening socket."""
    listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
    try:
        with socket.create_connection(listening.getsockname()) as _client:
            listening.setblocking(True)
            accepted, _ = listening.accept()
            with accepted:
                return accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        listening.close()


@pytest.fixture
def restored(monkeypatch):
    """Streamlit's binding function is put back after the test."""
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)


def test_connections_are_accepted_without_nagles_delay(restored):
    # Stock Streamlit leaves Nagle's algorithm on: each message after a run's first waited for
    # the reader's delayed acknowledgement (40 ms behind nginx). If this fails, Streamlit fixed
    # it and maillon.streamlit_server can go.
    assert _accepted_nodelay() == 0
    streamlit_server.without_delay()
    assert _accepted_nodelay() != 0


def test_make_run_and_make_serve_start_the_app_through_it(monkeypatch, tmp_path):
    commands: list[list[str]] = []
    monkeypatch.setattr(serve.subprocess, "Popen", lambda command, **_: commands.append(command))
    serve._replica(8599, tmp_path / "app.py", {}, None)
    assert commands[0][1:4] == ["-m", "maillon.streamlit_server", "run"]
