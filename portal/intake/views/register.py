"""Applicant self-registration (person or organisation); logs in and opens the guide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.accounts.services import applicant_register
from portal.core.errors import ApplicationError
from portal.intake.forms import RegisterForm, add_service_errors

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def register(request):
    if request.user.is_authenticated:
        return redirect("intake-guide")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("password2")
        try:
            applicant = applicant_register(**data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, applicant.user, backend=MODEL_BACKEND)
            messages.success(request, _("注册成功，欢迎使用网上办事。请在办事指南中选择要办理的事项。"))
            return redirect("intake-guide")
    return render(request, "intake/register.html", {"form": form},
                  status=400 if form.errors else 200)
