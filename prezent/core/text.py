"""Text helpers every app shares."""

import functools
import unicodedata


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Text for matching, never for display: no case, no diacritics, hyphens and runs of white space as one space.

    "Ștefănescu-Ana", "STEFANESCU  ana" and "Ştefănescu Ana" (s with a cedilla, as the Ministry's files write it)
    all fold to "stefanescu ana"; so do the header "Cod SIIIR  unitate" and "cod siiir unitate".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("-", " "))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
