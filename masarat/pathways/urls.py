from django.urls import path

from masarat.pathways import views

urlpatterns = [
    path("cases/<str:reference>/services/add/", views.referral_add, name="case-service-add"),
    path("cases/<str:reference>/services/<int:pk>/send/", views.referral_send, name="case-service-send"),
    path("cases/<str:reference>/services/<int:pk>/skip/", views.referral_skip, name="case-service-skip"),
    path("cases/<str:reference>/services/<int:pk>/delivery/", views.referral_delivery, name="case-service-delivery"),
    path("cases/<str:reference>/transfer/", views.case_transfer, name="case-transfer"),
    path("service-referrals/", views.referrals_in_scope, name="service-referrals"),
    path("provider/referrals/", views.provider_inbox, name="provider-inbox"),
    path("provider/referrals/<int:pk>/", views.provider_referral, name="provider-referral"),
    path("provider/referrals/<int:pk>/accept/", views.provider_accept, name="provider-referral-accept"),
    path("provider/referrals/<int:pk>/decline/", views.provider_decline, name="provider-referral-decline"),
    path("provider/referrals/<int:pk>/delivery/", views.provider_delivery, name="provider-referral-delivery"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:pk>/", views.transfer_respond, name="transfer-respond"),
]
