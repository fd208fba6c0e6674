"""Check digits of resident IDs (GB 11643) and USCCs (GB 32100), phones, and masking."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.masking import mask_id_number, mask_identity, mask_phone
from portal.accounts.models import Applicant
from portal.accounts.validators import (
    USCC_CHARSET,
    is_valid_resident_id,
    is_valid_uscc,
    validate_mobile,
)
from tests.factories import ids


def test_published_examples_are_valid():
    assert is_valid_resident_id("11010519491231002X")  # the standard's own example
    assert is_valid_resident_id("11010519491231002x")  # lower-case x accepted
    assert is_valid_uscc("91350100M000100Y43")


@pytest.mark.parametrize("value", [
    "110105194912310021",   # wrong check digit
    "11010519491331002X",   # month 13
    "11010519490230002X",   # 30 February
    "01010519491231002X",   # region cannot start with 0
    "1101051949123100",     # too short
    "", "abcdefghijklmnopqr",
])
def test_invalid_resident_ids_are_refused(value):
    assert not is_valid_resident_id(value)


def test_future_birth_date_is_refused():
    body = "11010520991231002"
    from portal.accounts.validators import resident_id_check_char

    assert not is_valid_resident_id(body + resident_id_check_char(body))


@pytest.mark.parametrize("value", [
    "91350100M000100Y44",   # wrong check character
    "91350100M000100YI3",   # I is not in the charset
    "9135010OM000100Y43",   # O is not in the charset
    "91350100M000100Y4", "",
])
def test_invalid_usccs_are_refused(value):
    assert not is_valid_uscc(value)


@given(st.randoms(use_true_random=False))
def test_generated_ids_are_valid_and_any_other_check_char_is_not(rnd):
    rng = random.Random(rnd.random())
    rid, code = ids.resident_id(rng), ids.uscc(rng)
    assert is_valid_resident_id(rid) and is_valid_uscc(code)
    for c in "0123456789X":
        if c != rid[-1]:
            assert not is_valid_resident_id(rid[:-1] + c)
    for c in USCC_CHARSET:
        if c != code[-1]:
            assert not is_valid_uscc(code[:-1] + c)


@pytest.mark.parametrize("value", ["13800138000", "0359-2021234", "03592021234", "19912345678"])
def test_phone_numbers_accepted(value):
    validate_mobile(value)


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "phone", "0359-12"])
def test_bad_phone_numbers_refused_in_chinese(value):
    with pytest.raises(ValidationError) as refused:
        validate_mobile(value)
    assert "电话号码格式不正确" in str(refused.value)


def test_masking():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("0359-2021234") == "0359-*****34"
    assert mask_identity("organisation", "91350100M000100Y43") == "91350100M000100Y43"
    assert mask_identity("person", "11010519491231002X").count("*") == 10


def test_applicant_clean_validates_identity_by_kind():
    person = Applicant(kind="person", name="张三", id_number="91350100M000100Y43",
                       phone="13800138000")
    with pytest.raises(ValidationError):
        person.clean()
    org = Applicant(kind="organisation", name="某公司", id_number="91350100M000100Y43",
                    phone="13800138000")
    org.clean()
