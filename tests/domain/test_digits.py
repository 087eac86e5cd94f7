from hypothesis import given, strategies as st

from chalicelib.domain.digits import normalize_code, to_ascii_digits, to_persian_digits

ascii_digit_strings = st.text(alphabet="0123456789", max_size=30)


def test_persian_and_arabic_digits_become_ascii():
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_ascii_digits("کد ۱۲3") == "کد 123"


def test_to_persian_digits_accepts_int_and_str():
    assert to_persian_digits(1403) == "۱۴۰۳"
    assert to_persian_digits("1403/05/30") == "۱۴۰۳/۰۵/۳۰"


def test_normalize_code_strips_separators_and_invisible_marks():
    raw = "\u200f۰۴۹\u00a0۹۳۷-۰۸\u200c۹۹\u200e"
    assert normalize_code(raw) == "0499370899"
    assert normalize_code(" 049\u20129370\u2015899 \t") == "0499370899"
    assert normalize_code("049\u2212937\u0640\u06400899") == "0499370899"
    assert normalize_code("049\u2010937\u2011\u2013\u20140899") == "0499370899"


def test_normalize_code_does_not_validate():
    assert normalize_code("ab-12") == "ab12"
    assert normalize_code("") == ""


@given(ascii_digit_strings)
def test_persian_round_trip(s):
    persian = to_persian_digits(s)
    assert not any(ch in "0123456789" for ch in persian)
    assert to_ascii_digits(persian) == s


@given(st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩ -\u00a0\u200c\u200e\u200f\u2013\u2212\u0640abc+"))
def test_normalize_code_is_idempotent(s):
    once = normalize_code(s)
    assert normalize_code(once) == once
    assert not any(ch in once for ch in " -\u00a0\u200c\u200e\u200f\u2013\u2212\u0640")


@given(ascii_digit_strings, st.lists(st.sampled_from([" ", "-", "\u00a0", "\u200c", "\u200f", "\u2014"])))
def test_normalize_code_recovers_digits_from_noisy_persian(s, noise):
    noisy = "".join(noise) + to_persian_digits(s) + "".join(noise)
    assert normalize_code(noisy) == s
