from django.urls import path

from masarat.transnational import views

urlpatterns = [
    path("cases/<str:reference>/abroad/", views.package_new, name="case-package-new"),
    path("abroad/receive/", views.package_receive, name="package-receive"),
    path("abroad/received/<uuid:pk>/", views.package_received, name="package-received"),
    path("abroad/received/<uuid:pk>/acknowledgement/", views.package_acknowledgement,
         name="package-acknowledgement"),
    path("abroad/acknowledgements/", views.acknowledgement_upload, name="package-acknowledgement-upload"),
]
