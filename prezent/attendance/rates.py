"""Attendance arithmetic on plain numbers (no database)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AttendanceTotals:
    """Scheduled class hours on days with a register, and the hours missed, split by excuse."""

    scheduled_hours: int = 0
    absent_hours: int = 0
    excused_hours: int = 0

    @property
    def unexcused_hours(self) -> int:
        return self.absent_hours - self.excused_hours

    @property
    def rate(self) -> float | None:
        """Share of scheduled hours attended, 0–1; None when nothing was recorded (never "present")."""
        if self.scheduled_hours <= 0:
            return None
        return max(0.0, 1 - self.absent_hours / self.scheduled_hours)

    @property
    def percent(self) -> str:
        rate = self.rate
        return "–" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")

    def __add__(self, other: "AttendanceTotals") -> "AttendanceTotals":
        return AttendanceTotals(
            self.scheduled_hours + other.scheduled_hours,
            self.absent_hours + other.absent_hours,
            self.excused_hours + other.excused_hours,
        )


def attendance_rate(scheduled_hours: int, absent_hours: int) -> float | None:
    return AttendanceTotals(scheduled_hours, absent_hours).rate
