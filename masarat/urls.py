from django.contrib import admin
from django.urls import include, path

from masarat.web.admin_site import restrict_admin_to_administrators

restrict_admin_to_administrators(admin.site)

urlpatterns = [
    # First: the API's clients send the most requests, and every pattern tried before costs each of them.
    path("api/v1/", include("masarat.api.urls")),
    path("", include("masarat.web.urls")),
    path("", include("masarat.referrals.urls")),
    path("", include("masarat.cases.urls")),
    path("", include("masarat.proceedings.urls")),
    path("", include("masarat.documents.urls")),
    path("", include("masarat.screening.urls")),
    path("statistics/", include("masarat.statistics.urls")),
    path("action-plan/", include("masarat.actionplan.urls")),
    path("", include("masarat.directory.urls")),
    path("", include("masarat.consent.urls")),
    path("", include("masarat.pathways.urls")),
    path("", include("masarat.rights.urls")),
    path("", include("masarat.rectification.urls")),
    path("", include("masarat.duplicates.urls")),
    path("", include("masarat.htcds.urls")),
    path("", include("masarat.transnational.urls")),
    path("", include("masarat.imports.urls")),
    path("", include("masarat.notifications.urls")),
    path("audit/", include("masarat.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("masarat.operations.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "masarat.web.views.not_found"
handler403 = "masarat.web.views.forbidden"
