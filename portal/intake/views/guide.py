"""The service guide (办事指南): search and filter matters, a matter's full guide, the
bundles (一件事), and the material sample files. Public pages; applying needs a login."""

from __future__ import annotations

import os
import uuid

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode

from approvals import selectors
from approvals.models import Bundle
from portal.accounts.models import Section
from portal.core.downloads import file_response
from portal.intake.materials import material_rows
from portal.intake.views.common import represented_applicants


def _bundles(query: str = ""):
    qs = Bundle.objects.filter(is_active=True).prefetch_related("items__matter")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query)
                       | Q(description__icontains=query))
    return qs.order_by("code")


def guide_list(request):
    query = request.GET.get("q", "").strip()[:50]
    section = request.GET.get("section", "").strip()[:20]
    matters = selectors.matter_list(query=query, section=section).order_by("code")
    page = Paginator(matters, 20).get_page(request.GET.get("page"))
    sections = Section.objects.filter(matters__is_active=True).distinct().order_by("code")
    return render(request, "intake/guide_list.html", {
        "page": page, "query": query, "section": section, "sections": sections,
        "bundles": [] if section else _bundles(query),
        "pager_query": urlencode({"q": query, "section": section}) + "&",
    })


def _apply_context(request) -> dict:
    return {"token": uuid.uuid4(), "represented": represented_applicants(request.user)}


def guide_detail(request, code: str):
    matter = get_object_or_404(selectors.matter_list(), code=code)
    bundles = _bundles().filter(items__matter=matter)
    return render(request, "intake/guide_detail.html", {
        "matter": matter, "materials": matter.materials.all(), "bundles": bundles,
        **_apply_context(request),
    })


class _GuideCase:
    """A stand-in case so a bundle's guide can reuse the edit page's material merging."""

    def __init__(self, matter):
        self.pk, self.matter, self.current_materials = 0, matter, []


def bundle_detail(request, code: str):
    bundle = get_object_or_404(_bundles().prefetch_related("items__matter__materials"),
                               code=code)
    matters = [item.matter for item in bundle.items.all()]
    rows = material_rows([_GuideCase(m) for m in matters])
    return render(request, "intake/bundle_detail.html", {
        "bundle": bundle, "matters": matters, "rows": rows, **_apply_context(request),
    })


def material_sample(request, code: str, requirement_id: int):
    matter = get_object_or_404(selectors.matter_list(), code=code)
    requirement = get_object_or_404(matter.materials.all(), pk=requirement_id)
    if not requirement.sample:
        raise Http404
    name = f"{requirement.name}样表{os.path.splitext(requirement.sample.name)[1]}"
    return file_response(requirement.sample, name)
