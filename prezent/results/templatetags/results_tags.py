from decimal import Decimal

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


@register.filter
def money(value: Decimal | float | None) -> str:
    """An amount with two decimals in Romanian format (591.944,00); "–" when there is none."""
    if value is None or value == "":
        return "–"
    return f"{Decimal(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter
def ron(value: Decimal | float | None, rate: Decimal | float | None) -> str:
    """An amount in EUR shown in lei at the funder's rate, with two decimals; "–" without a rate."""
    if value is None or rate is None:
        return "–"
    return money(Decimal(value) * Decimal(rate))
