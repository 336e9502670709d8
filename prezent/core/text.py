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


# s and t with a cedilla (ş ţ Ş Ţ, the only forms of the old Latin-2 and Windows-1250 code pages) and the
# comma-below letters Romanian writes (ș ț Ș Ț).
_ROMANIAN_COMMAS = str.maketrans("şţŞŢ", "șțȘȚ")


def romanian_commas(text: str) -> str:
    """The text with ş ţ Ş Ţ (cedilla) written ș ț Ș Ț (comma below), as Romanian spells them.

    For the names of institutions and places read from official files ("ŞCOALA GIMNAZIALĂ, GÂRBEŞTI" becomes
    "ȘCOALA GIMNAZIALĂ, GÂRBEȘTI", which then sorts with the other "ȘCOALA" rows); never for the names of people,
    which are kept as they were written."""
    return text.translate(_ROMANIAN_COMMAS)
