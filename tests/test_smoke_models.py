from masarat.cases.lifecycle import Status


def test_a_referral_creates_a_case_awaiting_acknowledgement(alice_case):
    assert alice_case.status == Status.REFERRED
    assert alice_case.reference.startswith("MNR-")
    assert alice_case.person.latin_name == "Aminata Diallo"
    assert alice_case.due_on is not None
