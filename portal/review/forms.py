"""Input forms of the review pages: the queue filters, the 出证 form and the licence
lifecycle forms. They check the shape of the input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.models import Certificate, Matter, ReviewOpinion
from approvals.workflow import CaseStatus
from portal.accounts.models import District

DEFAULT_VALID_YEARS = 5


class QueueFilterForm(forms.Form):
    matter = forms.ModelChoiceField(label=_("事项"), queryset=Matter.objects.none(),
                                    required=False, empty_label=_("全部事项"))
    status = forms.ChoiceField(label=_("状态"), required=False)
    district = forms.ModelChoiceField(label=_("区划"), queryset=District.objects.all(),
                                      required=False, empty_label=_("全部区划"))

    def __init__(self, *args, user, states, **kwargs):
        super().__init__(*args, **kwargs)
        matters = Matter.objects.order_by("code")
        if user.section_id is not None:
            matters = matters.filter(section_id=user.section_id)
        self.fields["matter"].queryset = matters
        labels = dict(CaseStatus.choices)
        self.fields["status"].choices = [("", _("全部状态"))] + [(s, labels[s]) for s in states]

    def filters(self) -> dict:
        """Keyword arguments for ``review_queue``; invalid values are ignored."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"matter_id": data["matter"].pk if data.get("matter") else None,
                "status": data.get("status") or "",
                "district_id": data["district"].pk if data.get("district") else None}


class IssueForm(forms.Form):
    scope = forms.CharField(label=_("许可范围"), max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    valid_years = forms.IntegerField(label=_("有效期（年）"), min_value=1, max_value=30,
                                     initial=DEFAULT_VALID_YEARS)
    note = forms.CharField(label=_("出证意见"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ChangeForm(forms.Form):
    """变更: a field left as it was is not changed."""

    scope = forms.CharField(label=_("许可范围"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    holder_name = forms.CharField(label=_("持证人"), max_length=100, required=False)
    note = forms.CharField(label=_("变更事由"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def changes(self, cert: Certificate) -> dict:
        """The fields that differ from the licence (blank ones are left unchanged)."""
        return {name: value for name in ("scope", "address", "holder_name")
                if (value := self.cleaned_data.get(name, "").strip())
                and value != getattr(cert, name)}


class RenewForm(forms.Form):
    valid_until = forms.DateField(label=_("延续后有效期至"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("我已核对，确认办理"))


class DeliverForm(forms.Form):
    method = forms.ChoiceField(label=_("出件方式"), choices=[
        (Certificate.Delivery.PICKUP, Certificate.Delivery.PICKUP.label),
        (Certificate.Delivery.DOWNLOAD, Certificate.Delivery.DOWNLOAD.label),
        (Certificate.Delivery.POST, Certificate.Delivery.POST.label)],
        widget=forms.RadioSelect)
    note = forms.CharField(label=_("领取人 / 运单号"), max_length=200, required=False,
                           help_text=_("窗口领取填写领取人姓名，邮寄填写运单号"))


class OpinionForm(forms.Form):
    """审查意见 on one material or on the whole case. "存在问题" needs a text: the service
    enforces it (its message is shown), so the form checks the shape only."""

    verdict = forms.ChoiceField(label=_("审查结论"), choices=ReviewOpinion.Verdict.choices,
                                widget=forms.RadioSelect)
    text = forms.CharField(label=_("审查意见"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}))
