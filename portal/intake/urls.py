"""Page routes of the applicant portal and the combined counter (mounted at the site root)."""

from django.urls import path

from portal.intake.views import agents, apply, counter, edit, files, guide, register

urlpatterns = [
    path("register/", register.register, name="intake-register"),
    path("guide/", guide.guide_list, name="intake-guide"),
    path("guide/bundles/<str:code>/", guide.bundle_detail, name="intake-bundle-detail"),
    path("guide/<str:code>/", guide.guide_detail, name="intake-guide-detail"),
    path("guide/<str:code>/apply/", apply.matter_apply, name="intake-apply"),
    path("guide/<str:code>/materials/<int:requirement_id>/sample/", guide.material_sample,
         name="intake-material-sample"),
    path("bundles/<str:code>/apply/", apply.bundle_apply, name="intake-bundle-apply"),
    path("bundle-applications/<int:group_id>/edit/", edit.group_edit, name="intake-group-edit"),
    path("cases/<int:case_id>/edit/", edit.case_edit, name="intake-case-edit"),
    path("cases/<int:case_id>/submit/", apply.case_submit, name="intake-case-submit"),
    path("cases/<int:case_id>/commitment/", apply.commitment_sign, name="intake-commitment"),
    path("cases/<int:case_id>/materials/<int:requirement_id>/", apply.material_upload,
         name="intake-material-upload"),
    path("files/materials/<int:material_id>/", files.material_download,
         name="intake-material-download"),
    path("files/notices/<int:notice_id>/", files.notice_download,
         name="intake-notice-download"),
    path("counter/", counter.queue, name="intake-counter"),
    path("counter/walk-in/", counter.walk_in, name="intake-walk-in"),
    path("counter/walk-in/apply/", counter.walk_in_apply, name="intake-walk-in-apply"),
    path("counter/cases/<int:case_id>/act/", counter.decide_page, name="intake-decide"),
    path("counter/cases/<int:case_id>/act/<slug:slug>/", counter.decide,
         name="intake-decision"),
    path("agents/", agents.agents, name="intake-agents"),
    path("agents/<int:authorization_id>/revoke/", agents.agent_revoke,
         name="intake-agent-revoke"),
]
