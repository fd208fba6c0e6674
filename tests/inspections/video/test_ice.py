"""ICE servers handed to the browser: the configured list, and coturn with time-limited
credentials coturn itself would accept (TURN REST API: HMAC-SHA1 of "expiry:user")."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from inspections.video.ice import ice_servers, turn_credentials


def test_no_configuration_means_no_servers(settings):
    settings.ONESEAL_ICE_SERVERS, settings.ONESEAL_TURN_URLS = [], []
    assert ice_servers(7) == []


def test_static_servers_are_passed_through(settings):
    settings.ONESEAL_ICE_SERVERS = [{"urls": "stun:stun.example.gov.cn:3478"}]
    settings.ONESEAL_TURN_URLS = []
    assert ice_servers(7) == [{"urls": "stun:stun.example.gov.cn:3478"}]


def test_turn_credentials_expire_and_verify_with_the_shared_secret(settings):
    settings.ONESEAL_ICE_SERVERS = []
    settings.ONESEAL_TURN_URLS = ["turn:turn.example.gov.cn:3478?transport=udp"]
    settings.ONESEAL_TURN_SECRET = "s3cret"
    settings.ONESEAL_TURN_CREDENTIAL_SECONDS = 3600
    [server] = ice_servers(42)
    assert server["urls"] == ["turn:turn.example.gov.cn:3478?transport=udp"]
    expiry, user = server["username"].split(":")
    assert user == "42" and 3590 <= int(expiry) - time.time() <= 3600
    expected = base64.b64encode(hmac.new(b"s3cret", server["username"].encode(),
                                         hashlib.sha1).digest()).decode()
    assert server["credential"] == expected
    assert turn_credentials(42, now=1000) == (
        "4600:42", base64.b64encode(hmac.new(b"s3cret", b"4600:42", hashlib.sha1).digest())
        .decode())


def test_turn_without_secret_is_not_offered(settings):
    settings.ONESEAL_ICE_SERVERS = []
    settings.ONESEAL_TURN_URLS = ["turn:turn.example.gov.cn:3478"]
    settings.ONESEAL_TURN_SECRET = ""
    assert ice_servers(1) == []
