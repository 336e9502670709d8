import pytest

from prezent.core.bulk import rows_insert
from prezent.core.models import AuditEvent


@pytest.mark.django_db
def test_rows_insert_writes_every_row_in_statements_of_many_rows(django_assert_max_num_queries):
    rows = [("2026-11-29 08:00:00+00:00", "bulk.test", "school", str(n), "{}") for n in range(5000)]
    with django_assert_max_num_queries(10):
        written = rows_insert(AuditEvent, ["at", "action", "target_type", "target_id", "details"], rows)
    assert written == 5000
    assert AuditEvent.objects.filter(action="bulk.test").count() == 5000
    assert set(AuditEvent.objects.values_list("target_id", flat=True)) == {str(n) for n in range(5000)}


@pytest.mark.django_db
def test_rows_insert_takes_a_generator_and_an_empty_one():
    assert rows_insert(AuditEvent, ["at", "action", "target_type", "target_id", "details"], iter([])) == 0


def test_gc_paused_pauses_the_collector_and_restores_it_however_the_block_ends():
    import gc

    from prezent.core.bulk import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
