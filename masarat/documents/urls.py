from django.urls import path

from masarat.documents import views

urlpatterns = [
    path("cases/<str:reference>/documents/new/", views.upload, name="case-document-upload"),
    path("cases/<str:reference>/documents/<int:document_id>/", views.download, name="case-document"),
]
