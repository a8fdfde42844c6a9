from django.urls import path

from masarat.referrals import views

urlpatterns = [
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/new/", views.referral_form, name="referral-new"),
    path("referrals/drafts/<int:draft_id>/", views.referral_form, name="referral-draft"),
    path("referrals/drafts/<int:draft_id>/delete/", views.referral_draft_delete, name="referral-draft-delete"),
    path("referrals/<str:reference>/", views.referral_status_page, name="referral-status"),
]
