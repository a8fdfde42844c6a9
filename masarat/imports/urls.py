from django.urls import path

from masarat.imports import views

urlpatterns = [
    path("imports/", views.index, name="imports"),
    path("imports/<int:pk>/", views.detail, name="import"),
    path("imports/<int:pk>/mapping/", views.mapping, name="import-mapping"),
    path("imports/<int:pk>/commit/", views.commit, name="import-commit"),
    path("imports/<int:pk>/rollback/", views.rollback, name="import-rollback"),
    path("imports/<int:pk>/resume/", views.resume, name="import-resume"),
    path("imports/<int:pk>/progress/", views.progress, name="import-progress"),
    path("imports/<int:pk>/report.csv", views.report, name="import-report"),
]
