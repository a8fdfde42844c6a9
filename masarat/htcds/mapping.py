"""How Masarat's fields and values map onto HTCDS 2.0 (Human Trafficking Case Data Standard, IOM).

The mapping is data: the field names, the value lists in both directions, and what the standard
cannot carry (kept in the ``masarat`` extension block, read back only by Masarat). A document
is one case, grouped by the tables of the standard: Organisation (``org_``), Person (``prs_``),
Person Victim Context (``vic_``), Historic Trafficking Events (``hte_``) and Case (``cas_``).
"""

from __future__ import annotations

from masarat.cases.lifecycle import Status
from masarat.cases.vocabulary import ExploitationForm, PlaceRole
from masarat.organisations.models import AgencyKind
from masarat.people.vocabulary import Sex
from masarat.referrals.vocabulary import Indicator

VERSION = "2.0"
FORMAT = "HTCDS"
EXTENSION = "masarat"

# Sections of a document: the tables of the standard.
ORGANISATION = "Organisation"
PERSON = "Person"
VICTIM = "PersonVictimContext"
EVENTS = "HistoricTraffickingEvents"
CASE = "Case"

# prs_Gender
GENDER_OUT: dict[str, str] = {
    Sex.MALE: "Male", Sex.FEMALE: "Female", Sex.OTHER: "NonConforming", Sex.UNKNOWN: "Unknown",
}
GENDER_IN: dict[str, str] = {
    "Male": Sex.MALE, "Female": Sex.FEMALE, "Transgender": Sex.OTHER, "NonConforming": Sex.OTHER,
    "Transgender/NonConforming": Sex.OTHER, "Unknown": Sex.UNKNOWN,
}

# vic_TypeOfExploitation: Masarat keeps the standard's value names.
EXPLOITATION = {form.value for form in ExploitationForm}

# vic_MethodsOfControl <-> the indicators of a referral that are methods of control.
CONTROL_OUT: dict[str, str] = {
    Indicator.DECEPTION: "FalsePromises",
    Indicator.DOCUMENTS_WITHHELD: "WithholdsDocuments",
    Indicator.DEBT_BONDAGE: "DebtBondage",
    Indicator.WAGES_WITHHELD: "TakesEarnings",
    Indicator.MOVEMENT_RESTRICTED: "RestrictsMovement",
    Indicator.VIOLENCE: "PhysicalAbuse",
    Indicator.THREATS: "Threats",
    Indicator.EXCESSIVE_HOURS: "ExcessiveWorkingHours",
}
CONTROL_IN: dict[str, str] = {
    **{value: key for key, value in CONTROL_OUT.items()},
    "SexualAbuse": Indicator.VIOLENCE,
}
# Values of the standard with no counterpart in a referral: accepted, and reported as not kept.
CONTROL_NOT_KEPT = frozenset({
    "RestrictsFinancialAccess", "PsychologicalAbuse", "PsychoactiveSubstances", "RestrictsMedicalCare",
    "UsesChildren", "ThreatOfLawEnforcement", "WithholdsNecessities", "Other",
})

# hte_Type
EVENT_TYPE_OUT: dict[str, str] = {
    PlaceRole.RECRUITMENT: "Recruitment", PlaceRole.TRANSIT: "Transit", PlaceRole.EXPLOITATION: "Exploitation",
}
EVENT_TYPE_IN: dict[str, str] = {value: key for key, value in EVENT_TYPE_OUT.items()}

# vic_TraffickingStatus: the sender's identification decision, from the case status.
TRAFFICKING_STATUS: dict[str, str] = {
    Status.IDENTIFIED: "Actual",
    Status.NOT_PRESUMED: "NotAVictim",
    Status.NOT_IDENTIFIED: "NotAVictim",
}
TRAFFICKING_STATUS_DEFAULT = "Possible"
TRAFFICKING_STATUS_VALUES = frozenset({"Possible", "Actual", "NotAVictim"})

# cas_Status
CASE_STATUS_CLOSED = "Closed"
CASE_STATUS_OPEN = "Active"
CASE_STATUS_VALUES = frozenset({"Active", "FollowUp", "Closed", "ClosedReferred"})

# org_Type
ORGANISATION_TYPE: dict[str, str] = {
    AgencyKind.POLICE: "LawEnforcement",
    AgencyKind.GENDARMERIE: "LawEnforcement",
    AgencyKind.PROSECUTION: "LegalService",
    AgencyKind.LABOUR_INSPECTION: "CentralGovernmentOrganisation",
    AgencyKind.HEALTH: "HealthServiceOrganisation",
    AgencyKind.SOCIAL_SERVICES: "LocalGovernmentOrganisation",
    AgencyKind.NGO: "NGO",
    AgencyKind.CONSULATE: "CentralGovernmentOrganisation",
    AgencyKind.INTERNATIONAL_ORGANISATION: "NGO",
    AgencyKind.SHELTER: "NGO",
    AgencyKind.NATIONAL_COMMISSION: "CentralGovernmentOrganisation",
}

# Fields that describe the sender's process (who referred, when, what was decided): an imported
# case is a new referral of the receiving agency, so these are not carried over by an import.
PROCESS_FIELDS: dict[str, frozenset[str]] = {
    ORGANISATION: frozenset({"org_Name", "org_Type", "org_ShippingCountry"}),
    VICTIM: frozenset({"vic_TraffickingStatus"}),
    CASE: frozenset({"cas_Status", "cas_ReferringOrganisation", "cas_IncomingReferralDate",
                     "cas_OutgoingReferralDate"}),
    EXTENSION: frozenset({"reference"}),
}

# What the standard cannot carry, kept in the extension block: names of the referral form.
EXTENSION_TEXT = ("given_name_arabic", "family_name_arabic", "region", "consent", "consent_informed_by",
                  "consent_language", "encountered_on")
EXTENSION_LISTS = ("languages", "indicators", "urgent_needs")

LIMIT_BYTES = 1_000_000
