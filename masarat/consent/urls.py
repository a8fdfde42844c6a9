from django.urls import path

from masarat.consent import views

urlpatterns = [
    path("cases/<str:reference>/consent/", views.consent_add, name="case-consent"),
    path("cases/<str:reference>/consent/<int:pk>/withdraw/", views.consent_withdraw, name="case-consent-withdraw"),
]
