"""Admin credentials: a scrypt-hashed password compared in constant time, failed logins
rate-limited, sessions that expire (no Streamlit here; the admin page holds the session state).

Failed logins are counted per user name *and* client address. A lock-out by user name alone let
anyone who knew the name lock the admin out for 15 minutes; per address, a guesser is locked
out (5 failures in 15 minutes) while the admin, from another address, still logs in. A guesser
who changes address is slowed instead: every failed login on a user name, from any address,
makes the next answer on that name wait longer (DELAY_STEP_SECONDS per failure beyond
FREE_FAILURES in the window, at most MAX_DELAY_SECONDS), which bounds the guesses per hour
without locking anyone out. The address is the one Streamlit sees (behind a reverse proxy, the
proxy's, unless the proxy passes the client's); an unknown address counts as one address.

The credentials come from the environment or .streamlit/secrets.toml (see maillon.data.config):
MAILLON_ADMIN_USER / admin_user and MAILLON_ADMIN_PASSWORD_HASH / admin_password_hash, the
latter made with `uv run python -m maillon.admin.auth hash`. Nothing is stored in the repository.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import secrets
import sys
import threading
import time
from dataclasses import dataclass

from maillon.data.config import setting

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
SESSION_SECONDS = 30 * 60
MAX_FAILURES = 5  # failed logins for one user name from one address in WINDOW_SECONDS: locked
WINDOW_SECONDS = 15 * 60
FREE_FAILURES = 3  # failures on a user name (any address) before answers slow down
DELAY_STEP_SECONDS = 1.0
MAX_DELAY_SECONDS = 10.0

_lock = threading.Lock()
_failures: dict[tuple[str, str], list[float]] = {}  # (user name, address): failure times


def hash_password(password: str, salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt$hash' (base64): what goes into MAILLON_ADMIN_PASSWORD_HASH."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    encode = base64.b64encode
    return "$".join(
        ["scrypt", *(str(SCRYPT[k]) for k in "nrp"), encode(salt).decode(), encode(digest).decode()]
    )


def password_matches(password: str, stored: str) -> bool:
    """Whether `password` hashes to `stored`; a malformed `stored` never matches."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt, validate=True),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class Credentials:
    user: str
    password_hash: str

    @classmethod
    def configured(cls) -> Credentials | None:
        """The admin credentials, or None when they are not both set (the admin is off)."""
        user, password_hash = setting("admin_user"), setting("admin_password_hash")
        if not user or not password_hash:
            return None
        return cls(user, password_hash)


def _recent(key: tuple[str, str], now: float) -> list[float]:
    recent = [t for t in _failures.get(key, []) if now - t < WINDOW_SECONDS]
    if recent:
        _failures[key] = recent
    else:
        _failures.pop(key, None)
    return recent


def locked_for(user: str, address: str, now: float | None = None) -> float:
    """Seconds before `user` may try again from `address` (0 when not locked out)."""
    now = time.time() if now is None else now
    with _lock:
        recent = _recent((user, address), now)
    if len(recent) < MAX_FAILURES:
        return 0.0
    return WINDOW_SECONDS - (now - recent[0])


def delay_for(user: str, now: float | None = None) -> float:
    """Seconds the next answer on `user` waits, from failures on that name from any address."""
    now = time.time() if now is None else now
    with _lock:
        failures = sum(len(_recent(key, now)) for key in list(_failures) if key[0] == user)
    extra = max(failures - FREE_FAILURES, 0)
    return min(extra * DELAY_STEP_SECONDS, MAX_DELAY_SECONDS)


def log_in(
    credentials: Credentials,
    user: str,
    password: str,
    address: str = "",
    now: float | None = None,
) -> float | None:
    """The session's expiry time on success; None on a wrong user or password (counted), or
    while this user name is locked out from this address (not checked then). The caller waits
    `delay_for(user)` first."""
    now = time.time() if now is None else now
    if locked_for(user, address, now):
        return None
    # Both compared every time, in constant time: the answer does not tell which was wrong.
    user_ok = hmac.compare_digest(user.encode(), credentials.user.encode())
    password_ok = password_matches(password, credentials.password_hash)
    if user_ok and password_ok:
        with _lock:
            _failures.pop((user, address), None)
        return now + SESSION_SECONDS
    with _lock:
        _failures.setdefault((user, address), []).append(now)
    return None


def session_valid(expires_at: float | None, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    return expires_at is not None and now < expires_at


def main(argv: list[str]) -> int:
    if argv != ["hash"]:
        print("usage: python -m maillon.admin.auth hash", file=sys.stderr)
        return 2
    password = getpass.getpass("Admin password: ")
    if len(password) < 12:
        print("Choose a password of at least 12 characters.", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != password:
        print("The two passwords differ.", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
