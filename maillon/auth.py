"""Admin credentials: a scrypt-hashed password compared in constant time, failed logins
rate-limited, sessions that expire (no Streamlit here; the admin page holds the session state).

The credentials come from the environment or .streamlit/secrets.toml (see maillon.config):
MAILLON_ADMIN_USER / admin_user and MAILLON_ADMIN_PASSWORD_HASH / admin_password_hash, the
latter made with `uv run python -m maillon.auth hash`. Nothing is stored in the repository.
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

from maillon.config import setting

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
SESSION_SECONDS = 30 * 60
MAX_FAILURES = 5  # failed logins for one user name within WINDOW_SECONDS, then a lock-out
WINDOW_SECONDS = 15 * 60

_lock = threading.Lock()
_failures: dict[str, list[float]] = {}


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


def locked_for(user: str, now: float | None = None) -> float:
    """Seconds before `user` may try again (0 when not locked out)."""
    now = time.time() if now is None else now
    with _lock:
        recent = [t for t in _failures.get(user, []) if now - t < WINDOW_SECONDS]
        _failures[user] = recent
        if len(recent) < MAX_FAILURES:
            return 0.0
        return WINDOW_SECONDS - (now - recent[0])


def log_in(
    credentials: Credentials, user: str, password: str, now: float | None = None
) -> float | None:
    """The session's expiry time on success; None on a wrong user or password (counted), or
    while the user name is locked out (not checked then)."""
    now = time.time() if now is None else now
    if locked_for(user, now):
        return None
    # Both compared every time, in constant time: the answer does not tell which was wrong.
    user_ok = hmac.compare_digest(user.encode(), credentials.user.encode())
    password_ok = password_matches(password, credentials.password_hash)
    if user_ok and password_ok:
        with _lock:
            _failures.pop(user, None)
        return now + SESSION_SECONDS
    with _lock:
        _failures.setdefault(user, []).append(now)
    return None


def session_valid(expires_at: float | None, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    return expires_at is not None and now < expires_at


def main(argv: list[str]) -> int:
    if argv != ["hash"]:
        print("usage: python -m maillon.auth hash", file=sys.stderr)
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
