"""The columns of a SIIIR pupils export: the fields Prezent reads, the header names each is known by, and the
mapping of fields to the file's columns that the user confirms in the preview."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Field:
    key: str
    label: Any
    names: tuple[str, ...]
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field("cnp", gettext_lazy("CNP"), ("CNP", "Cod numeric personal", "CNP elev")),
    Field("last_name", gettext_lazy("Nume"), ("Nume", "Nume de familie", "Nume elev", "Numele"), True),
    Field("first_name", gettext_lazy("Prenume"), ("Prenume", "Prenume elev", "Prenumele"), True),
    Field("birth_date", gettext_lazy("Data nașterii"), ("Data nașterii", "Data naștere", "Data de naștere")),
    Field("sex", gettext_lazy("Sex"), ("Sex", "Gen")),
    Field(
        "school_code",
        gettext_lazy("Cod SIIIR unitate"),
        ("Cod SIIIR unitate", "Cod unitate", "Cod SIIIR", "Cod SIIIR unitate de învățământ", "Cod unitate SIIIR"),
        True,
    ),
    Field("level", gettext_lazy("Nivel"), ("Nivel", "Nivel de învățământ", "Nivel învățământ")),
    Field("grade", gettext_lazy("An de studiu"), ("An de studiu", "An studiu", "Anul de studiu", "Clasa")),
    Field(
        "formation",
        gettext_lazy("Formațiune"),
        ("Formațiune", "Formațiune de studiu", "Formațiunea", "Formațiunea de studiu", "Clasa formațiune"),
        True,
    ),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
HEADER_NAMES = frozenset(name for f in FIELDS if f.key in {"cnp", "last_name", "school_code"} for name in f.names)

ColumnMap = dict[str, int | None]
