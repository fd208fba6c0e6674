"""Routes: pages (``web_urlpatterns``, site root) and API (``api_urlpatterns``, /api/v1/)."""

from django.urls import path

from portal.ratings.api import alerts as alert_apis
from portal.ratings.api import callbacks as callback_apis
from portal.ratings.api import ratings as rating_apis
from portal.ratings.api import rectifications as rectification_apis
from portal.ratings.web import alerts, callbacks, rate, staff

R = "ratings/rectifications/<int:item_id>/"
CB = "ratings/callbacks/<int:task_id>/"
A = "ratings/alerts/<int:alert_id>/"

web_urlpatterns = [
    path("ratings/", staff.ratings_page, name="ratings-list"),
    path("ratings/mine/", rate.mine_page, name="ratings-mine"),
    path("ratings/cases/<int:case_id>/rate/<slug:step>/", rate.rate_page, name="ratings-rate"),
    path("ratings/cases/<int:case_id>/record/", rate.record_page, name="ratings-record"),
    path("ratings/rectifications/", staff.rectification_list_page,
         name="ratings-rectifications"),
    path(R, staff.rectification_page, name="ratings-rectification"),
    path(R + "assign/", staff.rectification_assign, name="ratings-rectification-assign"),
    path(R + "answer/", staff.rectification_answer, name="ratings-rectification-answer"),
    path(R + "callback/", staff.rectification_callback, name="ratings-rectification-callback"),
    path(R + "dismiss/", staff.rectification_dismiss, name="ratings-rectification-dismiss"),
    path(R + "appeal/", rate.appeal_page, name="ratings-appeal"),
    path(R + "decision/", staff.rectification_decide, name="ratings-rectification-decide"),
    path("ratings/callbacks/", callbacks.callback_list_page, name="ratings-callbacks"),
    path(CB, callbacks.callback_page, name="ratings-callback"),
    path(CB + "reveal/", callbacks.callback_reveal, name="ratings-callback-reveal"),
    path("ratings/callbacks/samples/<int:sample_id>/", callbacks.sample_page,
         name="ratings-sample"),
    path("ratings/alerts/", alerts.alert_list_page, name="ratings-alerts"),
    path(A, alerts.alert_page, name="ratings-alert"),
    path(A + "assign/", alerts.alert_assign, name="ratings-alert-assign"),
    path(A + "close/", alerts.alert_close, name="ratings-alert-close"),
]

AR = "ratings/rectifications/<int:item_id>/"
api_urlpatterns = [
    path("ratings/", rating_apis.RatingListApi.as_view(), name="api-ratings"),
    path("ratings/stats/", rating_apis.RatingStatsApi.as_view(), name="api-rating-stats"),
    path("ratings/cases/<int:case_id>/", rating_apis.CaseRatingsApi.as_view(),
         name="api-rating-case"),
    path("ratings/rectifications/", rectification_apis.RectificationListApi.as_view(),
         name="api-rating-rectifications"),
    path(AR, rectification_apis.RectificationDetailApi.as_view(),
         name="api-rating-rectification"),
    path(AR + "assign/", rectification_apis.RectificationAssignApi.as_view(),
         name="api-rating-rectification-assign"),
    path(AR + "answer/", rectification_apis.RectificationAnswerApi.as_view(),
         name="api-rating-rectification-answer"),
    path(AR + "callback/", rectification_apis.RectificationCallbackApi.as_view(),
         name="api-rating-rectification-callback"),
    path(AR + "dismiss/", rectification_apis.RectificationDismissApi.as_view(),
         name="api-rating-rectification-dismiss"),
    path(AR + "appeal/", rectification_apis.RectificationAppealApi.as_view(),
         name="api-rating-rectification-appeal"),
    path(AR + "decision/", rectification_apis.RectificationDecisionApi.as_view(),
         name="api-rating-rectification-decision"),
    path("ratings/callback-tasks/", callback_apis.CallbackTaskListApi.as_view(),
         name="api-callback-tasks"),
    path("ratings/callback-tasks/<int:task_id>/", callback_apis.CallbackTaskDetailApi.as_view(),
         name="api-callback-task"),
    path("ratings/callback-tasks/<int:task_id>/calls/", callback_apis.CallbackCallApi.as_view(),
         name="api-callback-task-calls"),
    path("ratings/callback-samples/", callback_apis.SampleListApi.as_view(),
         name="api-callback-samples"),
    path("ratings/callback-samples/<int:sample_id>/", callback_apis.SampleDetailApi.as_view(),
         name="api-callback-sample"),
    path("risk-alerts/", alert_apis.AlertListApi.as_view(), name="api-risk-alerts"),
    path("risk-alerts/<int:alert_id>/", alert_apis.AlertDetailApi.as_view(),
         name="api-risk-alert"),
    path("risk-alerts/<int:alert_id>/assign/", alert_apis.AlertAssignApi.as_view(),
         name="api-risk-alert-assign"),
    path("risk-alerts/<int:alert_id>/close/", alert_apis.AlertCloseApi.as_view(),
         name="api-risk-alert-close"),
]
