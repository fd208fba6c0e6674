"""Routes of the experts app: pages (``web_urlpatterns``, mounted at the site root) and
the API (``api_urlpatterns``, mounted at /api/v1/)."""

from django.urls import path

from experts.api import draws as draw_apis
from experts.api import meetings as meeting_apis
from experts.api import pool as pool_apis
from experts.web import draws, me, meetings, pool

E = "experts/<int:expert_id>/"
D = "experts/draws/<int:draw_id>/"
INV = "experts/invitations/<int:invitation_id>/"
M = "experts/meetings/<int:meeting_id>/"

web_urlpatterns = [
    path("experts/", pool.pool_page, name="experts-pool"),
    path("experts/export/", pool.pool_export, name="experts-export"),
    path("experts/import/", pool.import_page, name="experts-import"),
    path("experts/import/template.<str:fmt>", pool.import_template,
         name="experts-import-template"),
    path("experts/new/", pool.expert_new, name="experts-new"),
    path("experts/me/", me.me_page, name="experts-me"),
    path(E, pool.expert_page, name="experts-detail"),
    path(E + "edit/", pool.expert_edit, name="experts-edit"),
    path(E + "contact/", pool.expert_contact, name="experts-contact"),
    path(E + "relations/", pool.relation_add, name="experts-relation-add"),
    path(E + "relations/<int:relation_id>/withdraw/", pool.relation_withdraw,
         name="experts-relation-withdraw"),
    path(E + "ratings/", pool.rating_add, name="experts-rating-add"),
    path(E + "unavailable/", pool.unavailable_add, name="experts-unavailable-add"),
    path(E + "unavailable/<int:period_id>/delete/", pool.unavailable_remove,
         name="experts-unavailable-remove"),
    path("experts/draws/", draws.draw_list_page, name="experts-draws"),
    path("experts/draws/new/", draws.draw_new, name="experts-draw-new"),
    path(D, draws.draw_page, name="experts-draw"),
    path(D + "refill/", draws.draw_refill, name="experts-draw-refill"),
    path(D + "cancel/", draws.draw_cancel, name="experts-draw-cancel"),
    path(INV + "accept/", me.invitation_accept, name="experts-invitation-accept"),
    path(INV + "decline/", me.invitation_decline, name="experts-invitation-decline"),
    path(INV + "attendance/", draws.invitation_attendance,
         name="experts-invitation-attendance"),
    path(M, meetings.meeting_page, name="experts-meeting"),
    path(M + "sheet/", meetings.meeting_sheet, name="experts-meeting-sheet"),
    path(M + "chair/", meetings.meeting_chair, name="experts-meeting-chair"),
    path(M + "conclusion/", meetings.meeting_conclude, name="experts-meeting-conclude"),
    path("experts/minutes/<int:minutes_id>/", meetings.minutes_file, name="experts-minutes"),
]

api_urlpatterns = [
    path("experts/", pool_apis.ExpertListApi.as_view(), name="api-experts"),
    path("experts/fields/", pool_apis.FieldListApi.as_view(), name="api-expert-fields"),
    path("experts/import/", pool_apis.ImportApi.as_view(), name="api-experts-import"),
    path("experts/export/", pool_apis.ExportApi.as_view(), name="api-experts-export"),
    path("experts/me/", pool_apis.MeApi.as_view(), name="api-experts-me"),
    path(E, pool_apis.ExpertDetailApi.as_view(), name="api-expert"),
    path(E + "contact/", pool_apis.ExpertContactApi.as_view(), name="api-expert-contact"),
    path(E + "relations/", pool_apis.RelationCreateApi.as_view(), name="api-expert-relations"),
    path(E + "ratings/", pool_apis.RatingCreateApi.as_view(), name="api-expert-ratings"),
    path(E + "unavailability/", pool_apis.UnavailabilityApi.as_view(),
         name="api-expert-unavailability"),
    path(E + "unavailability/<int:period_id>/", pool_apis.UnavailabilityDeleteApi.as_view(),
         name="api-expert-unavailability-delete"),
    path("experts/draws/", draw_apis.DrawListApi.as_view(), name="api-expert-draws"),
    path(D, draw_apis.DrawDetailApi.as_view(), name="api-expert-draw"),
    path(D + "verify/", draw_apis.DrawVerifyApi.as_view(), name="api-expert-draw-verify"),
    path(D + "refill/", draw_apis.DrawRefillApi.as_view(), name="api-expert-draw-refill"),
    path(D + "cancel/", draw_apis.DrawCancelApi.as_view(), name="api-expert-draw-cancel"),
    path(INV + "accept/", draw_apis.InvitationAcceptApi.as_view(),
         name="api-expert-invitation-accept"),
    path(INV + "decline/", draw_apis.InvitationDeclineApi.as_view(),
         name="api-expert-invitation-decline"),
    path(INV + "attendance/", draw_apis.InvitationAttendanceApi.as_view(),
         name="api-expert-invitation-attendance"),
    path(M, meeting_apis.MeetingDetailApi.as_view(), name="api-expert-meeting"),
    path(M + "sheet/", meeting_apis.SheetApi.as_view(), name="api-expert-meeting-sheet"),
    path(M + "chair/", meeting_apis.ChairApi.as_view(), name="api-expert-meeting-chair"),
    path(M + "conclusion/", meeting_apis.ConclusionApi.as_view(),
         name="api-expert-meeting-conclusion"),
    path("experts/minutes/<int:minutes_id>/download/",
         meeting_apis.MinutesDownloadApi.as_view(), name="api-expert-minutes-download"),
]
