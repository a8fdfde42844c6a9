from tests.pathways.conftest import (  # noqa: F401  (fixtures shared with the pathway tests)
    consented_case,
    emergency_referral,
    presumed_case,
    rabat_shelter,
    tanger_shelter,
)
