from django.urls import path

from masarat.rectification import views

urlpatterns = [
    path("cases/<str:reference>/identity/", views.rectify, name="case-rectification"),
    path("cases/<str:reference>/identity/<int:rectification_id>/restore/", views.restore,
         name="case-rectification-restore"),
]
