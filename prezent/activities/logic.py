"""Pure rules of the activities app: course completion, month arithmetic for the calendar, and recognising an
evidence file from its first bytes (never from its name)."""

import datetime
from dataclasses import dataclass

DEFAULT_COMPLETION_PERCENT = 80


def course_completed(*, attended: int, sessions: int, percent: int = DEFAULT_COMPLETION_PERCENT) -> bool:
    """A participant completes a course by attending at least `percent` % of its sessions; a course with no
    sessions has no graduates yet."""
    if sessions <= 0:
        return False
    return attended * 100 >= percent * sessions


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def month_shift(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


JPEG = FileKind("image/jpeg", ".jpg", "JPEG")
PNG = FileKind("image/png", ".png", "PNG")
PDF = FileKind("application/pdf", ".pdf", "PDF")
WEBP = FileKind("image/webp", ".webp", "WebP")
EVIDENCE_KINDS = (JPEG, PNG, PDF, WEBP)


def sniff_file_kind(head: bytes) -> FileKind | None:
    """The kind of a file from its signature (its first bytes): photos (JPEG, PNG, WebP) and scans (PDF).
    Anything else, whatever its name says, is not accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None
