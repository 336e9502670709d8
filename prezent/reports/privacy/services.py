"""The access export is a read, but a read of everything at once: the audit keeps who extracted which child's
data, in which format, and how many rows of each kind — counts, never a value."""

from prezent.accounts.models import User
from prezent.children.models import Child
from prezent.core.services import audit_record


def subject_export_record(*, actor: User, child: Child, fmt: str, counts: dict[str, int]) -> None:
    audit_record(
        actor=actor,
        action="child.subject_export",
        target=child,
        details={"format": fmt, "rows": sum(counts.values()), "sections": counts},
    )
