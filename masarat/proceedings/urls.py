from django.urls import path

from masarat.proceedings import views

urlpatterns = [
    path("cases/<str:reference>/proceedings/", views.case_proceedings, name="case-proceedings"),
]
