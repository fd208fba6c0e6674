"""Page routes: standards (mounted at the site root)."""

from django.urls import path

from inspections.web import standards as views

urlpatterns = [
    path("inspections/standards/", views.standard_list, name="inspection-standards"),
    path("inspections/standards/<int:matter_id>/", views.standard_detail,
         name="inspection-standard-detail"),
    path("inspections/standards/<int:matter_id>/edit/", views.standard_edit,
         name="inspection-standard-edit"),
    path("inspections/standards/<int:matter_id>/guidance/", views.guidance_upload,
         name="inspection-standard-guidance"),
    path("inspections/standards/<int:matter_id>/media/<int:media_id>/", views.standard_media,
         name="inspection-standard-media"),
    path("cases/<int:case_id>/standard/", views.case_standard_page,
         name="inspection-case-standard"),
    path("cases/<int:case_id>/standard/media/<int:media_id>/", views.case_standard_media,
         name="inspection-case-standard-media"),
    path("guide/<str:code>/standard/", views.guide_standard, name="inspection-guide-standard"),
    path("guide/<str:code>/standard/media/<int:media_id>/", views.guide_standard_media,
         name="inspection-guide-standard-media"),
]
