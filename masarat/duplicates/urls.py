from django.urls import path

from masarat.duplicates import views

urlpatterns = [
    path("cases/<str:reference>/duplicates/check/", views.check_again, name="case-duplicate-check"),
    path("cases/<str:reference>/duplicates/<int:person_id>/link/", views.link, name="case-duplicate-link"),
    path("cases/<str:reference>/duplicates/<int:person_id>/not-same/", views.not_same,
         name="case-duplicate-not-same"),
    path("cases/<str:reference>/duplicates/links/<int:link_id>/unlink/", views.unlink,
         name="case-duplicate-unlink"),
]
