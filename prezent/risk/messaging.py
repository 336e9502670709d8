"""Sending SMS and e-mail to parents through a pluggable backend.

The backend is a class chosen by dotted path in `settings.PREZENT_MESSAGING_BACKEND`, with one method
`send(message)`. The two backends here send nothing out of the server: ConsoleBackend prints the message (for
development) and FileBackend writes one file per message in an outbox folder (for tests, or to hand the messages to
a gateway by hand). A real SMS gateway is one more class with the same method.
Whether a message may be sent at all (consent, verified number) is decided before, in prezent/risk/alerts/notices.py.
"""

import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Message:
    channel: str  # "sms" or "email"
    to: str
    subject: str
    body: str


class MessagingBackend(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleBackend:
    """Prints each message to standard output (development only: the message names the child)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message: Message) -> None:
        self.stream.write(f"[{message.channel}] to={message.to} subject={message.subject}\n{message.body}\n\n")
        self.stream.flush()


def outbox_dir() -> Path:
    configured = getattr(settings, "PREZENT_MESSAGING_OUTBOX", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "outbox"


class FileBackend:
    """Writes each message as a text file in the outbox (settings.PREZENT_MESSAGING_OUTBOX or MEDIA_ROOT/outbox)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or outbox_dir()

    def send(self, message: Message) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:12]}.{message.channel}.txt"
        path.write_text(
            f"To: {message.to}\nChannel: {message.channel}\nSubject: {message.subject}\n\n{message.body}\n",
            encoding="utf-8",
        )


def messaging_backend() -> MessagingBackend:
    """The configured backend (a new instance per call)."""
    backend_class = import_string(settings.PREZENT_MESSAGING_BACKEND)
    backend: MessagingBackend = backend_class()
    return backend
