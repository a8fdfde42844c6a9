from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from masarat.api import views
from masarat.htcds.urls import api_urlpatterns as htcds_api

urlpatterns = [
    # The schema describes the API only, never data: it is public.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path("referrals/", views.ReferralListCreateView.as_view(), name="api-referral-list"),
    path("referrals/<str:reference>/", views.ReferralDetailView.as_view(), name="api-referral-detail"),
    path("cases/", views.CaseListView.as_view(), name="api-case-list"),
    path("cases/<str:reference>/", views.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<str:reference>/decisions/", views.DecisionCreateView.as_view(), name="api-case-decisions"),
    path("cases/<str:reference>/decisions/<int:decision_id>/review/", views.DecisionReviewView.as_view(),
         name="api-decision-review"),
    *htcds_api,
]
