from django import template

from prezent.results.disaggregation import format_number

register = template.Library()


@register.filter
def num(value: float | None, decimals: int = 0) -> str:
    """A figure in Romanian format (1.445; 92,3), rounded to `decimals`; "–" when there is none."""
    if value is None or value == "":
        return "–"
    number = round(float(value), int(decimals))
    return format_number(number if decimals else round(number), int(decimals) or 1)


@register.filter
def signed(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    text = num(value, decimals)
    return f"+{text}" if float(value) > 0 else text
