"""Where a scan's bytes are kept: a folder outside the web root (`settings.CORRESPONDENCE_DIR`, under var/),
each file named by its SHA-256, written once and never overwritten, read back only after its hash is checked.

The type is decided by the bytes, not the name: a scan must start with the signature of a PDF, PNG, JPEG or
TIFF, and its name's extension must agree with what the bytes are (a "letter.pdf" that is a Windows
executable is refused, and so is a PNG named ".pdf"). The size is bounded (`CORRESPONDENCE_UPLOAD_MAXIMUM`).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings

from opencse.errors import InvalidInput

# (content type, signatures the file starts with, extensions its name may have)
KINDS: tuple[tuple[str, tuple[bytes, ...], frozenset[str]], ...] = (
    ("application/pdf", (b"%PDF-",), frozenset({".pdf"})),
    ("image/png", (b"\x89PNG\r\n\x1a\n",), frozenset({".png"})),
    ("image/jpeg", (b"\xff\xd8\xff",), frozenset({".jpg", ".jpeg"})),
    ("image/tiff", (b"II*\x00", b"MM\x00*"), frozenset({".tif", ".tiff"})),
)
NAME_LENGTH = 120


@dataclass(frozen=True, slots=True)
class CheckedScan:
    file_name: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def upload_maximum() -> int:
    return int(settings.CORRESPONDENCE_UPLOAD_MAXIMUM)


def check_scan(*, name: str, content: bytes, field: str = "scans") -> CheckedScan:
    """The scan as it will be stored, or `InvalidInput` naming the file: empty, too large, not a PDF, PNG,
    JPEG or TIFF by its bytes, or named as another type than it is."""
    file_name = safe_name(name)
    if not content:
        raise InvalidInput(f"{file_name} is empty", field=field)
    if len(content) > upload_maximum():
        raise InvalidInput(f"{file_name} is larger than {upload_maximum() // (1024 * 1024)} MB", field=field)
    sniffed = next(((kind, extensions) for kind, signatures, extensions in KINDS
                    if content.startswith(signatures)), None)  # fmt: skip
    if sniffed is None:
        raise InvalidInput(f"{file_name} is not a PDF, PNG, JPEG or TIFF file", field=field)
    content_type, extensions = sniffed
    if PurePath(file_name).suffix.lower() not in extensions:
        raise InvalidInput(f"{file_name} is a {content_type.split('/')[1].upper()} file by its content, "
                           f"not what its name says", field=field)  # fmt: skip
    return CheckedScan(file_name=file_name, content_type=content_type, size=len(content),
                       sha256=hashlib.sha256(content).hexdigest(), content=content)  # fmt: skip


def safe_name(name: str) -> str:
    """The uploaded name without folders or control characters, shortened (it is only shown, never a path)."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip() or "scan"
    return cleaned[-NAME_LENGTH:]


def folder() -> Path:
    """The scans folder, refused if it lies inside the static root (it must never be served as a file)."""
    root = Path(settings.CORRESPONDENCE_DIR).resolve()
    static = Path(settings.STATIC_ROOT).resolve() if settings.STATIC_ROOT else None
    media = Path(settings.MEDIA_ROOT).resolve() if getattr(settings, "MEDIA_ROOT", "") else None
    for served in (static, media):
        assert served is None or not root.is_relative_to(served), f"{root} is inside {served}"
    return root


def path_of(sha256: str) -> Path:
    assert len(sha256) == 64 and all(ch in "0123456789abcdef" for ch in sha256), sha256
    return folder() / sha256[:2] / sha256


def store(scan: CheckedScan) -> Path:
    """Write the bytes once under their hash (the same bytes uploaded twice are one file); never overwrite."""
    path = path_of(scan.sha256)
    if path.exists():
        if read(scan.sha256) != scan.content:  # read() checks the hash
            raise AssertionError(f"{path} differs from the upload of the same hash")
        return path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{scan.sha256}.{uuid.uuid4().hex}.part")  # two uploads at once never share it
    with open(temporary, "wb") as out:
        out.write(scan.content)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(temporary, 0o400)
    os.replace(temporary, path)
    return path


def read(sha256: str) -> bytes:
    """The stored bytes, after checking they still hash to their name."""
    body = path_of(sha256).read_bytes()
    if hashlib.sha256(body).hexdigest() != sha256:
        raise AssertionError(f"scan {sha256}: the stored file does not match its hash")
    return body
