"""Forms of the archive pages: shape and types only; the services decide what is allowed
(a refusal is shown on the page and what was typed is kept)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from archives.models import ArchivePackage
from archives.selectors import SearchFilters


def first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return str(_("填写有误，请按各项提示修改后重新提交。"))


class DateInput(forms.DateInput):
    input_type = "date"


class SearchForm(forms.Form):
    number = forms.CharField(label=_("档号"), required=False, max_length=40)
    case_number = forms.CharField(label=_("办件编号"), required=False, max_length=40)
    applicant = forms.CharField(label=_("申请人"), required=False, max_length=100)
    matter = forms.CharField(label=_("事项（编码或名称）"), required=False, max_length=100)
    certificate = forms.CharField(label=_("证书编号"), required=False, max_length=40)
    closed_from = forms.DateField(label=_("办结日期自"), required=False, widget=DateInput)
    closed_to = forms.DateField(label=_("办结日期至"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("closed_from"), data.get("closed_to")
        if start and end and start > end:
            self.add_error("closed_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> SearchFilters:
        if not self.is_valid():
            return SearchFilters()
        return SearchFilters(**{k: v for k, v in self.cleaned_data.items()
                                if v not in (None, "")})

    def query(self) -> str:
        """The filters as a query string prefix for pagination links."""
        if not self.is_bound:
            return ""
        data = self.data.copy()
        data.pop("page", None)
        encoded = data.urlencode()
        return encoded + "&" if encoded else ""


class PaperForm(forms.Form):
    box_number = forms.CharField(label=_("盒号"), required=False, max_length=30)
    volume_number = forms.CharField(label=_("卷号"), required=False, max_length=30)
    shelf_location = forms.CharField(label=_("存放位置"), required=False, max_length=100,
                                     help_text=_("库房、密集架、列、节、层"))
    binding_status = forms.ChoiceField(label=_("装订状态"),
                                       choices=ArchivePackage.Binding.choices)


class LoanForm(forms.Form):
    borrower_name = forms.CharField(label=_("借阅人"), max_length=50)
    borrower_unit = forms.CharField(label=_("借阅单位/科室"), required=False, max_length=100)
    purpose = forms.CharField(label=_("借阅目的"), max_length=300)
    due_date = forms.DateField(label=_("应还日期"), widget=DateInput)


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("归还情况"), required=False, max_length=300)


class ProposeForm(forms.Form):
    """The list's appraisal opinion; the packages and their reasons come as
    ``package`` (repeated) and ``reason_<id>`` fields of the due-list table."""

    reason = forms.CharField(label=_("鉴定意见"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=[
        ("approve", _("批准销毁")), ("reject", _("不予批准"))], widget=forms.RadioSelect)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("不予批准时必填"))


class VerifyZipForm(forms.Form):
    file = forms.FileField(label=_("档案包（ZIP）"))
