"""Page routes of the review app (mounted at the site root)."""

from django.urls import path

from portal.review import views

urlpatterns = [
    path("review/", views.queue_page, name="review-queue"),
    path("review/cases/<int:case_id>/", views.case_review, name="review-case"),
    path("review/materials/<int:material_id>/preview/", views.material_preview,
         name="review-material-preview"),
    path("review/cases/<int:case_id>/issue/", views.case_issue, name="review-issue"),
    path("review/licences/<int:certificate_id>/<slug:action>/", views.certificate_act,
         name="review-licence-act"),
    path("licences/<int:certificate_id>/download/", views.certificate_download,
         name="review-licence-download"),
]
