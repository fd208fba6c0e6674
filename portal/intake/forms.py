"""Input forms of the intake pages. They check the shape of what was typed (required,
lengths, two passwords equal) and reuse the shared identity validators so every field
error shows at once; the services stay the authority and refuse anything else."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Applicant
from portal.accounts.validators import validate_applicant_identity, validate_mobile

USERNAME_RE = r"^[A-Za-z0-9_.@+-]{3,150}$"


def add_service_errors(form: forms.Form, exc) -> None:
    """Put an ApplicationError's per-field errors on the form, the rest as a form error."""
    placed = False
    for field, message in (exc.extra.get("errors") or {}).items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class IdentityFieldsMixin:
    """Kind + ID number + phone checked with the shared validators (field errors at once)."""

    def clean(self):
        data = super().clean()
        kind, id_number = data.get("kind"), (data.get("id_number") or "").strip().upper()
        if kind and id_number:
            try:
                validate_applicant_identity(kind, id_number)
            except ValidationError as exc:
                self.add_error("id_number", exc.messages[0])
            data["id_number"] = id_number
        phone = (data.get("phone") or "").strip()
        if phone:
            try:
                validate_mobile(phone)
            except ValidationError as exc:
                self.add_error("phone", exc.messages[0])
        return data


class RegisterForm(IdentityFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("申请人类型"), choices=Applicant.Kind.choices,
                             initial=Applicant.Kind.PERSON, widget=forms.RadioSelect)
    name = forms.CharField(label=_("姓名/单位名称"), max_length=100)
    id_number = forms.CharField(label=_("证件号码"), max_length=18,
                                help_text=_("自然人填写18位居民身份证号码；单位填写18位统一社会信用代码"))
    legal_representative = forms.CharField(label=_("法定代表人/负责人"), max_length=50,
                                           required=False, help_text=_("单位申请人填写"))
    phone = forms.CharField(label=_("联系电话"), max_length=20,
                            help_text=_("11位手机号，或带区号的固定电话"))
    address = forms.CharField(label=_("住所/经营场所"), max_length=200, required=False)
    username = forms.RegexField(
        label=_("用户名"), regex=USERNAME_RE, max_length=150,
        help_text=_("3位以上字母、数字或 _ . @ + -，用于登录"),
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ + -，至少3位。")})
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("至少8位，不能全为数字，不能与用户名过于相似"))
    password2 = forms.CharField(label=_("再次输入密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        password, again = data.get("password"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", _("两次输入的密码不一致。"))
        if password:
            try:
                validate_password(password)
            except ValidationError as exc:
                self.add_error("password", " ".join(exc.messages))
        return data


class WalkInFindForm(forms.Form):
    id_number = forms.CharField(label=_("证件号码"), max_length=18,
                                help_text=_("居民身份证号码或统一社会信用代码，须完整准确"))

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper()


class WalkInRegisterForm(IdentityFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("申请人类型"), choices=Applicant.Kind.choices,
                             widget=forms.RadioSelect)
    id_number = forms.CharField(label=_("证件号码"), max_length=18)
    name = forms.CharField(label=_("姓名/单位名称"), max_length=100)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    address = forms.CharField(label=_("住所/经营场所"), max_length=200, required=False)


class AgentAuthorizeForm(forms.Form):
    agent = forms.CharField(label=_("代办员用户名"), max_length=150,
                            help_text=_("请向帮办代办员索取其登录用户名"))
    valid_until = forms.DateField(label=_("授权有效期至"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("不填则长期有效，可随时撤销"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
