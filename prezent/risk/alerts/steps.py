"""The work a ladder step asks for, as the apps above risk know it (docs/architecture.md, decision 38).

A step such as "open a case file" is done by a fact that lives in an app above risk (`cases`), which risk may not
import. That app registers, at start-up (its AppConfig.ready), for the step's code:
- `done`: given child ids, those for whom the step is already done (one query for all of them); the nightly run
  opens no alert for them and closes their open alert with `done_reason`;
- `action`: given a user and an alert, the link to the page where the step is done (carrying the alert), or None
  when the user may not do it there — the same predicate the target page asks.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prezent.accounts.models import User
    from prezent.risk.models import Alert

DoneCheck = Callable[[Collection[int]], set[int]]
ActionLink = Callable[["User", "Alert"], "tuple[str, str] | None"]


@dataclass(frozen=True)
class StepWork:
    done: DoneCheck | None = None
    done_reason: str = ""
    action: ActionLink | None = None


_WORK: dict[str, StepWork] = {}


def step_work_register(
    code: str, *, done: DoneCheck | None = None, done_reason: str = "", action: ActionLink | None = None
) -> None:
    """Say how the step with this code is done (once per code; a second registration replaces the first)."""
    _WORK[code] = StepWork(done=done, done_reason=done_reason, action=action)


def step_work(code: str) -> StepWork | None:
    return _WORK.get(code)


def done_checks() -> dict[str, StepWork]:
    """The registered steps that a recorded fact marks as done, by code."""
    return {code: work for code, work in _WORK.items() if work.done is not None}
