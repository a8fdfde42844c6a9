from django.urls import path

from masarat.statistics import views

urlpatterns = [
    path("", views.dashboard, name="overview"),
    path("download/<slug:table>.<str:file_format>", views.download, name="statistics-download"),
    path("annual-report/", views.annual_report, name="statistics-annual-report"),
]
