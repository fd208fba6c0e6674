"""Forms of the expert pages: shape and types only; the services decide what is allowed
and report problems per field (``ApplicationError.extra["errors"]``), which
``add_service_errors`` puts back on the form so what was typed is kept."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from experts.models import ExpertField, MeetingMode, MeetingOutcome
from portal.accounts.roles import Role


def first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return str(_("填写有误，请按各项提示修改后重新提交。"))


def add_service_errors(form: forms.Form, exc, aliases: dict | None = None) -> None:
    """Put a service's per-field errors on the form (unknown fields as non-field errors)."""
    errors = exc.extra.get("errors") or {}
    for name, message in errors.items():
        name = (aliases or {}).get(name, name)
        form.add_error(name if name in form.fields else None, str(message))
    if not errors:
        form.add_error(None, exc.message)


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名/单位/职称"), required=False, max_length=50)
    field = forms.ModelChoiceField(label=_("专业领域"), required=False,
                                   queryset=ExpertField.objects.all(),
                                   empty_label=_("全部专业领域"))
    industry = forms.CharField(label=_("行业"), required=False, max_length=50)
    active = forms.ChoiceField(label=_("状态"), required=False, choices=[
        ("", _("全部状态")), ("1", _("在库")), ("0", _("已停用"))])

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"q": data.get("q") or "", "industry": data.get("industry") or "",
                "field_id": data["field"].pk if data.get("field") else None,
                "active": {"1": True, "0": False}.get(data.get("active") or "")}


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    expertise = forms.ModelMultipleChoiceField(
        label=_("专业领域"), queryset=ExpertField.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个专业领域。")})
    industries = forms.CharField(label=_("行业"), required=False, max_length=200,
                                 help_text=_("多个用；分隔"))
    employer = forms.CharField(label=_("工作单位"), max_length=100,
                               help_text=_("与申请人名称相同时自动回避"))
    title = forms.CharField(label=_("职称"), max_length=50, required=False)
    qualifications = forms.CharField(label=_("资格资质"), max_length=200, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    active = forms.BooleanField(label=_("在库可抽取"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    user = forms.ModelChoiceField(
        label=_("登录账号"), required=False, empty_label=_("（无）"),
        queryset=get_user_model().objects.filter(groups__name=Role.EXPERT).order_by("username"),
        help_text=_("关联后专家可登录答复邀请、维护不可用日期并在线评分"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV 或 Excel（.xlsx）文件"),
                           error_messages={"required": _("请选择要导入的文件。")})


class RelationForm(forms.Form):
    org = forms.CharField(label=_("需回避的单位"), max_length=100,
                          help_text=_("单位名称或统一社会信用代码"))
    relation = forms.CharField(label=_("关系"), max_length=100,
                               help_text=_("如：曾任职、亲属任职、持股、顾问"))


class UnavailabilityForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("请填写正确的日期。")})
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": _("请填写正确的日期。")})
    reason = forms.CharField(label=_("原因"), max_length=100, required=False)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("质量评价"), coerce=int,
                                   choices=[(i, f"{i} ★") for i in range(5, 0, -1)])
    comment = forms.CharField(label=_("评价说明"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DrawForm(forms.Form):
    field = forms.ModelChoiceField(label=_("专业领域"), queryset=ExpertField.objects.all(),
                                   error_messages={"required": _("请选择专业领域。")})
    count = forms.IntegerField(label=_("抽取人数"), min_value=1, max_value=15, initial=3)
    meeting_at = forms.DateTimeField(
        label=_("评审时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                        format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("请填写评审时间。"), "invalid": _("请填写正确的时间。")})
    mode = forms.ChoiceField(label=_("评审方式"), choices=MeetingMode.choices)
    place = forms.CharField(label=_("评审地点/会议链接"), max_length=200, required=False)
    exclude = forms.CharField(label=_("排除的专家编号"), required=False, max_length=200,
                              help_text=_("如需排除特定专家（须说明理由），填写其编号，多个用逗号分隔"))
    exclude_reason = forms.CharField(label=_("排除理由"), required=False, max_length=200)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        raw = (data.get("exclude") or "").replace("，", ",").replace("；", ",")
        ids = [p.strip() for p in raw.split(",") if p.strip()]
        if any(not p.isdigit() for p in ids):
            self.add_error("exclude", _("专家编号须为数字。"))
        elif ids and not (data.get("exclude_reason") or "").strip():
            self.add_error("exclude_reason", _("排除专家须说明理由。"))
        data["exclusions"] = {int(p): (data.get("exclude_reason") or "").strip()
                              for p in ids if p.isdigit()}
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写理由。")})


class ChairForm(forms.Form):
    expert = forms.IntegerField(label=_("专家组组长"), widget=forms.Select)


class ConclusionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("评审结论"), choices=MeetingOutcome.choices)
    conclusion = forms.CharField(label=_("评审意见"), max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 5}),
                                 error_messages={"required": _("请填写评审意见。")})
