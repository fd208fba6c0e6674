"""Standard pages: the staff editor (list of inspected matters, a matter's version history,
the revision form, guidance uploads), the applicant's "开卷考试" page of their case (the
exact version their inspection will use), the public page of a matter's current standard,
and the guidance media behind each of them, served only to whoever may see that page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import Matter
from inspections.forms_standards import (
    GuidanceUploadForm,
    ItemFormSet,
    RevisionForm,
    formset_initial,
    formset_items,
)
from inspections.models import CaseStandard, Category, GuidanceMedia, StandardVersion
from inspections.services.guidance import (
    case_media_get,
    inspected_matters,
    matter_media_get,
    may_edit_standards,
    may_view_standard_history,
    media_download,
    standard_add_guidance,
    standard_case_get,
    standard_revise,
)
from inspections.services.standards import (
    case_standard,
    current_version,
    standard_items_as_dicts,
)
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError, ConflictError


def version_groups(version: StandardVersion | None) -> list[dict]:
    """The version's items by category (制度、人员、场所、设备、管理), media prefetched."""
    if version is None:
        return []
    items = list(version.items.prefetch_related("media"))
    labels = dict(Category.choices)
    groups = []
    for category in Category.values:
        rows = [i for i in items if i.category == category]
        if rows:
            groups.append({"category": category, "label": labels[category], "items": rows,
                           "weight": sum(i.weight for i in rows)})
    return groups


def _summary(groups: list[dict]) -> dict:
    items = [i for g in groups for i in g["items"]]
    return {"count": len(items), "weight": sum(i.weight for i in items),
            "vetoes": sum(1 for i in items if i.veto)}


def _media_response(media: GuidanceMedia):
    response = download_response(media_download(media), inline=True)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _require_staff(user) -> None:
    if not may_view_standard_history(user):
        raise PermissionDenied


def _matter(matter_id: int) -> Matter:
    return get_object_or_404(Matter.objects.select_related("section"), pk=matter_id)


# ---- staff: list, history, edit, guidance ------------------------------------------------

@login_required
def standard_list(request):
    """/inspections/standards/: every inspected matter with its current version."""
    _require_staff(request.user)
    return render(request, "inspections/standards/list.html", {
        "rows": inspected_matters(), "can_edit": may_edit_standards(request.user)})


def _selected(versions: list[StandardVersion], raw: str | None) -> StandardVersion | None:
    if raw and raw.isdigit():
        return next((v for v in versions if v.number == int(raw)), None)
    return versions[0] if versions else None


@login_required
def standard_detail(request, matter_id: int, *, upload_form: GuidanceUploadForm | None = None):
    """A matter's version history and one version (the current one unless ?version=N)."""
    _require_staff(request.user)
    matter = _matter(matter_id)
    versions = list(StandardVersion.objects.filter(standard__matter=matter)
                    .select_related("standard", "published_by")
                    .annotate(item_count=Count("items")).order_by("-number"))
    version = _selected(versions, request.GET.get("version"))
    if version is None and request.GET.get("version"):
        raise Http404
    groups = version_groups(version)
    is_current = bool(versions) and version == versions[0]
    can_upload = is_current and may_edit_standards(request.user)
    if can_upload:
        for item in (i for g in groups for i in g["items"]):
            item.upload_form = (upload_form if upload_form is not None
                                and upload_form["item_key"].value() == item.key
                                else GuidanceUploadForm(initial={"item_key": item.key}))
    return render(request, "inspections/standards/detail.html", {
        "matter": matter, "versions": versions, "version": version, "groups": groups,
        "summary": _summary(groups), "is_current": is_current, "can_upload": can_upload,
        "can_edit": may_edit_standards(request.user),
        "media_route": "inspection-standard-media", "media_owner": matter.pk,
    }, status=400 if upload_form is not None else 200)


@login_required
@require_POST
def guidance_upload(request, matter_id: int):
    """Attach an image or short video to an item: publishes the next version."""
    if not may_edit_standards(request.user):
        raise PermissionDenied
    matter = _matter(matter_id)
    form = GuidanceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        key = form.cleaned_data["item_key"]
        try:
            version = standard_add_guidance(matter=matter, item_key=key,
                                            upload=form.cleaned_data["file"],
                                            caption=form.cleaned_data["caption"],
                                            by=request.user)
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("指引已上传，并发布为第 {n} 版。").format(n=version.number))
            return redirect(reverse("inspection-standard-detail", args=[matter.pk])
                            + f"#item-{key}")
    return standard_detail(request, matter_id, upload_form=form)


def _edit_context(matter, current, revision, formset, problems, conflict=None) -> dict:
    media = ({i["key"]: len(i["media"]) for i in standard_items_as_dicts(current)}
             if current else {})
    for form in formset.forms:
        form.media_count = media.get(str(form["key"].value() or "").strip(), 0)
    return {"matter": matter, "current": current, "revision": revision, "formset": formset,
            "problems": problems, "conflict": conflict}


def _blank_rows(formset) -> int:
    return sum(1 for f in formset.forms
               if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.is_blank())


@login_required
def standard_edit(request, matter_id: int):
    """The revision form: items of the current version, edited into the next version."""
    if not may_edit_standards(request.user):
        raise PermissionDenied
    matter = _matter(matter_id)
    current = current_version(matter)
    if request.method != "POST":
        revision = RevisionForm(initial={"pass_score": current.pass_score if current else 80,
                                         "base_version": current.number if current else 0})
        items = standard_items_as_dicts(current) if current else []
        formset = ItemFormSet(prefix="items", initial=formset_initial(items))
        return render(request, "inspections/standards/edit.html",
                      _edit_context(matter, current, revision, formset, []))
    revision = RevisionForm(request.POST)
    formset = ItemFormSet(request.POST, prefix="items")
    revision_ok, rows_ok = revision.is_valid(), formset.is_valid()
    if not (revision_ok and rows_ok):
        return render(request, "inspections/standards/edit.html",
                      _edit_context(matter, current, revision, formset, []), status=400)
    items = formset_items(formset)
    if "add_row" in request.POST:
        formset = ItemFormSet(prefix="items", initial=formset_initial(
            items, blank_rows=_blank_rows(formset) + 1))
        return render(request, "inspections/standards/edit.html",
                      _edit_context(matter, current, revision, formset, []))
    conflict = None
    try:
        version = standard_revise(matter=matter, items=items, by=request.user,
                                  note=revision.cleaned_data["note"],
                                  pass_score=revision.cleaned_data["pass_score"],
                                  base_number=revision.cleaned_data["base_version"])
    except ConflictError as exc:
        problems, conflict = [exc.message], current
        data = request.POST.copy()
        data["base_version"] = str(current.number if current else 0)
        revision = RevisionForm(data)
        revision.is_valid()
    except ApplicationError as exc:
        problems = list(exc.extra.get("problems") or [exc.message])
    else:
        messages.success(request, _("已发布第 {n} 版踏勘标准。此前已确定版本的办件和勘验任务"
                                    "仍使用原版本。").format(n=version.number))
        return redirect("inspection-standard-detail", matter_id=matter.pk)
    formset = ItemFormSet(prefix="items", initial=formset_initial(items, blank_rows=0))
    return render(request, "inspections/standards/edit.html",
                  _edit_context(matter, current, revision, formset, problems, conflict),
                  status=409 if conflict is not None else 400)


@login_required
def standard_media(request, matter_id: int, media_id: int):
    """Any version's guidance file, for bureau staff."""
    _require_staff(request.user)
    return _media_response(matter_media_get(user=request.user, matter=_matter(matter_id),
                                            media_id=media_id))


# ---- the applicant's case: 开卷考试 ---------------------------------------------------

@login_required
def case_standard_page(request, case_id: int):
    """/cases/<id>/standard/: the version this case is (or, as a draft, will be) inspected
    against, with the guidance for every item."""
    case = standard_case_get(user=request.user, case_id=case_id)
    version = case_standard(case)
    pinned = version is not None and CaseStandard.objects.filter(case=case,
                                                                  version=version).exists()
    groups = version_groups(version)
    return render(request, "inspections/standards/case.html", {
        "case": case, "version": version, "pinned": pinned, "groups": groups,
        "summary": _summary(groups),
        "media_route": "inspection-case-standard-media", "media_owner": case.pk,
    })


@login_required
def case_standard_media(request, case_id: int, media_id: int):
    return _media_response(case_media_get(user=request.user, case_id=case_id,
                                          media_id=media_id))


# ---- public: the service guide -----------------------------------------------------

def _guide_matter(code: str) -> Matter:
    return get_object_or_404(Matter.objects.select_related("section"), code=code,
                             is_active=True)


def guide_standard(request, code: str):
    """/guide/<code>/standard/: the current standard of a matter, for anyone."""
    matter = _guide_matter(code)
    version = current_version(matter)
    if version is None and not matter.needs_inspection:
        raise Http404
    groups = version_groups(version)
    return render(request, "inspections/standards/guide.html", {
        "matter": matter, "version": version, "groups": groups, "summary": _summary(groups),
        "media_route": "inspection-guide-standard-media", "media_owner": matter.code,
    })


def guide_standard_media(request, code: str, media_id: int):
    """The current version's guidance files are public (as its page is)."""
    version = current_version(_guide_matter(code))
    media = GuidanceMedia.objects.filter(pk=media_id, item__version=version).first()
    if version is None or media is None:
        raise Http404
    return _media_response(media)
