"""The rate limiter's view of a client: a keyed hash of an address it may believe."""

import pytest

from services.supervision.clients import client_address, client_key, parse_networks

LOOPBACK = parse_networks("127.0.0.1, ::1")


class TestClientAddress:
    def test_the_peer_without_a_proxy(self):
        assert client_address("203.0.113.9", None, LOOPBACK) == "203.0.113.9"

    def test_the_last_forwarded_entry_behind_a_trusted_proxy(self):
        assert client_address("127.0.0.1", "10.0.0.1, 198.51.100.7", LOOPBACK) == "198.51.100.7"

    @pytest.mark.parametrize("peer", ["203.0.113.9", "not-an-address", None])
    def test_a_forged_header_from_an_untrusted_peer_is_ignored(self, peer):
        assert client_address(peer, "198.51.100.7", LOOPBACK) == (peer or "")

    def test_networks_parse_addresses_and_ranges(self):
        assert [str(n) for n in parse_networks(" 10.0.0.0/8 , ::1,")] == ["10.0.0.0/8", "::1/128"]


class TestClientKey:
    def test_a_keyed_hash_not_the_address(self):
        key = b"k" * 32

        hashed = client_key("198.51.100.7", key)

        assert len(hashed) == 32 and "198" not in hashed
        assert hashed == client_key("198.51.100.7", key)
        assert hashed != client_key("198.51.100.8", key)
        assert hashed != client_key("198.51.100.7", b"other key")
