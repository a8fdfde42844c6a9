from django.test import RequestFactory

from masarat.audit.middleware import client_address


def request_from(remote: str, forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.MASARAT_TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("10.0.0.1", "6.6.6.6")) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_saw_is_kept(settings):
    settings.MASARAT_TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.1", "6.6.6.6, 41.250.1.2")) == "41.250.1.2"


def test_a_short_or_forged_header_falls_back_to_the_connection(settings):
    settings.MASARAT_TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("10.0.0.1", "41.250.1.2")) == "10.0.0.1"
    settings.MASARAT_TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.1", "not-an-address")) == "10.0.0.1"
