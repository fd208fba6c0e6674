"""Input forms of the video inspection's parts of the task page: the premises'
coordinates and giving up a call (改期/转现场). They check the shape of what was posted;
``inspections.video.services`` decides and refuses."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.video.models import CallFallback


class PremisesForm(forms.Form):
    latitude = forms.DecimalField(label=_("纬度"), min_value=-90, max_value=90, max_digits=9,
                                  decimal_places=6, error_messages={
                                      "required": _("请填写纬度。"),
                                      "invalid": _("纬度须为数字，例如 30.274085。")})
    longitude = forms.DecimalField(label=_("经度"), min_value=-180, max_value=180,
                                   max_digits=9, decimal_places=6, error_messages={
                                       "required": _("请填写经度。"),
                                       "invalid": _("经度须为数字，例如 120.155070。")})
    update_applicant = forms.BooleanField(label=_("同时更新申请人登记的经营场所坐标"),
                                          required=False)


class FallbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("处理方式"), choices=CallFallback.Kind.choices,
                             widget=forms.RadioSelect, error_messages={
                                 "required": _("请选择处理方式：改期重新视频勘验或转为现场勘验。"),
                                 "invalid_choice": _("请选择处理方式：改期重新视频勘验或转为现场勘验。")})
    reason = forms.CharField(label=_("原因（将告知申请人）"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}), error_messages={
                                 "required": _("请填写视频勘验未能完成的原因（将告知申请人）。")})
    resume_at = forms.DateTimeField(label=_("约定继续时间（勘验已开始时必填）"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                                                   "%Y-%m-%dT%H:%M:%S"])
