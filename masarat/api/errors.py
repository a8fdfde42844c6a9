"""API errors as JSON, with the same messages (and language) as the web interface.

- 400: the field errors of a referral (``non_field_errors`` for the whole form), or of a request body;
- 401: no credentials, or an unknown or revoked token;
- 403: an action refused on something the user can reach (``policy.require``): refer a person
  without a referring role, decide on a case one may only read;
- 404: an object outside the user's scope, which looks exactly like one that does not exist
  (the selectors and ``policy.get_case_or_404`` raise ``Http404``);
- 409: a change refused by the lifecycle or the rules of the mechanism, or made on a stale version.
"""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from masarat.cases.lifecycle import IllegalTransition
from masarat.cases.services import CaseChanged, DecisionRefused
from masarat.consent.services import ConsentMissing, ConsentRefused
from masarat.directory.services import CapacityRefused
from masarat.pathways.services import PathwayRefused, ReferralChanged
from masarat.referrals.validation import ReferralErrors


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ReferralErrors):
        set_rollback()
        errors = {api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name: messages
                  for name, messages in exc.errors.items()}
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, CaseChanged | IllegalTransition | DecisionRefused | PathwayRefused | ReferralChanged
                  | ConsentMissing | ConsentRefused | CapacityRefused):
        set_rollback()
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    # Django's Http404 becomes 404 and PermissionDenied 403, with DRF's translated messages.
    return drf_exception_handler(exc, context)
