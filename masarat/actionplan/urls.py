from django.urls import path

from masarat.actionplan import views

urlpatterns = [
    path("", views.report, name="action-plan"),
    path("print/", views.report_print, name="action-plan-print"),
    path("download.<str:file_format>", views.download, name="action-plan-download"),
    path("measures/<slug:code>/", views.measure, name="action-plan-measure"),
]
