from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from masarat.access import policy


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated or getattr(request, "mfa_pending", False):
        return {}  # no menu before the second step of sign-in
    return {
        "nav": {
            "refer": policy.can_refer(user),
            "screen": policy.can_screen(user),
            "queue": policy.case_file_filter(user) is not None,
            "hearings": policy.case_file_filter(user) is not None or policy.is_justice(user),
            "audit": policy.can_browse_audit(user),
            "statistics": policy.can_view_aggregates(user),
            # By role only (no query on every page); the users of another responsible agency open
            # /action-plan/ from its address (see README).
            "action_plan": policy.can_view_aggregates(user),
            "admin": policy.can_administer(user),
            "directory": policy.can_search_directory(user),
            "service_referrals": policy.case_file_filter(user) is not None,
            "provider_inbox": policy.service_referral_filter(user) is not None,
            "transfers": policy.case_transfer_filter(user) is not None,
            "abroad": policy.can_receive_packages(user),
            "imports": policy.can_import_cases(user),
        }
    }
