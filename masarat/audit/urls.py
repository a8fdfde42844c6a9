from django.urls import path

from masarat.audit import views

urlpatterns = [
    path("", views.audit_log, name="audit-log"),
    path("emergency-accesses/", views.emergency_accesses, name="audit-emergency-accesses"),
]
