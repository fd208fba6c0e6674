"""The edit page of a draft (or of a case sent back for 补正), and of a bundle application
(一件事: one form, one set of materials, one submit). One multipart form carries the
answers and the files, so every button first keeps what was typed and uploaded:
valid answers and accepted files are stored even when something else is refused."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from approvals import selectors
from approvals.models import Case, CaseGroup
from approvals.permissions import STAGE_PERMISSION
from approvals.services import case_transition
from approvals.services import intake as intake_services
from approvals.workflow import TRANSITIONS, CaseStatus, Stage
from portal.core.errors import ApplicationError
from portal.intake.materials import (
    CURRENT_MATERIALS,
    flag_supplement,
    mark_missing,
    material_rows,
)
from portal.intake.schema import merge_schemas, page_fields, posted_answers
from portal.intake.views.common import raise_if_not_found


def load_group(user, group_id: int) -> tuple[CaseGroup, list[Case]]:
    """A bundle application's cases the user may see (404 if none)."""
    cases = list(selectors.case_list(user=user).filter(group_id=group_id)
                 .select_related("group__bundle", "commitment")
                 .prefetch_related(CURRENT_MATERIALS, "matter__materials").order_by("pk"))
    if not cases:
        raise Http404
    return cases[0].group, cases


def may_edit(user, case: Case) -> bool:
    return (case.status in intake_services.EDITABLE
            and STAGE_PERMISSION[Stage.APPLY].test(user, case))


class Editor:
    """State of one edit page: the cases behind it, what was typed, and every error."""

    def __init__(self, request, cases: list[Case], group: CaseGroup | None = None):
        self.request, self.user = request, request.user
        self.cases, self.group, self.case = cases, group, cases[0]
        self.schema = merge_schemas([c.matter.form_schema for c in cases])
        self.values: dict = {}
        for case in reversed(cases):
            self.values.update(case.form_data or {})
        self.title, self.address = self.case.title, self.case.address
        self.field_errors: dict[str, str] = {}
        self.material_errors: dict[str, str] = {}
        self.missing: list[int] = []
        self.page_error = ""
        self.signer_name = ""

    @property
    def editable_cases(self) -> list[Case]:
        if self.group is not None:
            return [c for c in self.cases if c.status == CaseStatus.DRAFT]
        return self.cases

    @property
    def has_errors(self) -> bool:
        return bool(self.field_errors or self.material_errors or self.page_error)

    def save(self, post, files) -> None:
        """Keep the valid answers and every acceptable file; remember what was refused."""
        answers = posted_answers(self.schema, post)
        self.values.update(answers)
        title, address = post.get("title"), post.get("address")
        self.title = self.title if title is None else title[:200]
        self.address = self.address if address is None else address[:200]
        for case in self.editable_cases:
            try:
                self.field_errors.update(intake_services.case_save_form(
                    case=case, by=self.user, form_data=answers, title=title,
                    address=address))
            except ApplicationError as exc:
                raise_if_not_found(exc)
                self.page_error = exc.message
                return
        for row in material_rows(self.cases):
            upload = files.get(row.input_name)
            if upload is None:
                continue
            try:
                intake_services.material_upload(case=row.case, requirement=row.requirement,
                                                 upload=upload, by=self.user)
            except ApplicationError as exc:
                raise_if_not_found(exc)
                self.material_errors[row.key] = exc.message

    def submit(self) -> bool:
        try:
            if self.group is not None:
                intake_services.bundle_submit(group=self.group, by=self.user)
            else:
                name = ("resubmit" if self.case.status == CaseStatus.SUPPLEMENT_REQUESTED
                        else "submit")
                case_transition(case_id=self.case.pk, name=name, by=self.user)
        except ApplicationError as exc:
            raise_if_not_found(exc)
            self.page_error = exc.message
            self.field_errors.update(exc.extra.get("errors") or {})
            self.missing = exc.extra.get("missing") or []
            return False
        return True

    def sign(self, signer_name: str) -> None:
        self.signer_name = signer_name
        for case in self.cases:
            if case.matter.commitment_eligible and getattr(case, "commitment", None) is None:
                try:
                    intake_services.commitment_sign(case=case, by=self.user,
                                                    signer_name=signer_name)
                except ApplicationError as exc:
                    raise_if_not_found(exc)
                    self.page_error = exc.message
                    return

    # -- rendering ---------------------------------------------------------------------
    def reload(self) -> None:
        """Fresh cases after a save (the materials and commitments changed)."""
        if self.group is not None:
            self.group, self.cases = load_group(self.user, self.group.pk)
        else:
            self.cases = [selectors.case_get(user=self.user, case_id=self.case.pk)]
        self.case = self.cases[0]

    @property
    def submit_label(self) -> str:
        resubmit = self.group is None and self.case.status == CaseStatus.SUPPLEMENT_REQUESTED
        return str(TRANSITIONS["resubmit" if resubmit else "submit"].label)

    def url(self) -> str:
        if self.group is not None:
            return reverse("intake-group-edit", args=[self.group.pk])
        return reverse("intake-case-edit", args=[self.case.pk])

    @property
    def all_signed(self) -> bool:
        return all(getattr(c, "commitment", None) is not None for c in self.cases
                   if c.matter.commitment_eligible)

    def _commitments(self) -> list[dict]:
        return [{"case": case, "matter": case.matter,
                 "signed": getattr(case, "commitment", None),
                 "text": str(intake_services.COMMITMENT_TEXT).format(matter=case.matter.name)}
                for case in self.cases if case.matter.commitment_eligible]

    def render(self, status: int = 200):
        rows = material_rows(self.cases)
        for row in rows:
            row.error = self.material_errors.get(row.key, "")
        mark_missing(rows, self.cases, self.missing)
        supplement = self.case.status == CaseStatus.SUPPLEMENT_REQUESTED and self.group is None
        items = list(selectors.supplement_items(case=self.case)) if supplement else []
        return render(self.request, "intake/edit.html", {
            "editor": self, "case": self.case, "cases": self.cases, "group": self.group,
            "fields": page_fields(self.schema, self.values, self.field_errors),
            "rows": rows, "loose_items": flag_supplement(rows, items),
            "supplement_items": items, "commitments": self._commitments(),
            "missing_names": [r.requirement.name for r in rows if r.missing],
            "submit_label": self.submit_label,
            "action_url": self.url(),
        }, status=status)

    def handle_post(self):
        post, action = self.request.POST, self.request.POST.get("action", "save")
        self.save(post, self.request.FILES)
        if action == "sign" and not self.page_error:
            self.sign(post.get("signer_name", ""))
        if action == "submit" and not self.has_errors:
            label = self.submit_label
            if self.submit():
                messages.success(self.request, _("已完成“{action}”。").format(action=label))
                return redirect("case-detail", case_id=self.case.pk)
        if self.has_errors:
            self.reload()
            return self.render()
        messages.success(self.request, _("已签署告知承诺书。") if action == "sign"
                         else _("已保存。"))
        return redirect(self.url())


def _not_editable(request, case: Case):
    messages.info(request, _("办件当前状态为“{status}”，不能修改申请内容。").format(
        status=case.get_status_display()))
    return redirect("case-detail", case_id=case.pk)


@login_required
def case_edit(request, case_id: int):
    case = selectors.case_get(user=request.user, case_id=case_id)
    if case.group_id and case.status == CaseStatus.DRAFT:
        return redirect("intake-group-edit", group_id=case.group_id)
    if not may_edit(request.user, case):
        return _not_editable(request, case)
    editor = Editor(request, [case])
    return editor.handle_post() if request.method == "POST" else editor.render()


@login_required
def group_edit(request, group_id: int):
    group, cases = load_group(request.user, group_id)
    drafts = [c for c in cases if c.status == CaseStatus.DRAFT and may_edit(request.user, c)]
    if not drafts:
        return _not_editable(request, cases[0])
    editor = Editor(request, cases, group)
    return editor.handle_post() if request.method == "POST" else editor.render()
