from django.urls import path

from masarat.directory import views

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/<int:pk>/", views.service_page, name="directory-service"),
    path("directory/<int:pk>/edit/", views.service_edit, name="directory-service-edit"),
]
