"""Forms of the 审管互动 pages: shape and types only; the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.regulators.models import RequestKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class RequestForm(forms.Form):
    """A department's request typed in the portal (the API takes the same fields)."""

    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    kind = forms.ChoiceField(label=_("类型"), choices=RequestKind.choices)
    certificate_number = forms.CharField(label=_("证书编号"), required=False, max_length=40,
                                         help_text=_("建议撤销许可时填写证书编号"))
    case_number = forms.CharField(label=_("办件编号"), required=False, max_length=32,
                                  help_text=_("未填写证书编号时填写"))
    content = forms.CharField(label=_("内容"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("事实、依据及建议，将记入办件"))
    attachments = forms.FileField(label=_("附件"), required=False,
                                  widget=MultipleFileInput(
                                      attrs={"accept": "application/pdf,image/jpeg,image/png"}),
                                  help_text=_("可选，PDF/JPG/PNG，最多 10 个"))

    def clean(self):
        data = super().clean()
        if not data.get("certificate_number") and not data.get("case_number"):
            raise forms.ValidationError(_("请填写办件编号或证书编号。"))
        return data


class HandleForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", _("受理")), ("reject", _("不予采纳")),
                                        ("complete", _("办结"))])
    note = forms.CharField(label=_("处理意见"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
