"""Forms of the standard editor: the revision (note, pass score, the version it starts
from), one form per checklist item in a formset, and the guidance upload.

The item fields are lenient on purpose: what makes an item valid (required texts, weight
0–100, unique keys) is decided by ``standard_publish``, which reports every problem in
Chinese, numbered as the rows are shown; the forms only carry what was typed.
"""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from inspections.models import Category

ITEM_TEXT_FIELDS = ("key", "title", "requirement", "method", "guidance", "weight")
MAX_ITEMS = 60


class RevisionForm(forms.Form):
    note = forms.CharField(label=_("修订说明（必填）"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("说明本次修订的内容和依据，将显示在版本记录中"))
    pass_score = forms.IntegerField(label=_("合格分数线（百分制）"), min_value=0, max_value=100,
                                    help_text=_("适用项得分率达到此分数且无否决项不合格，方可判定合格"))
    base_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class ItemForm(forms.Form):
    order = forms.CharField(label=_("序号"), required=False, max_length=4,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
                            help_text=_("改动序号可调整顺序"))
    key = forms.CharField(label=_("通用项编码"), required=False, max_length=60,
                          help_text=_("小写字母、数字和连字符；相同要求在各事项中使用同一编码，并联"
                                      "踏勘时合并为一项"))
    category = forms.ChoiceField(label=_("类别"), required=False,
                                 choices=[("", "—")] + list(Category.choices))
    title = forms.CharField(label=_("勘验项目"), required=False, max_length=200)
    requirement = forms.CharField(label=_("标准要求"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.CharField(label=_("核查方法"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.CharField(label=_("分值"), required=False, max_length=6,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}))
    veto = forms.BooleanField(label=_("否决项"), required=False)
    guidance = forms.CharField(label=_("申请人指引"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("告诉申请人勘验前要准备什么（开卷考试）"))
    drop_media = forms.BooleanField(label=_("不再使用本项的指引图片/视频"), required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(str(data.get(f) or "").strip() for f in ITEM_TEXT_FIELDS)


ItemFormSet = formset_factory(ItemForm, extra=0, can_delete=True, max_num=MAX_ITEMS,
                              validate_max=True, absolute_max=MAX_ITEMS)


def _order(raw: str, fallback: int) -> tuple[int, int]:
    try:
        return int(str(raw).strip()), fallback
    except ValueError:
        return 10**6, fallback


def formset_items(formset) -> list[dict]:
    """The rows the editor kept, in the order they asked for: deleted and blank rows
    dropped. Call on a valid formset."""
    rows = [form.cleaned_data for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank()]
    ordered = sorted(enumerate(rows), key=lambda pair: _order(pair[1].get("order"), pair[0]))
    return [{"key": row["key"].strip(), "category": row["category"], "title": row["title"],
             "requirement": row["requirement"], "method": row["method"],
             "weight": row["weight"].strip(), "veto": row["veto"],
             "guidance": row["guidance"], "drop_media": row["drop_media"]}
            for _index, row in ordered]


def formset_initial(items: list[dict], *, blank_rows: int = 1) -> list[dict]:
    """Rows for an unbound formset: ``items`` numbered 1..n, then ``blank_rows`` empty."""
    rows = [{**{k: v for k, v in item.items() if k != "media"}, "order": n}
            for n, item in enumerate(items, start=1)]
    rows += [{"order": len(rows) + i + 1, "weight": ""} for i in range(blank_rows)]
    return rows


class GuidanceUploadForm(forms.Form):
    item_key = forms.CharField(widget=forms.HiddenInput, max_length=60)
    file = forms.FileField(label=_("图片或短视频"),
                           help_text=_("JPG、PNG 图片或 MP4、WebM 视频（视频不超过 50 MB）"))
    caption = forms.CharField(label=_("说明"), required=False, max_length=200)
