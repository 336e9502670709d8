from typing import Any

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prezent.core.counting import hours_text

register = template.Library()


@register.filter
def ro_lower(value: str) -> str:
    """Romanian writes month and weekday names in lower case; Django's Romanian formats capitalise them."""
    language = get_language() or ""
    return str(value).lower() if language.startswith("ro") else value


@register.filter
def hours(value: int) -> str:
    """A number of hours in words, counted as Romanian counts: "1 oră", "2 ore", "20 de ore"."""
    return hours_text(int(value))


ERROR_SUMMARY_LIMIT = 8


@register.inclusion_tag("_form_errors.html")
def form_error_summary(form: Any, title: str = "") -> dict[str, Any]:
    """At the top of a form that came back with errors: a short sentence and a link to each field in error (the
    first few), so a person on a phone, who lands at the top of the page, sees why nothing was saved and reaches
    the field with one tap. The errors stay under their fields as well."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return {"show": False}
    links = [
        {"id": form[name].id_for_label, "label": form[name].label, "message": message}
        for name, errors in form.errors.items()
        if name != NON_FIELD_ERRORS and name in form.fields
        for message in errors
    ]
    return {
        "show": True,
        "title": title or _("Formularul nu a fost salvat: corectați câmpurile de mai jos."),
        "general": list(form.non_field_errors()),
        "links": links[:ERROR_SUMMARY_LIMIT],
        "more": max(0, len(links) - ERROR_SUMMARY_LIMIT),
    }
