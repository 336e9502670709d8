from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from prezent.accounts.http import AuthedRequest
from prezent.schools.selectors import class_list_visible_to, school_get_for_user_or_404, school_list_visible_to


def school_list_view(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    schools = school_list_visible_to(user=request.user)
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(siiir_code__startswith=query))
    page = Paginator(schools.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(request, "schools/list.html", {"page": page, "query": query})


def school_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    school = school_get_for_user_or_404(user=request.user, pk=pk)
    today = timezone.localdate()
    classes = (
        class_list_visible_to(user=request.user)
        .filter(school=school, school_year__start__lte=today)
        .annotate(pupils=Count("enrolments", filter=Q(enrolments__end__isnull=True)))
        .order_by("-school_year__start", "grade", "letter")
    )
    latest_year = classes[0].school_year if classes else None
    if latest_year:
        classes = classes.filter(school_year=latest_year)
    return render(request, "schools/detail.html", {"school": school, "classes": classes, "school_year": latest_year})
