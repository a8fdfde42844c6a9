from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from masarat.api import documentation, records, service_referrals, views
from masarat.duplicates import api as duplicates
from masarat.htcds.urls import api_urlpatterns as htcds_api
from masarat.notifications import api as notifications

urlpatterns = [
    # The schema describes the API only, never data: it is public.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path("docs/", documentation.api_documentation, name="api-docs"),
    path("referrals/", views.ReferralListCreateView.as_view(), name="api-referral-list"),
    path("referrals/<str:reference>/", views.ReferralDetailView.as_view(), name="api-referral-detail"),
    path("cases/", views.CaseListView.as_view(), name="api-case-list"),
    path("cases/<str:reference>/", views.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<str:reference>/duplicates/", duplicates.CaseDuplicatesView.as_view(), name="api-case-duplicates"),
    path("cases/<str:reference>/duplicates/check/", duplicates.CaseDuplicateCheckView.as_view(),
         name="api-case-duplicate-check"),
    path("cases/<str:reference>/duplicates/link/", duplicates.CaseDuplicateLinkView.as_view(),
         name="api-case-duplicate-link"),
    path("cases/<str:reference>/duplicates/not-same/", duplicates.CaseDuplicateNotSameView.as_view(),
         name="api-case-duplicate-not-same"),
    path("cases/<str:reference>/duplicates/links/<int:link_id>/unlink/", duplicates.CaseDuplicateUnlinkView.as_view(),
         name="api-case-duplicate-unlink"),
    path("cases/<str:reference>/decisions/", views.DecisionCreateView.as_view(), name="api-case-decisions"),
    path("cases/<str:reference>/decisions/<int:decision_id>/review/", views.DecisionReviewView.as_view(),
         name="api-decision-review"),
    *htcds_api,
    path("directory/services/", service_referrals.ServiceListView.as_view(), name="api-service-list"),
    path("directory/services/<int:pk>/capacity/", service_referrals.ServiceCapacityView.as_view(),
         name="api-service-capacity"),
    path("service-referrals/", service_referrals.ServiceReferralListView.as_view(), name="api-service-referral-list"),
    path("service-referrals/<int:pk>/", service_referrals.ServiceReferralDetailView.as_view(),
         name="api-service-referral-detail"),
    path("service-referrals/<int:pk>/accept/", service_referrals.ServiceReferralAcceptView.as_view(),
         name="api-service-referral-accept"),
    path("service-referrals/<int:pk>/decline/", service_referrals.ServiceReferralDeclineView.as_view(),
         name="api-service-referral-decline"),
    path("service-referrals/<int:pk>/delivery/", service_referrals.ServiceReferralDeliveryView.as_view(),
         name="api-service-referral-delivery"),
    path("cases/<str:reference>/records/<slug:kind>/", records.CaseRecordsView.as_view(), name="api-case-records"),
    path("cases/<str:reference>/documents/", records.CaseDocumentsView.as_view(), name="api-case-documents"),
    path("cases/<str:reference>/documents/<int:document_id>/", records.CaseDocumentView.as_view(),
         name="api-case-document"),
    path("notifications/", notifications.NotificationListView.as_view(), name="api-notification-list"),
    path("notifications/read/", notifications.NotificationReadView.as_view(), name="api-notification-read"),
    path("statistics/offenders/", records.OffenderStatisticsView.as_view(), name="api-offender-statistics"),
]
