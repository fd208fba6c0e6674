"""Dashboard pages: the overview (cards, rates, trend, stages, breakdown, workload), the
district map, the drill-down list behind every number and its ledger export. Each view
checks the user and the filters (``scope.filters_from``), reads the panels from
``selectors`` and renders; bad filters re-render the page with the message."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from approvals.models import Matter
from approvals.workflow import Stage
from portal.accounts.models import Section
from portal.core.errors import ApplicationError, PermissionRefused
from portal.dashboards import drill as drills
from portal.dashboards import exports, selectors
from portal.dashboards.definitions import (
    DIMENSIONS,
    METRICS,
    RATES,
    STAGE_HELP,
    STAGE_LABELS,
    WORKLOAD_HELP,
)
from portal.dashboards.models import STAGES
from portal.dashboards.periods import KINDS
from portal.dashboards.scope import (
    Filters,
    dimension_from,
    filters_from,
    require_viewer,
    scoped_section_id,
)

GEOJSON = "geo/yuncheng-districts.geojson"
CARD_METRICS = ("applications", "accepted", "completed", "returned", "inspected")
WORKLOAD_ROWS = 50


def _viewer(request) -> None:
    try:
        require_viewer(request.user)
    except PermissionRefused:
        raise PermissionDenied from None


def cases_url(filters: Filters, metric: str, **extra) -> str:
    return (reverse("dashboards-cases") + "?"
            + urlencode(filters.query(metric=metric, **extra)))


def _choices(request) -> dict:
    """Options of the filter form, limited to the user's scope."""
    own = scoped_section_id(request.user)
    matters = Matter.objects.order_by("code")
    sections = Section.objects.filter(matters__isnull=False).distinct().order_by("code")
    if own is not None:
        matters, sections = matters.filter(section_id=own), sections.filter(pk=own)
    return {
        "kinds": list(KINDS.items()), "dimensions": list(DIMENSIONS.items()),
        "sections": list(sections.values_list("code", "name")),
        "matters": list(matters.values_list("code", "name")),
        "industries": sorted({i for i in matters.values_list("industry", flat=True) if i}),
        "districts": list(selectors.county_districts().order_by("code")
                          .values_list("code", "name")),
        "given": request.GET,
    }


def _error_page(request, template: str, exc: ApplicationError):
    if isinstance(exc, PermissionRefused):
        raise PermissionDenied(exc.message)
    return render(request, template, {**_choices(request), "error": exc.message}, status=400)


def _cards(filters: Filters, figs: dict) -> list[dict]:
    cards = [{"label": METRICS[m].label, "help": METRICS[m].help, "value": figs[m],
              "href": cases_url(filters, m)} for m in CARD_METRICS]
    for m in ("overdue", "near_due"):
        cards.append({"label": METRICS[m].label, "help": METRICS[m].help, "value": figs[m],
                      "href": cases_url(filters, m), "alert": m == "overdue" and figs[m]})
    return cards


def _rates(filters: Filters, figs: dict) -> list[dict]:
    return [{"label": r.label, "help": r.help, "value": figs[r.code],
             "numerator": figs[r.numerator], "denominator": figs[r.denominator],
             "num_href": cases_url(filters, r.numerator),
             "den_href": cases_url(filters, r.denominator)} for r in RATES.values()]


def _breakdown(filters: Filters, dim: str) -> list[dict]:
    rows = selectors.breakdown(filters, dim)
    for row in rows:
        linkable = row["key"] not in ("", "—")
        row["links"] = {m: cases_url(filters, m, **{dim: row["key"]}) if linkable else ""
                        for m in ("applications", "completed", "on_time", "returned",
                                  "closed", "overdue", "near_due")}
    return rows


def _workload(filters: Filters) -> list[dict]:
    rows = selectors.workload(filters)[:WORKLOAD_ROWS]
    duty_stages = [s for s in Stage.values if s != Stage.APPLY]
    for row in rows:
        row["cells"] = [(row["by_stage"].get(s, 0),
                         cases_url(filters, drills.WORKLOAD, user=row["user_id"], stage=s)
                         if row["by_stage"].get(s) else "") for s in duty_stages]
    return rows


@login_required
def dashboard_page(request):
    _viewer(request)
    try:
        filters = filters_from(request.GET, request.user)
        dim = dimension_from(request.GET)
    except ApplicationError as exc:
        return _error_page(request, "dashboards/overview.html", exc)
    figs = selectors.summary(filters)
    stage_rows = [{"label": STAGE_LABELS[s], "avg": figs[f"avg_{s}"], "cases": figs[f"stage_{s}"],
                   "href": cases_url(filters, f"stage_{s}")} for s in STAGES]
    return render(request, "dashboards/overview.html", {
        **_choices(request), "filters": filters, "dim": dim, "dim_label": DIMENSIONS[dim],
        "cards": _cards(filters, figs), "rates": _rates(filters, figs),
        "stages": stage_rows, "stage_help": STAGE_HELP, "breakdown": _breakdown(filters, dim),
        "trend": [{"period": t["period"], "applications": t["applications"],
                   "completed": t["completed"], "on_time_rate": t["on_time_rate"],
                   "return_rate": t["return_rate"]} for t in selectors.trend(filters)],
        "workload": _workload(filters), "workload_help": WORKLOAD_HELP,
        "duty_labels": [label for value, label in Stage.choices if value != Stage.APPLY],
        "definitions": [*METRICS.values(), *RATES.values()],
    })


@login_required
def map_page(request):
    _viewer(request)
    measure = request.GET.get("measure") or "volume"
    try:
        filters = filters_from(request.GET, request.user)
        if measure not in ("volume", "on_time"):
            raise ApplicationError(_("地图指标只能是办件量或按时办结率。"), "invalid_filter")
    except ApplicationError as exc:
        return _error_page(request, "dashboards/map.html", exc)
    rows = selectors.district_map(filters)
    for row in rows:
        row["href"] = cases_url(filters, "applications" if measure == "volume" else "completed",
                                district=row["code"])
    return render(request, "dashboards/map.html", {
        **_choices(request), "filters": filters, "measure": measure, "rows": rows,
        "geojson_url": static(GEOJSON), "help_volume": METRICS["applications"].help,
        "volume_url": "?" + urlencode(filters.query(measure="volume")),
        "on_time_url": "?" + urlencode(filters.query(measure="on_time")),
        "help_on_time": RATES["on_time_rate"].help,
    })


@login_required
def cases_page(request):
    """The cases behind a number (masked identity numbers, links to the cases)."""
    _viewer(request)
    try:
        filters = filters_from(request.GET, request.user)
        drill = drills.drill_from(request.GET, filters)
        rows, cursor = drills.drill_page(drill, request.GET.get("cursor") or None)
        count = drills.drill_count(drill)
    except ApplicationError as exc:
        return _error_page(request, "dashboards/cases.html", exc)
    base = drill.query()
    return render(request, "dashboards/cases.html", {
        **_choices(request), "filters": filters, "drill": drill, "count": count,
        "rows": [{"row": r, "masked_id": drills.masked_id(r.case)} for r in rows],
        "metric": METRICS.get(drill.metric),
        "next_url": "?" + urlencode({**base, "cursor": cursor}) if cursor else "",
        "first_url": "?" + urlencode(base) if request.GET.get("cursor") else "",
        "csv_url": reverse("dashboards-export") + "?" + urlencode({**base, "format": "csv"}),
        "xlsx_url": reverse("dashboards-export") + "?" + urlencode({**base, "format": "xlsx"}),
        "xlsx_max": exports.XLSX_MAX_ROWS,
    })


@login_required
def export_view(request):
    """电子台账 of a drill-down list as CSV or XLSX (audited)."""
    _viewer(request)
    try:
        filters = filters_from(request.GET, request.user)
        drill = drills.drill_from(request.GET, filters)
        ledger = exports.ledger_prepare(drill=drill, fmt=request.GET.get("format") or "csv",
                                        by=request.user)
    except ApplicationError as exc:
        return _error_page(request, "dashboards/cases.html", exc)
    if ledger.fmt == "csv":
        return exports.csv_response(ledger)
    return exports.xlsx_response(ledger)
