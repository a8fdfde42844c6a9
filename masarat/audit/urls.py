from django.urls import path

from masarat.audit import views

urlpatterns = [
    path("", views.audit_log, name="audit-log"),
    path("emergency-accesses/", views.emergency_accesses, name="audit-emergency-accesses"),
    path("access/case/<str:reference>/", views.person_access_report, name="audit-access-person"),
    path("access/user/<str:username>/", views.user_access_report, name="audit-access-user"),
]
