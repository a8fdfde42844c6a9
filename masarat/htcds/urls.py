from django.urls import path

from masarat.htcds import views

urlpatterns = [
    path("cases/<str:reference>/htcds/", views.download, name="case-htcds"),
]

api_urlpatterns = [
    path("cases/<str:reference>/htcds/", views.CaseHtcdsView.as_view(), name="api-case-htcds"),
    path("htcds/import/", views.HtcdsImportView.as_view(), name="api-htcds-import"),
]
