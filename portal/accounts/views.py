"""Login and logout pages (the login lockout is django-axes, configured in settings)."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from portal.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from portal.accounts.roles import Role


class PortalLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(settings, "ONESEAL_DEMO", False):
            labels = dict(Role.choices)
            context["demo_users"] = [(u.username, labels[u.role], u.real_name)
                                     for u in DEMO_USERS]
            context["demo_password"] = DEMO_PASSWORD
        return context


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")
