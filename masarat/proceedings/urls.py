from django.urls import path

from masarat.proceedings import views

urlpatterns = [
    path("hearings/", views.hearings, name="hearings"),
    path("cases/<str:reference>/proceedings/", views.case_proceedings, name="case-proceedings"),
]
