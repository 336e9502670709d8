"""The language of documents for families and participants.

Letters, certificates and the lists a school hands to families or to social services are read by people who never
chose Prezent's interface language: they are written in `PREZENT_DOCUMENT_LANGUAGE` (Romanian) whatever the
language of whoever prints them, and in another of `LANGUAGES` only when that is chosen for the document.
"""

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.utils import translation


def document_language_code(chosen: str | None = None) -> str:
    """`chosen` when it is one of the interface's languages, else the documents' language."""
    codes = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in codes else getattr(settings, "PREZENT_DOCUMENT_LANGUAGE", settings.LANGUAGE_CODE)


@contextlib.contextmanager
def document_language(chosen: str | None = None) -> Iterator[str]:
    """Everything translated inside the block (templates, labels, dates) is in the document's language."""
    code = document_language_code(chosen)
    with translation.override(code):
        yield code
