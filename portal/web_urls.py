"""Server-rendered pages: login, home, cases."""

from django.urls import include, path

from approvals import verify
from approvals import views as approval_views
from archives import urls as archive_urls
from experts import urls as expert_urls
from inspections import urls as inspection_urls
from portal.accounts import views as account_views
from portal.dashboards import urls as dashboard_urls
from portal.notifications import urls as notification_urls
from portal.ratings import urls as rating_urls
from portal.regulators import urls as regulator_urls

urlpatterns = [
    path("accounts/login/", account_views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.logout_view, name="logout"),
    path("", approval_views.home, name="home"),
    path("verify/<str:code>/", verify.verify_page, name="verify"),
    path("cases/", approval_views.case_list_page, name="case-list"),
    path("cases/<int:case_id>/", approval_views.case_detail_page, name="case-detail"),
    path("deficiencies/overdue/", approval_views.deficiencies_overdue_page,
         name="deficiencies-overdue"),
    path("cases/<int:case_id>/identity/", approval_views.case_identity_page,
         name="case-identity"),
    path("cases/<int:case_id>/act/<slug:transition>/", approval_views.case_act,
         name="case-act"),
    path("", include(notification_urls.web_urlpatterns)),
    path("", include("portal.review.urls")),
    path("", include(inspection_urls.web_urlpatterns)),
    path("", include(expert_urls.web_urlpatterns)),
    path("", include(archive_urls.web_urlpatterns)),
    path("", include(dashboard_urls.web_urlpatterns)),
    path("", include(rating_urls.web_urlpatterns)),
    path("", include(regulator_urls.web_urlpatterns)),
    path("", include("portal.intake.urls")),
]
