"""The sections of the case page kept by other apps: case management, proceedings, documents."""

from __future__ import annotations

from typing import Any

from masarat.access import policy
from masarat.accounts.models import User
from masarat.care.selectors import care_file
from masarat.cases.models import Case
from masarat.documents.selectors import documents_of
from masarat.proceedings.selectors import proceedings_file


def case_sections(user: User, case: Case) -> dict[str, Any]:
    sections: dict[str, Any] = {
        "closures": list(case.closures.select_related("closed_by", "reopened_by")),
        "can_manage": policy.can_manage_case(user, case),
    }
    if sections["can_manage"]:
        sections["care"] = care_file(case)
        sections["documents"] = list(documents_of(case))
    if policy.can_follow_proceedings(user, case):
        sections["proceedings"] = proceedings_file(viewer=user, case=case)
    return sections
