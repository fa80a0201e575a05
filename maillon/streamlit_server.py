"""`streamlit run`, with Nagle's algorithm off on the app's connections.

    python -m maillon.streamlit_server run app.py [streamlit's options]

Streamlit 1.67 serves through uvicorn on a listening socket it creates as `socket.socket(family)`,
protocol 0; asyncio turns Nagle's algorithm off only on sockets whose protocol is IPPROTO_TCP, so
the app's connections keep it on. A page run writes a few tens of small messages at once: the
first leaves, and the rest wait for the reader's acknowledgement, which Linux delays by 40 ms
(200 ms on some systems). Behind nginx that reader is nginx, for every browser: each page run
took 40 ms more (maillon.serve). TCP_NODELAY set on the listening socket is inherited by the
connections it accepts (Linux), so it is set there, once.
"""

from __future__ import annotations

import socket
import sys

from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server


def without_delay() -> None:
    """Streamlit's server binds its listening socket with TCP_NODELAY set."""
    # Streamlit's own binding function, wrapped: if a Streamlit release renames it, this fails
    # here (tests/test_streamlit_server.py), not silently.
    bind_socket = starlette_server._bind_socket

    def bind(*args, **kwargs) -> socket.socket:
        listening = bind_socket(*args, **kwargs)
        listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return listening

    starlette_server._bind_socket = bind


def main() -> None:
    without_delay()
    sys.argv[0] = "streamlit"
    cli.main()


if __name__ == "__main__":
    main()
