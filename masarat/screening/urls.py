from django.urls import path

from masarat.screening import views

urlpatterns = [
    path("screening/", views.screening_home, name="screening-home"),
    path("screening/<int:assessment_id>/element/<int:index>/", views.screening_element, name="screening-element"),
    path("screening/<int:assessment_id>/result/", views.screening_result, name="screening-result"),
]
