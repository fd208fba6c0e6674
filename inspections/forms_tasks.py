"""Input forms of the task page (doing the inspection, rectification). They check the shape
of what was posted only; ``inspections.services.conduct`` decides and refuses."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import Outcome, Result

COMMENT_MAX = 2000


class ItemResultForm(forms.Form):
    """One item's result: the pressed button's value and the comment typed above it."""

    result = forms.ChoiceField(label=_("勘验结果"), choices=Result.choices,
                               error_messages={"required": _("请选择勘验结果：符合、不符合或不适用。"),
                                               "invalid_choice": _("请选择勘验结果：符合、不符合或不适用。")})
    comment = forms.CharField(label=_("勘验意见"), max_length=COMMENT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    """A photo or video (inspectors) or rectification evidence (applicant side). The
    hidden fields are filled by static/js/inspection.js when the device gives them."""

    file = forms.FileField(label=_("文件"), error_messages={
        "required": _("请选择要上传的照片、视频或文件。"),
        "empty": _("上传的文件是空的。")})
    captured_at = forms.DateTimeField(label=_("拍摄时间"), required=False,
                                      widget=forms.HiddenInput)
    latitude = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90,
                                widget=forms.HiddenInput)
    longitude = forms.FloatField(label=_("经度"), required=False, min_value=-180,
                                 max_value=180, widget=forms.HiddenInput)
    accuracy_m = forms.FloatField(label=_("定位精度（米）"), required=False, min_value=0,
                                  widget=forms.HiddenInput)


class ConclusionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("勘验结论"), choices=Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": _("请选择勘验结论。"),
                                                "invalid_choice": _("请选择勘验结论。")})
    note = forms.CharField(label=_("勘验意见"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请填写勘验意见。")})
    rectify_due = forms.DateField(label=_("整改期限"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("仅“限期整改”时填写"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class RectifyForm(forms.Form):
    """The applicant side on one item: what was done, and optionally one more file."""

    note = forms.CharField(label=_("整改说明"), max_length=COMMENT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("整改材料"), required=False,
                           error_messages={"empty": _("上传的文件是空的。")})
    captured_at = forms.DateTimeField(label=_("拍摄时间"), required=False,
                                      widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    ok = forms.TypedChoiceField(label=_("核验结果"), choices=[("1", _("核验通过")),
                                                         ("0", _("核验不通过"))],
                                coerce=lambda v: v == "1",
                                error_messages={"required": _("请选择核验结果。"),
                                                "invalid_choice": _("请选择核验结果。")})
    comment = forms.CharField(label=_("核验意见"), max_length=COMMENT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


def first_error(form: forms.Form) -> str:
    """The first error of a form as one line for a page message."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return ""
