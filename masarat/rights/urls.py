from django.urls import path

from masarat.rights import views

urlpatterns = [
    path("cases/<str:reference>/rights/", views.rights_page, name="case-rights"),
    path("cases/<str:reference>/rights/export/", views.export, name="case-rights-export"),
    path("cases/<str:reference>/rights/holds/", views.hold_place, name="case-legal-hold"),
    path("cases/<str:reference>/rights/holds/<int:hold_id>/lift/", views.hold_lift, name="case-legal-hold-lift"),
    path("cases/<str:reference>/rights/erase/", views.erase, name="case-erase"),
]
