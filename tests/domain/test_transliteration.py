"""Persian names in Latin letters on English statements (chalicelib/domain/transliteration.py)."""
import random
import re

import pytest

from chalicelib.domain.transliteration import NAMES, PERSIAN_ALPHABET, WORDS, ZWNJ, latin_digits, transliterate

PERSIAN = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u200c]")


@pytest.mark.parametrize("persian, latin", [
    ("مریم رضایی", "Maryam Rezaei"),
    ("علی", "Ali"),
    ("محمدرضا", "Mohammadreza"),
    ("شرکت صنایع غذایی البرز", "Sherkat Sanaye Ghazaei Alborz"),
    ("حمل و نقل", "Haml va Naghl"),
    ("بین‌المللی", "Beynolmelali"),
    ("پی‌ریزان", "Pirizan"),
    ("زنجیره‌ای", "Zanjirei"),
])
def test_the_examples_of_the_brief(persian, latin):
    assert transliterate(persian) == latin


@pytest.mark.parametrize("persian, latin", [
    ("شرکت صنایع غذایی البرز", "Sherkat Sanaye Ghazaei Alborz"),
    ("فروشگاه زنجیره‌ای آفتاب", "Foroushgah Zanjirei Aftab"),
    ("شرکت مهندسین مشاور طرح و ساخت پی‌ریزان", "Sherkat Mohandesin Moshaver Tarh va Sakht Pirizan"),
    ("کارخانه نساجی کاشان", "Karkhaneh Nassaji Kashan"),
    ("شرکت حمل و نقل بین‌المللی پارس", "Sherkat Haml va Naghl Beynolmelali Pars"),
    ("آموزشگاه زبان سپهر", "Amouzeshgah Zaban Sepehr"),
    ("موسسه آموزشی دانش", "Moasseseh Amouzeshi Danesh"),
    ("کارخانه صنایع غذایی البرز", "Karkhaneh Sanaye Ghazaei Alborz"),
    ("شرکت فولاد مبارکه", "Sherkat Foulad Mobarakeh"),
    ("شرکت نمونه البرز", "Sherkat Nemouneh Alborz"),
    ("شرکت مهندسی پارس", "Sherkat Mohandesi Pars"),
    ("شرکت ساختمانی پارس", "Sherkat Sakhtemani Pars"),
    ("کارگاه نساجی یزد", "Kargah Nassaji Yazd"),
    ("شرکت تعاونی تولیدی و بازرگانی", "Sherkat Taavoni Tolidi va Bazargani"),
    ("گروه صنعتی ایران خودرو", "Gorouh Sanati Iran Khodro"),
    ("شرکت پتروشیمی اصفهان (سهامی خاص)", "Sherkat Petroshimi Esfahan (Sahami Khas)"),
    ("بیمارستان خصوصی تهران", "Bimarestan Khosousi Tehran"),
    ("داروخانه دکتر کریمی", "Daroukhaneh Doktor Karimi"),
    ("شرکت نرم‌افزار و فناوری اطلاعات رایانه", "Sherkat Narmafzar va Fanavari Etelaat Rayaneh"),
    ("شرکت خدمات فنی و مهندسی برق و گاز", "Sherkat Khadamat Fanni va Mohandesi Bargh va Gaz"),
    ("کارگاه، شماره ۲", "Kargah, Shomareh 2"),
])
def test_workshop_names(persian, latin):
    assert transliterate(persian) == latin


@pytest.mark.parametrize("persian, latin", [
    ("فاطمه", "Fatemeh"), ("حسین", "Hossein"), ("زهرا", "Zahra"), ("کریمی", "Karimi"), ("احمدی", "Ahmadi"),
    ("حسینی", "Hosseini"), ("محمدی", "Mohammadi"), ("مهدی", "Mehdi"), ("رضا", "Reza"), ("امیر", "Amir"),
    ("سارا", "Sara"), ("نرگس", "Narges"), ("اکبری", "Akbari"), ("رحیمی", "Rahimi"), ("موسوی", "Mousavi"),
    ("جعفری", "Jafari"), ("کاظمی", "Kazemi"), ("صادقی", "Sadeghi"), ("قاسمی", "Ghasemi"), ("هاشمی", "Hashemi"),
    ("نوری", "Nouri"), ("کامرانی", "Kamrani"), ("رضا کریمی", "Reza Karimi"), ("علی رضایی", "Ali Rezaei"),
    ("ژیلا گلپایگانی", "Zhila Golpayegani"), ("پژمان ذوالفقاری", "Pezhman Zolfaghari"),
    ("غلامرضا محمدی‌نیا", "Gholamreza Mohammadinia"), ("آزاده امیری‌فر", "Azadeh Amirifar"),
    ("سعید حق‌شناس", "Saeid Haghshenas"), ("ابوالفضل یزدانی", "Abolfazl Yazdani"), ("معصومه چگینی", "Masoumeh Chegini"),
    ("سید محمد هاشمی", "Seyyed Mohammad Hashemi"), ("مصطفی ثابتی", "Mostafa Sabeti"), ("الهام خسروی", "Elham Khosravi"),
])
def test_given_names_and_surnames(persian, latin):
    assert transliterate(persian) == latin


@pytest.mark.parametrize("persian, latin", [
    # known words and suffixes, written with or without ZWNJ
    ("علیرضا", "Alireza"), ("امیرحسین", "Amirhossein"), ("محمدعلی", "Mohammadali"), ("غلامحسین", "Gholamhossein"),
    ("حسین‌زاده", "Hosseinzadeh"), ("حسینزاده", "Hosseinzadeh"), ("محمدینیا", "Mohammadinia"),
    ("جعفرزاده", "Jafarzadeh"), ("احمدی‌نژاد", "Ahmadinejad"), ("کریمیان", "Karimian"), ("فرهادیان", "Farhadian"),
    ("ایرانی", "Irani"), ("ایرانیان", "Iranian"), ("سپهری", "Sepehri"), ("تهرانپارس", "Tehranpars"),
    ("اسلامشهر", "Eslamshahr"), ("حسن‌آباد", "Hassanabad"), ("پیمانکار", "Peymankar"), ("انباردار", "Anbardar"),
    ("شرکت‌ها", "Sherkatha"), ("شیشه‌ای", "Shishei"),
    # the Arabic article inside a name
    ("عبدالحسین", "Abdolhossein"), ("عبد الحسین", "Abdolhossein"), ("ذوالفقار", "Zolfaghar"),
    ("نعمت‌الله", "Nematollah"), ("نعمتالله", "Nematollah"), ("جلال‌الدین", "Jalaloddin"),
    ("فوق‌العاده", "Fogholadeh"), ("بین المللی", "Beynolmelali"), ("بینالمللی", "Beynolmelali"),
])
def test_words_made_of_known_words(persian, latin):
    assert transliterate(persian) == latin


@pytest.mark.parametrize("persian, latin", [
    ("کاوه", "Kaveh"), ("سمیرا", "Samira"), ("نیما", "Nima"), ("بردیا", "Bardia"), ("پارسا", "Parsa"),
    ("آبان", "Aban"), ("بهار", "Bahar"), ("کیمیا", "Kimia"), ("آرمین", "Armin"), ("طاووس", "Tavous"),
    ("خواجه", "Khajeh"), ("عید", "Eid"), ("شاه", "Shah"), ("کوه", "Kouh"), ("رئیس", "Raeis"), ("صالحی", "Salehi"),
    ("صنایع", "Sanaye"), ("هاشم", "Hashem"), ("سلامت", "Salamat"), ("علوی", "Alavi"), ("زارعی", "Zarei"),
])
def test_unknown_words_are_spelled_letter_by_letter(persian, latin, monkeypatch):
    # Spelled without the dictionaries, so these check the letter rule itself.
    from chalicelib.domain import transliteration

    monkeypatch.setattr(transliteration, "LOOKUP", {})
    monkeypatch.setattr(transliteration, "_STEMS", frozenset())
    transliteration._word.cache_clear()
    try:
        assert transliteration.transliterate(persian) == latin
    finally:
        transliteration._word.cache_clear()


def _random_words(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = []
    for _ in range(count):
        word = "".join(rng.choice(PERSIAN_ALPHABET) for _ in range(rng.randint(1, 12)))
        if len(word) > 2 and rng.random() < 0.25:  # some words of two parts joined by ZWNJ
            cut = rng.randint(1, len(word) - 1)
            word = word[:cut] + ZWNJ + word[cut:]
        words.append(word)
    return words


def test_any_word_becomes_one_capitalised_word_of_ascii_letters():
    for word in _random_words(3000, seed=1403):
        latin = transliterate(word)
        assert re.fullmatch("[A-Z][a-z]*", latin), (word, latin)


def test_a_sentence_of_random_words_keeps_its_words_apart_and_leaves_no_persian():
    words = _random_words(200, seed=7)
    latin = transliterate(" ".join(words))
    assert len(latin.split(" ")) == len(words)
    assert latin.isascii() and not PERSIAN.search(latin)
    assert all(part[:1].isupper() or part in ("va", "ba", "dar", "az", "be", "baraye", "ya") for part in latin.split())


def test_digits():
    assert latin_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert latin_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert latin_digits("۱۴۰۳/05/٣٠ کارگاه") == "1403/05/30 کارگاه"
    assert transliterate("کارگاه ۱۲") == "Kargah 12"
    assert transliterate("۱۲۳۴") == "1234"
    assert transliterate("شرکت ۱۲۳ پارس") == "Sherkat 123 Pars"


def test_zwnj_joins_the_parts_of_one_word():
    assert transliterate("پی‌ریزان") == "Pirizan"
    assert transliterate("زنجیره‌ای") == transliterate("زنجیرهای") == "Zanjirei"
    assert transliterate("بین‌المللی") == transliterate("بینالمللی") == "Beynolmelali"
    assert transliterate("محمدی‌نیا") == transliterate("محمدی\u200c\u200cنیا") == "Mohammadinia"
    # at the edge of a word, or typed as a zero-width space, it is still no letter
    assert transliterate("\u200cشرکت\u200c پارس") == "Sherkat Pars"
    assert transliterate("شرکت\u200bها") == "Sherkatha"


def test_arabic_letter_variants_and_marks_are_the_persian_letters():
    assert transliterate("علي") == "Ali"
    assert transliterate("كريمي") == "Karimi"
    assert transliterate("موسسة") == transliterate("مؤسسه") == transliterate("موسسهٔ") == "Moasseseh"
    assert transliterate("تأمین اجتماعی") == "Tamin Ejtemaei"
    assert transliterate("إيران") == "Iran"
    assert transliterate("فـاطـمـه") == "Fatemeh"  # tatweel
    assert transliterate("مُحَمَّد") == "Mohammad"  # diacritics
    assert transliterate("ﻣﺮﯾﻢ") == "Maryam"  # presentation forms, as some old PDFs and databases hold them
    assert transliterate("\u200fمریم\u200e رضایی") == "Maryam Rezaei"  # direction marks


def test_latin_text_and_punctuation_are_kept():
    assert transliterate("شرکت ABC پارس") == "Sherkat ABC Pars"
    assert transliterate("ABC-123 Ltd.") == "ABC-123 Ltd."
    assert transliterate("Café پارس") == "Café Pars"
    assert transliterate("پلاک ۱۲، تهران؛ ایران؟") == "Palak 12, Tehran; Iran?"
    assert transliterate("«پارس» ٪۵") == '"Pars" %5'
    assert transliterate("م. رضایی") == "M. Rezaei"  # an initial stays one letter


def test_conjunctions_stay_lower_case_except_first():
    assert transliterate("حمل و نقل") == "Haml va Naghl"
    assert transliterate("و پارس") == "Va Pars"
    assert transliterate("و") == "Va"


def test_empty_text():
    assert transliterate("") == ""
    assert transliterate("   ") == "   "


def test_the_dictionaries_are_sorted_disjoint_and_clean():
    order = PERSIAN_ALPHABET + "ئ"
    letters = re.compile(f"[{order}]+(?:{ZWNJ}[{order}]+)*")
    for table in (WORDS, NAMES):
        keys = list(table)
        assert keys == sorted(keys, key=lambda k: [order.index(c) for c in k if c != ZWNJ]), "keep the order"
        for key, value in table.items():
            assert letters.fullmatch(key), key
            assert re.fullmatch("[A-Za-z][a-z]*", value), (key, value)
    assert not set(WORDS) & set(NAMES)
    assert len(WORDS) >= 200 and len(NAMES) >= 300


def test_the_common_workshop_words_are_in_the_dictionary():
    common = ("شرکت کارخانه فروشگاه صنایع غذایی مهندسین مشاور طرح ساخت حمل نقل بین‌المللی آموزشگاه آموزشی زبان "
              "موسسه تولیدی بازرگانی خدمات گروه صنعتی پخش پارس ایران تهران البرز کاشان اصفهان شیراز تبریز مشهد "
              "نساجی زنجیره‌ای آفتاب سپهر دانش فنی مهندسی ساختمانی پیمانکاری بیمارستان داروخانه رستوران هتل بانک "
              "کشاورزی معدنی فولاد سیمان پتروشیمی نفت گاز برق آب خودرو قطعات الکترونیک نرم‌افزار فناوری اطلاعات "
              "رایانه سهامی خاص عام تعاونی و").split()
    assert [word for word in common if word not in WORDS] == []
