"""An id past the database's integer range finds nothing, in every lookup, instead of a server error.

Django answers `pk=2**64` with no rows (its `IntegerFieldOverflow` covers exact and the comparisons of integer
fields) but not `pk__in=[2**64]`, nor any lookup on a foreign key (`child=2**64`, `school__in=[…]`): SQLite then
refuses the parameter ("Python int too large to convert to SQLite INTEGER") in the middle of a request. Ids reach
those lookups from addresses, hidden fields and multiple-choice fields, so the rule is kept here, once, for every
query: a value outside the column's range is left out of an `in` and makes an `exact` match nothing. Registered
by `CoreConfig.ready`."""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _out_of_range(value: object, field: Any, connection: Any) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    target = getattr(field, "target_field", field)
    try:
        low, high = connection.ops.integer_field_range(target.get_internal_type())
    except (KeyError, AttributeError):
        return False
    return (low is not None and value < low) or (high is not None and value > high)


class _InWithinRange:
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        lookup: Any = self
        if lookup.rhs_is_direct_value() and not isinstance(lookup.rhs, str):
            field = lookup.lhs.output_field
            lookup.rhs = [v for v in lookup.rhs if not _out_of_range(v, field, connection)]
        return super().process_rhs(compiler, connection)  # type: ignore[misc]


class _ExactWithinRange:
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        lookup: Any = self
        if _out_of_range(lookup.rhs, lookup.lhs.output_field, connection):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)  # type: ignore[misc]


class IntegerIn(_InWithinRange, In):
    pass


class ForeignIn(_InWithinRange, RelatedIn):
    pass


class ForeignExact(_ExactWithinRange, RelatedExact):
    pass


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignObject.register_lookup(ForeignIn)
    ForeignObject.register_lookup(ForeignExact)
