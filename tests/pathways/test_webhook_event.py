"""A provider's answer to a service referral is announced to webhook subscribers (reference only)."""

from __future__ import annotations

from masarat.pathways import services
from masarat.webhooks.models import Delivery, Subscription


def test_accepting_queues_the_event(emergency_referral, rabat_shelter, bob, service_provider):
    Subscription.objects.create(name="Hotline", url="https://hotline.example/hook", secret="s" * 40,
                                events=["service_referral.answered"])
    sent = services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob)
    assert not Delivery.objects.exists()  # sending is not an answer
    services.referral_accept(referral=sent, by=service_provider)
    delivery = Delivery.objects.get()
    assert delivery.event == "service_referral.answered" and delivery.case_reference == sent.case.reference
