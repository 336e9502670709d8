from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def ro_lower(value: str) -> str:
    """Romanian writes month and weekday names in lower case; Django's Romanian formats capitalise them."""
    language = get_language() or ""
    return str(value).lower() if language.startswith("ro") else value
