"""Reads of the information campaign, scoped to the user (out of scope is 404)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from prezent.accounts.models import User
from prezent.activities.models import CampaignEvent, CampaignEvidence
from prezent.activities.permissions import activity_school_q
from prezent.schools.models import School


def campaign_event_list_visible_to(*, user: User) -> QuerySet[CampaignEvent]:
    return (
        CampaignEvent.objects.filter(activity_school_q(user, prefix="school__"))
        .select_related("school", "kind")
        .annotate(evidence_count=Count("evidence", distinct=True))
    )


def campaign_event_get_for_user_or_404(*, user: User, pk: int) -> CampaignEvent:
    return get_object_or_404(campaign_event_list_visible_to(user=user), pk=pk)


def evidence_get_for_user_or_404(*, user: User, pk: int) -> CampaignEvidence:
    return get_object_or_404(
        CampaignEvidence.objects.filter(
            event__school__in=School.objects.filter(activity_school_q(user))
        ).select_related("event"),
        pk=pk,
    )


@dataclass
class CampaignSchoolRow:
    school: School
    events: int
    reached: int

    @property
    def is_reached(self) -> bool:
        return self.events > 0


def campaign_coverage(
    *, schools: QuerySet[School], start: datetime.date, end: datetime.date
) -> list[CampaignSchoolRow]:
    """Per school: campaign events and people reached between two dates (two queries)."""
    school_list = list(schools.select_related("locality").order_by("name"))
    totals = {
        r["school_id"]: r
        for r in CampaignEvent.objects.filter(date__range=(start, end), school__in=[s.pk for s in school_list])
        .values("school_id")
        .annotate(
            n=Count("pk"),
            c=Sum("reached_children"),
            p=Sum("reached_parents"),
            t=Sum("reached_teachers"),
            o=Sum("reached_others"),
        )
    }
    rows = []
    for school in school_list:
        r = totals.get(school.pk)
        reached = (r["c"] or 0) + (r["p"] or 0) + (r["t"] or 0) + (r["o"] or 0) if r else 0
        rows.append(CampaignSchoolRow(school=school, events=r["n"] if r else 0, reached=reached))
    return rows
