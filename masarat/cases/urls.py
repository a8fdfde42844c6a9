from django.urls import path

from masarat.cases import record_views, views

urlpatterns = [
    path("cases/", views.queue, name="queue"),
    path("cases/emergency-access/", views.emergency_access, name="case-emergency-access"),
    path("cases/<str:reference>/", views.case_page, name="case"),
    path("cases/<str:reference>/acknowledge/", views.acknowledge, name="case-acknowledge"),
    path("cases/<str:reference>/decision/", views.record_decision, name="case-decision"),
    path("cases/<str:reference>/decisions/<int:decision_id>/review/", views.review_decision, name="case-review"),
    path("cases/<str:reference>/reconsideration/", views.reason_action, {"kind": "reconsideration"},
         name="case-reconsideration"),
    path("cases/<str:reference>/close/", views.reason_action, {"kind": "close"}, name="case-close"),
    path("cases/<str:reference>/reopen/", views.reason_action, {"kind": "reopen"}, name="case-reopen"),
    path("cases/<str:reference>/records/<slug:kind>/", record_views.record_page, name="case-record"),
    path("cases/<str:reference>/assign/", views.assign_case_manager, name="case-assign"),
    path("cases/<str:reference>/assign-coordinator/", views.assign_coordinator, name="case-assign-coordinator"),
]
