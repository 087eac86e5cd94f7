import pytest
from hypothesis import assume, given, strategies as st

from chalicelib.domain.errors import InvalidValue
from chalicelib.domain.identifiers import (
    classify_identifier,
    legal_entity_check_digit,
    legal_entity_id_is_valid,
    mask_national_code,
    national_code_check_digit,
    national_code_is_valid,
    normalize_mobile,
    normalize_national_code,
    normalize_workshop_code,
)


def _check_digit(nine: str) -> str:
    # Independent re-statement of the published rule, so the test is not the code under test.
    r = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1))) % 11
    return str(r if r < 2 else 11 - r)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@st.composite
def valid_national_codes(draw):
    nine = draw(nine_digits)
    code = nine + _check_digit(nine)
    assume(len(set(code)) > 1)
    return code


# --- national code ------------------------------------------------------------

def test_known_valid_national_code():
    assert national_code_is_valid("0499370899")
    assert national_code_check_digit("049937089") == 9


@pytest.mark.parametrize("code", ["0499370898", "049937089", "04993708999", "049937089a", "", "۰۴۹۹۳۷۰۸۹۹",
                                  "0000000000", "1111111111", "3333333333"])
def test_invalid_national_codes(code):
    assert not national_code_is_valid(code)


def test_all_equal_digits_rejected_even_though_checksum_passes():
    assert _check_digit("111111111") == "1"
    assert not national_code_is_valid("1111111111")


@given(valid_national_codes())
def test_generated_codes_are_valid(code):
    assert national_code_is_valid(code)
    assert normalize_national_code(code) == code


def _change_digit(code, pos, delta):
    return code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1:]


@given(valid_national_codes(), st.integers(1, 9))
def test_changing_the_check_digit_is_rejected(code, delta):
    assert not national_code_is_valid(_change_digit(code, 9, delta))


@given(valid_national_codes(), st.integers(0, 9), st.integers(1, 9))
def test_changing_any_single_digit_is_rejected(code, pos, delta):
    # The published rule maps remainders 1 and 10 to the same check digit 1, so a one-digit
    # typo that moves the remainder between 1 and 10 is undetectable. Every other single-digit
    # change must be caught; codes whose check digit is not 1 are therefore fully protected.
    assume(code[9] != "1")
    assert not national_code_is_valid(_change_digit(code, pos, delta))


@given(valid_national_codes(), st.integers(0, 8), st.integers(1, 9))
def test_single_digit_change_only_slips_through_on_the_1_vs_10_collision(code, pos, delta):
    changed = _change_digit(code, pos, delta)
    if national_code_is_valid(changed):
        remainders = {sum(int(d) * (10 - i) for i, d in enumerate(c[:9])) % 11 for c in (code, changed)}
        assert remainders == {1, 10}


def test_checksum_collision_example_is_a_property_of_the_rule():
    # Documented so nobody "fixes" the validator: both codes satisfy the published rule.
    assert national_code_is_valid("3549682761") and national_code_is_valid("3549682751")


def test_normalize_national_code_accepts_persian_digits_and_separators():
    assert normalize_national_code("۰۴۹-۹۳۷۰۸۹۹") == "0499370899"
    assert normalize_national_code(" 049 937 0899\u200f") == "0499370899"


def test_normalize_national_code_left_pads_short_inputs():
    assert normalize_national_code("499370899") == "0499370899"
    nine = "001234567"
    code = nine + _check_digit(nine)
    assert normalize_national_code(code[2:]) == code  # 8 digits


@pytest.mark.parametrize("raw", ["0499370898", "1234567", "12345678901", "abc", "", "0000000000"])
def test_normalize_national_code_rejects(raw):
    with pytest.raises(InvalidValue) as e:
        normalize_national_code(raw)
    assert e.value.code == "invalid_national_code"
    assert e.value.status == 422


# --- legal entity -------------------------------------------------------------

def test_known_valid_legal_entity():
    assert legal_entity_id_is_valid("10380284790")
    assert legal_entity_check_digit("1038028479") == 0


@pytest.mark.parametrize("code", ["10380284791", "1038028479", "103802847900", "1038028479a"])
def test_invalid_legal_entities(code):
    assert not legal_entity_id_is_valid(code)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(1, 9))
def test_legal_entity_single_digit_change_in_check_digit_rejected(ten, delta):
    code = ten + str(legal_entity_check_digit(ten))
    assert legal_entity_id_is_valid(code)
    wrong = ten + str((int(code[10]) + delta) % 10)
    assert not legal_entity_id_is_valid(wrong)


# --- workshop and classification ---------------------------------------------

def test_normalize_workshop_code():
    assert normalize_workshop_code("۱۲۳۴۵-۶۷۸۹۰") == "1234567890"
    for bad in ["123456789", "12345678901", "12345x7890"]:
        with pytest.raises(InvalidValue) as e:
            normalize_workshop_code(bad)
        assert e.value.code == "invalid_workshop_code"


def test_classify_identifier_examples():
    assert classify_identifier("۰۴۹۹۳۷۰۸۹۹") == ("national_code", "0499370899")
    assert classify_identifier("10380284790") == ("legal_entity", "10380284790")
    assert classify_identifier("0499370898") == ("workshop", "0499370898")
    assert classify_identifier("499370899") == ("national_code", "0499370899")


@pytest.mark.parametrize("raw", ["10380284791", "123", "", "abcdefghij", "123456789012"])
def test_classify_identifier_rejects(raw):
    with pytest.raises(InvalidValue) as e:
        classify_identifier(raw)
    assert e.value.code == "invalid_identifier"


@given(valid_national_codes())
def test_classify_valid_national_codes(code):
    assert classify_identifier(code) == ("national_code", code)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_classify_any_ten_digits_is_national_or_workshop(code):
    kind, norm = classify_identifier(code)
    assert norm == code
    assert kind == ("national_code" if national_code_is_valid(code) else "workshop")


# --- mobile and masking -------------------------------------------------------

@pytest.mark.parametrize("raw", ["09121234567", "9121234567", "+989121234567", "00989121234567",
                                 "۰۹۱۲ ۱۲۳ ۴۵۶۷", "0912-123-4567", "+98 912 123 4567", "989121234567",
                                 "+98 (0) 912 123 4567"])
def test_normalize_mobile_accepts(raw):
    assert normalize_mobile(raw) == "09121234567"


@pytest.mark.parametrize("raw", ["0812123456", "0912123456", "091212345678", "02188776655", "+18005551234",
                                 "", "mobile", "+9809121234567x"])
def test_normalize_mobile_rejects(raw):
    with pytest.raises(InvalidValue) as e:
        normalize_mobile(raw)
    assert e.value.code == "invalid_mobile"


def test_mask_national_code():
    assert mask_national_code("0499370899") == "049****899"
    assert mask_national_code("۰۴۹۹۳۷۰۸۹۹") == "049****899"


@given(valid_national_codes())
def test_mask_keeps_only_first_and_last_three(code):
    masked = mask_national_code(code)
    assert len(masked) == 10 and masked[:3] == code[:3] and masked[-3:] == code[-3:]
    assert masked[3:7] == "****"
