"""Forms of the rating, rectification, callback and alert pages: shape and types only;
the services decide what is allowed, and their refusals are put back on the form (what was
typed is kept)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from approvals.catalogue import RiskLevel
from portal.accounts.models import Section
from portal.accounts.roles import STAFF_ROLES
from portal.ratings.models import (
    AlertStatus,
    AppealDecision,
    CallChannel,
    CallOutcome,
    RatingChannel,
    RiskRule,
)
from portal.ratings.steps import Level, RatableStep

TEXTAREA = {"rows": 4}


def add_service_error(form: forms.Form, exc) -> None:
    errors = exc.extra.get("errors") or {}
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, str(message))
    if not errors:
        form.add_error(None, exc.message)


def staff_choices(exclude: set[int] | frozenset[int] = frozenset()):
    """Active bureau staff, by section and name, without ``exclude`` (the people rated)."""
    return (get_user_model().objects.filter(is_active=True, groups__name__in=STAFF_ROLES)
            .exclude(pk__in=exclude).select_related("section").distinct()
            .order_by("section__code", "real_name", "pk"))


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj}（{obj.section.name}）" if obj.section_id else str(obj)


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(label=_("评价等级"), choices=Level.choices, coerce=int,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": _("请选择评价等级。")})
    comment = forms.CharField(label=_("评价意见"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs=TEXTAREA),
                              help_text=_("选择“不满意”或“非常不满意”时请写明原因，我们将在规定时限内核实整改并回访。"))


class RecordRatingForm(RatingForm):
    step = forms.ChoiceField(label=_("服务环节"), choices=RatableStep.choices)
    channel = forms.ChoiceField(label=_("评价渠道"), choices=[
        (RatingChannel.PAPER, RatingChannel.PAPER.label),
        (RatingChannel.PHONE, RatingChannel.PHONE.label)])

    field_order = ["step", "channel", "level", "comment"]


class RatingFilterForm(forms.Form):
    step = forms.ChoiceField(label=_("环节"), required=False,
                             choices=[("", _("全部环节")), *RatableStep.choices])
    level = forms.TypedChoiceField(label=_("等级"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("全部等级")), *Level.choices])
    channel = forms.ChoiceField(label=_("渠道"), required=False,
                                choices=[("", _("全部渠道")), *RatingChannel.choices])
    section = forms.ModelChoiceField(label=_("科室"), required=False,
                                     queryset=Section.objects.order_by("code"),
                                     empty_label=_("全部科室"))
    date_from = forms.DateField(label=_("评价日期起"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("评价日期止"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data


class AssignForm(forms.Form):
    assignee = StaffChoiceField(label=_("承办人"), queryset=staff_choices(),
                                error_messages={"required": _("请选择承办人。"),
                                                "invalid_choice": _("请选择列表中的工作人员。")})
    note = forms.CharField(label=_("分派说明"), required=False, max_length=300)

    def __init__(self, *args, exclude=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_choices(set(exclude))


class AnswerForm(forms.Form):
    measures = forms.CharField(label=_("整改措施与情况说明"), max_length=2000,
                               widget=forms.Textarea(attrs=TEXTAREA),
                               error_messages={"required": _("请填写整改措施或情况说明。")})


class CallForm(forms.Form):
    channel = forms.ChoiceField(label=_("回访方式"), choices=CallChannel.choices)
    outcome = forms.ChoiceField(label=_("回访结果"), choices=CallOutcome.choices)
    response = forms.CharField(label=_("申请人反馈"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    called_at = forms.DateTimeField(label=_("回访时间"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                    help_text=_("不填为当前时间"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000,
                             widget=forms.Textarea(attrs=TEXTAREA),
                             error_messages={"required": _("请填写理由。")})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("复核结论"), choices=AppealDecision.choices,
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("复核意见"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请填写复核意见。")})


class AlertFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("风险等级"), required=False,
                              choices=[("", _("全部等级")), *RiskLevel.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[
        ("active", _("未关闭")), ("", _("全部状态")), *AlertStatus.choices])
    rule = forms.ChoiceField(label=_("规则"), required=False,
                             choices=[("", _("全部规则")), *RiskRule.choices])


class AlertAssignForm(AssignForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].label = _("核查人")
        self.fields["assignee"].error_messages["required"] = _("请选择核查人。")


class AlertCloseForm(forms.Form):
    note = forms.CharField(label=_("核查结论"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("关闭预警须填写核查结论。")})
