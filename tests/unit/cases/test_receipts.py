"""Receipts: 16 random digits, normalized input, a deterministic slow keyed digest."""

import pytest

from shared.application.cases.receipts import ReceiptHasher, new_receipt, normalized
from shared.keys import InMemoryKeyStore

FAST = 2**8  # the cost parameter does not change the properties tested here


class TestReceipts:
    def test_a_receipt_is_sixteen_digits(self):
        receipts = {new_receipt() for _ in range(200)}

        assert all(len(r) == 16 and r.isdigit() for r in receipts)
        assert len(receipts) == 200

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1234567890123456", "1234567890123456"),
            ("1234 5678 9012 3456", "1234567890123456"),
            ("1234-5678-9012-3456", "1234567890123456"),
            ("123456789012345", None),
            ("12345678901234567", None),
            ("12345678901234ab", None),
            ("１２３４５６７８９０１２３４５６", None),  # full-width digits are not ASCII
            ("", None),
        ],
    )
    def test_normalized_accepts_groups_and_refuses_anything_else(self, text, expected):
        assert normalized(text) == expected


class TestReceiptHasher:
    def test_the_digest_is_the_lookup_key_deterministic_under_one_pepper(self):
        keys = InMemoryKeyStore()
        one, two = ReceiptHasher.from_keys(keys, n=FAST), ReceiptHasher.from_keys(keys, n=FAST)

        assert one.digest("1234567890123456") == two.digest("1234567890123456")
        assert one.digest("1234567890123456") != one.digest("1234567890123457")

    def test_another_pepper_gives_another_digest(self):
        one = ReceiptHasher.from_keys(InMemoryKeyStore(), n=FAST)
        two = ReceiptHasher.from_keys(InMemoryKeyStore(), n=FAST)

        assert one.digest("1234567890123456") != two.digest("1234567890123456")

    def test_the_digest_does_not_contain_the_receipt(self):
        digest = ReceiptHasher(b"p" * 32, n=FAST).digest("1234567890123456")

        assert digest.startswith("scrypt1$")
        assert "1234567890123456" not in digest
