"""Reading employers' monthly lists (chalicelib/domain/lists/reader.py) written by devstack/list_samples.py."""
from __future__ import annotations

import gc
import io
import os
import random
import struct
import time
import tracemalloc
import zipfile
from dataclasses import replace

import pytest

from chalicelib.domain.lists import ListFormatError, full_year, list_date, open_list, open_list_files, reader
from chalicelib.domain.lists.model import LAYOUT_MIXED
from devstack import list_samples as ls
from devstack.list_samples import invented_people, write_list

WS = "1234567890"


@pytest.fixture(scope="module")
def people():
    return invented_people(40, seed=11, year=1403, month=5)


@pytest.fixture
def workdir(tmp_path):
    d = tmp_path / "work"
    d.mkdir()
    return str(d)


def _open(data, workdir, name="list.zip", **kw):
    if isinstance(data, dict):
        return open_list_files(data, workdir, **kw)
    return open_list(name, data, workdir, **kw)


def _expected(p: ls.SamplePerson, year=1403, month=5) -> dict:
    return dict(workshop_code=WS, year=year, month=month, list_no="1", insurance_no=p.insurance_no,
                national_code=p.national_code, first_name=p.first_name, last_name=p.last_name,
                father_name=p.father_name, birth_date=p.birth_date, id_no=p.id_no, sex=p.sex, job_title=p.job_title,
                job_code=p.job_code, start_date=p.start_date, end_date=p.end_date, days=p.days,
                daily_wage=p.daily_wage, monthly_wage=p.monthly_wage, benefits=p.benefits,
                insurable_total=p.insurable_total, grand_total=p.grand_total, employee_share=p.employee_share,
                id_place=p.id_place, nationality=p.nationality, unreadable=())


def _as_dict(row, keys):
    return {k: getattr(row, k) for k in keys}


FORMS = [("zip", {}), ("dbf", {}), ("csv", {"csv_encoding": "utf-8"}), ("csv", {"csv_encoding": "utf-8", "bom": True}),
         ("csv", {"csv_encoding": "iransystem"})]


# -- round trip -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["older", "newer"])
@pytest.mark.parametrize("form,options", FORMS, ids=["zip", "dbf", "csv-utf8", "csv-utf8-bom", "csv-iransystem"])
def test_round_trip(people, workdir, layout, form, options):
    data = write_list(people, WS, 1403, 5, layout=layout, form=form, **options)
    with _open(data, workdir, f"list.{form}") as lst:
        h = lst.header
        assert (h.workshop_code, h.year, h.month, h.list_no, h.layout) == (WS, 1403, 5, "1", layout)
        assert h.workshop_name == "شرکت نمونه البرز" and h.employer_name == "مریم رضایی"
        assert h.address == "تهران خیابان آزادی پلاک ۱۲"
        assert h.form == ("csv" if form == "csv" else "dbf") and h.format_notes == ()
        assert h.workers == len(people) and h.total_days == sum(p.days for p in people)
        assert h.total_insurable == sum(p.insurable_total for p in people)
        assert h.total_employee_share == sum(p.employee_share for p in people) and h.rate == 23
        for _ in range(2):  # the ingestion reads twice: check, then write
            rows = list(lst.rows())
            assert [r.row for r in rows] == list(range(1, len(people) + 1))
            for row, p in zip(rows, people):
                want = _expected(p)
                assert _as_dict(row, want) == want


def test_persian_text_comes_back_in_logical_order(workdir):
    base = invented_people(4, seed=1)
    names = [("محمدی‌نیا", "علی"), ("مولایی", "آزاده"), ("امیری‌فر", "ژیلا"), ("گلپایگانی", "پژمان")]
    people = [replace(p, last_name=last, first_name=first) for p, (last, first) in zip(base, names)]
    files = write_list(people, WS, 1403, 1, form="dbf")
    raw = files["DSKWOR00.DBF"]
    assert "محمدی‌نیا".encode("iransystem") in raw  # stored in Iran System, visual order
    assert "محمدی‌نیا".encode("iransystem") != bytes(reversed("محمدی‌نیا".encode("iransystem")))
    with open_list_files(files, workdir) as lst:
        got = [(r.last_name, r.first_name) for r in lst.rows()]
    assert got == names
    assert got[0][0][0] == "م" and "\u200c" in got[0][0]


def test_dbfread_reads_the_written_files_as_the_notes_say(people, tmp_path):
    from dbfread import DBF

    files = write_list(people[:3], WS, 1403, 5, layout="newer", form="dbf")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    kar = list(DBF(str(tmp_path / "DSKKAR00.DBF"), encoding="iransystem"))
    wor = list(DBF(str(tmp_path / "DSKWOR00.DBF"), encoding="iransystem"))
    assert kar[0]["DSK_YY"] == 3 and kar[0]["DSK_NAME"] == "شرکت نمونه البرز" and kar[0]["DSK_NUM"] == 3
    assert [r["DSW_LNAME"] for r in wor] == [p.last_name for p in people[:3]]
    assert [r["DSW_DD"] for r in wor] == [p.days for p in people[:3]]


def test_dbf_bytes_follow_the_field_table(people):
    files = write_list(people[:2], WS, 1402, 5, form="dbf")
    kar, wor = files["DSKKAR00.DBF"], files["DSKWOR00.DBF"]
    assert kar[0] == 0x03 and wor[0] == 0x03  # dBase III
    assert kar[29] == 0x7E and wor[29] == 0x00  # the code-page bytes of the real files (both wrong)
    numrecords, headerlen, recordlen = struct.unpack_from("<LHH", wor, 4)
    assert numrecords == 2 and headerlen == 32 + 32 * len(ls.WOR_FIELDS) + 1
    fields = []
    for i in range(len(ls.WOR_FIELDS)):
        d = wor[32 + 32 * i: 64 + 32 * i]
        fields.append((d[:11].rstrip(b"\0").decode(), chr(d[11]), d[16]))
        assert d[17] == 0  # no decimals
    assert tuple(fields) == ls.WOR_FIELDS and wor[headerlen - 1] == 0x0D
    assert recordlen == 1 + sum(w for *_, w in ls.WOR_FIELDS) and len(wor) == headerlen + 2 * recordlen + 1
    assert wor[-1] == 0x1A
    record = wor[headerlen: headerlen + recordlen]
    assert record[:11] == b" " + WS.encode()
    assert record[11:13] == b" 2"  # DSW_YY: 1402 stored as " 2", right-aligned
    assert record[13:15] == b" 5"
    assert record[15:27] == b"1           "  # list number: a digit code, left-aligned


def test_zip_names_in_any_case_inside_a_folder_with_junk(people, workdir):
    files = write_list(people[:5], WS, 1403, 5, form="dbf")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("__MACOSX/list/._dskkar00.dbf", b"junk")
        zf.writestr("list/readme.txt", b"hello")
        zf.writestr("list/dskkar00.dbf", files["DSKKAR00.DBF"])
        zf.writestr("list/DskWor00.Dbf", files["DSKWOR00.DBF"])
    with open_list("LIST.ZIP", buf.getvalue(), workdir) as lst:
        assert [r.national_code for r in lst.rows()] == [p.national_code for p in people[:5]]
    assert os.listdir(workdir) == []


def test_zip_holding_the_text_form(people, workdir):
    text = write_list(people[:3], WS, 1403, 5, form="csv")
    data = ls.zip_bytes({"list-1403-05.csv": text})
    with open_list("list.zip", data, workdir) as lst:
        assert lst.header.form == "csv" and len(list(lst.rows())) == 3
    assert os.listdir(workdir) == []


def test_files_without_the_final_eof_byte_are_read(people, workdir):
    files = write_list(people[:3], WS, 1403, 5, form="dbf", corrupt="no_eof")
    assert files["DSKWOR00.DBF"][-1] != 0x1A
    with open_list_files(files, workdir) as lst:
        assert len(list(lst.rows())) == 3


def test_close_removes_what_was_written(people, workdir):
    lst = open_list("l.zip", write_list(people[:2], WS, 1403, 5), workdir)
    assert len(os.listdir(workdir)) == 1
    lst.close()
    lst.close()
    assert os.listdir(workdir) == []


def test_csv_format_is_as_documented(people):
    text = write_list(people[:1], WS, 1403, 5, form="csv").decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0].startswith("DSK_ID,DSK_NAME,DSK_FARM,DSK_ADRS,DSK_KIND,DSK_YY,DSK_MM,DSK_LISTNO")
    assert lines[1].startswith(f"{WS},شرکت نمونه البرز,")
    assert lines[2] == "" and lines[3].startswith("DSW_ID,DSW_YY,DSW_MM") and lines[3].endswith("PER_NATCOD")
    assert lines[4].startswith(f"{WS},3,5,1,") and lines[4].endswith(people[0].national_code)


def test_csv_columns_in_any_order_and_quoted_values(workdir):
    header = ("DSK_YY,DSK_MM,DSK_ID,DSK_NAME,DSK_FARM,DSK_ADRS,DSK_LISTNO,DSK_NUM,DSK_TDD,DSK_TROOZ,DSK_TMAH,"
              "DSK_TMAZ,DSK_TMASH,DSK_TTOTL,DSK_TBIME,DSK_TKOSO,DSK_BIC,DSK_RATE")
    values = '3,5,1234567890,"کارگاه، شماره ۲",x,"تهران, ونک",1,1,31,100,3100,0,3100,3100,217,620,93,23'
    cols = ("per_natcod,dsw_id,dsw_yy,dsw_mm,dsw_listno,dsw_id1,dsw_fname,dsw_lname,dsw_dname,dsw_idno,dsw_bdate,"
            "dsw_sex,dsw_ocp,dsw_sdate,dsw_edate,dsw_dd,dsw_rooz,dsw_mah,dsw_maz,dsw_mash,dsw_totl,dsw_bime,dsw_job")
    row = '۰۴۹۹۳۷۰۸۹۹,1234567890,3,5,1,12345678,علی,"رضایی, فر",حسن,12,1365/04/12,مرد,کارگر,,,31,100,3100,0,3100,3100,217,1'
    data = "\n".join([header, values, cols, row, ""]).encode("utf-8")
    with open_list("l.csv", data, workdir) as lst:
        assert lst.header.address == "تهران, ونک" and lst.header.workshop_name == "کارگاه، شماره ۲"
        (r,) = lst.rows()
    assert r.national_code == "0499370899" and r.last_name == "رضایی, فر" and r.birth_date == "1365/04/12"


# -- years and dates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stored,year", [(0, 1400), (2, 1402), (3, 1403), (49, 1449), (50, 1350), (75, 1375),
                                         (85, 1385), (99, 1399), (1403, 1403), (1385, 1385)])
def test_century_rule(stored, year):
    assert full_year(stored) == year


@pytest.mark.parametrize("stored", [-1, 100, 1299, 1500])
def test_century_rule_refuses_what_is_no_year(stored):
    with pytest.raises(ValueError):
        full_year(stored)


@pytest.mark.parametrize("year", [1385, 1399, 1402, 1403])
def test_century_rule_through_a_file(workdir, year):
    people = invented_people(3, seed=2, year=year, month=12)
    with open_list("l.zip", write_list(people, WS, year, 12), workdir) as lst:
        assert lst.header.yy == year % 100 and lst.header.year == year
        assert {r.year for r in lst.rows()} == {year}


@pytest.mark.parametrize("raw,list_year,want", [
    ("14030510", None, "1403/05/10"),
    ("1403/05/10", None, "1403/05/10"),
    ("1403-5-1", None, "1403/05/01"),
    ("65/03/12", None, "1365/03/12"),     # YY/MM/DD means 13YY/MM/DD
    ("03/05/10", None, "1303/05/10"),
    ("650312", None, "1365/03/12"),
    ("03/05/10", 1403, "1403/05/10"),     # inside the list's month: the century nearest the list's year
    ("85/05/10", 1385, "1385/05/10"),
    ("99/12/30", 1399, "1399/12/30"),     # Esfand 1399 is leap
    ("0       ", None, ""),
    ("0", None, ""),
    ("        ", None, ""),
    ("", None, ""),
    ("00000000", None, ""),
    ("۱۴۰۳۰۵۱۰", None, "1403/05/10"),
    ("۱۴۰۳/۱۲/۳۰", None, "1403/12/30"),   # Esfand 1403 has 30 days
])
def test_date_forms(raw, list_year, want):
    assert list_date(raw, list_year) == want


@pytest.mark.parametrize("raw", ["1402/12/30", "14031301", "1403/07/31", "abc", "1403/5", "12345", "65/13/01"])
def test_dates_that_are_no_dates(raw):
    with pytest.raises(ValueError):
        list_date(raw)


def test_every_date_form_in_a_file(workdir):
    people = invented_people(6, seed=3, year=1403, month=5, start_share=0)
    overrides = {0: {"DSW_BDATE": "65/03/12", "DSW_SDATE": "03/05/10"},
                 1: {"DSW_BDATE": "13650312", "DSW_SDATE": "14030510"},
                 2: {"DSW_BDATE": "0       ", "DSW_EDATE": "0"},
                 3: {"DSW_BDATE": "        ", "DSW_SDATE": ""},
                 4: {"DSW_BDATE": "۶۵/۰۳/۱۲".encode("iransystem")},
                 5: {"DSW_BDATE": "65/13/40", "DSW_EDATE": "1403/5/9"}}
    with open_list("l.zip", write_list(people, WS, 1403, 5, row_overrides=overrides), workdir) as lst:
        rows = list(lst.rows())
    got = [(r.birth_date, r.start_date, r.end_date, r.unreadable) for r in rows]
    assert got == [("1365/03/12", "1403/05/10", "", ()), ("1365/03/12", "1403/05/10", "", ()),
                   ("", "", "", ()), ("", "", "", ()), ("1365/03/12", "", "", ()),
                   ("", "", "1403/05/09", ("DSW_BDATE",))]


def test_persian_digits_in_codes_are_normalised(workdir):
    people = invented_people(2, seed=4, year=1403, month=5)
    # Persian digits: Iran System bytes 0x80-0x89 in the DBF and the Iran System text form.
    overrides = {0: {"PER_NATCOD": "۰۴۹۹۳۷۰۸۹۹", "DSW_ID1": "۱۲۳۴۵۶۷۸", "DSW_LISTNO": "۰۱"},
                 1: {"PER_NATCOD": "4993-70899"}}  # as written: the leading zero lost, a dash
    for form in ("zip", "csv"):
        data = write_list(people, WS, 1403, 5, form=form, row_overrides=overrides,
                          csv_encoding="iransystem")
        with open_list(f"l.{form}", data, workdir) as lst:
            r0, r1 = lst.rows()
        assert (r0.national_code, r0.insurance_no, r0.list_no) == ("0499370899", "12345678", "01")
        assert r1.national_code == "499370899"  # not padded: the checks do that


def test_number_fields_that_are_not_numbers_are_named(workdir):
    people = invented_people(3, seed=5, year=1403, month=5)
    with open_list("l.zip", write_list(people, WS, 1403, 5, row_overrides={1: {"DSW_DD": "x1", "DSW_MAZ": "1.5"},
                                                                           2: {"DSW_ROOZ": "  "}}), workdir) as lst:
        r0, r1, r2 = lst.rows()
    assert r0.unreadable == () and r1.unreadable == ("DSW_DD", "DSW_MAZ") and r1.days == 0
    assert r2.daily_wage == 0 and r2.unreadable == ()  # blank is 0


# -- refusals -------------------------------------------------------------------------------------------------------

CORRUPT = [
    ("zip", "truncated", "truncated"),
    ("dbf", "truncated", "truncated"),
    ("csv", "truncated", "truncated"),
    ("zip", "truncated_zip", "truncated"),
    ("zip", "wrong_encoding", "wrong_encoding"),
    ("dbf", "wrong_encoding", "wrong_encoding"),
    ("csv", "wrong_encoding", "wrong_encoding"),
    ("zip", "utf8_text", "wrong_encoding"),
    ("zip", "missing_wor", "missing_file"),
    ("zip", "missing_kar", "missing_file"),
    ("dbf", "missing_wor", "missing_file"),
    ("csv", "missing_wor", "missing_file"),
    ("csv", "missing_kar", "missing_file"),
    ("zip", "not_a_zip", "not_a_list"),
    ("csv", "not_a_zip", "not_a_list"),
    ("zip", "huge", "too_large"),
    ("dbf", "huge", "too_large"),
    ("csv", "huge", "too_large"),
]


@pytest.mark.parametrize("form,corrupt,code", CORRUPT, ids=[f"{f}-{c}" for f, c, _ in CORRUPT])
def test_corrupt_inputs_are_refused_with_their_code(people, workdir, form, corrupt, code):
    data = write_list(people, WS, 1403, 5, form=form, corrupt=corrupt)
    with pytest.raises(ListFormatError) as err:
        with _open(data, workdir, f"list.{form}") as lst:
            for _ in lst.rows():
                pass
    assert err.value.code == code, err.value.message
    assert err.value.message and isinstance(err.value, ValueError)
    assert os.listdir(workdir) == []  # nothing left behind


def test_a_single_dbf_is_refused_as_missing_file(people, workdir):
    files = write_list(people, WS, 1403, 5, form="dbf")
    for name, other in (("DSKWOR00.DBF", "DSKKAR00"), ("DSKKAR00.DBF", "DSKWOR00")):
        with pytest.raises(ListFormatError) as err:
            open_list(name, files[name], workdir)
        assert err.value.code == "missing_file" and other in err.value.message


def test_data_larger_than_the_limit(people, workdir):
    data = write_list(people, WS, 1403, 5)
    with pytest.raises(ListFormatError) as err:
        open_list("l.zip", data, workdir, max_bytes=len(data) - 1)
    assert err.value.code == "too_large"
    with pytest.raises(ListFormatError) as err:  # packed small, unpacks large
        open_list("l.zip", data, workdir, max_bytes=len(data) + 10)
    assert err.value.code == "too_large"


@pytest.mark.parametrize("data,code", [
    (b"", "not_a_list"), (b"   \r\n", "not_a_list"), (b"hello, world\n", "not_a_list"),
    (bytes(range(256)) * 4, "not_a_list"), (b"PK\x03\x04" + b"\x00" * 100, "truncated"),
    (b"PK\x05\x06" + b"\x00" * 10, "unreadable_zip"), (b"DSW_ID,DSW_YY\n1,2\n", "missing_file"),
    (b"DSK_ID,DSK_YY\n", "bad_header"),
])
def test_inputs_that_are_no_lists(workdir, data, code):
    with pytest.raises(ListFormatError) as err:
        open_list("x.zip", data, workdir)
    assert err.value.code == code


def test_encrypted_zip_is_unreadable(people, workdir):
    data = bytearray(write_list(people[:2], WS, 1403, 5))
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # central directory: set "encrypted" in every entry
        data[pos + 8] |= 1
        pos += 4
    with pytest.raises(ListFormatError) as err:
        open_list("l.zip", bytes(data), workdir)
    assert err.value.code == "unreadable_zip"


def test_damaged_zip_member_is_unreadable(people, workdir):
    data = bytearray(write_list(people, WS, 1403, 5))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("DSKWOR00.DBF")
    start = info.header_offset + 30 + len(info.filename) + 40
    data[start:start + 20] = bytes(20)
    with pytest.raises(ListFormatError) as err:
        open_list("l.zip", bytes(data), workdir)
    assert err.value.code == "unreadable_zip"


def test_two_lists_in_one_zip_are_ambiguous(people, workdir):
    files = write_list(people[:2], WS, 1403, 5, form="dbf")
    data = ls.zip_bytes({**{f"a/{k}": v for k, v in files.items()}, **{f"b/{k}": v for k, v in files.items()}})
    with pytest.raises(ListFormatError) as err:
        open_list("l.zip", data, workdir)
    assert err.value.code == "ambiguous_zip"


@pytest.mark.parametrize("overrides,code", [
    ({"DSK_MM": 13}, "bad_header"), ({"DSK_MM": 0}, "bad_header"), ({"DSK_YY": ""}, "bad_header"),
    ({"DSK_TDD": "abc"}, "bad_header"),
])
def test_bad_headers(people, workdir, overrides, code):
    with pytest.raises(ListFormatError) as err:
        open_list("l.zip", write_list(people[:2], WS, 1403, 5, header_overrides=overrides), workdir)
    assert err.value.code == code and list(overrides)[0] in err.value.message


def test_header_file_with_two_records_or_none(people, workdir):
    files = write_list(people[:2], WS, 1403, 5, form="dbf")
    header = ls.header_record([], WS, 1403, 5, "1", "older", "a", "b", "c")
    for records in ([header, header], []):
        kar = ls.dbf_bytes(ls.KAR_FIELDS, records, codepage=0x7E)
        with pytest.raises(ListFormatError) as err:
            open_list_files({**files, "DSKKAR00.DBF": kar}, workdir)
        assert err.value.code == "bad_header"


def test_missing_worker_fields_are_bad_columns(people, workdir):
    files = write_list(people[:2], WS, 1403, 5, form="dbf")
    fields = tuple(f for f in ls.WOR_FIELDS if f[0] != "PER_NATCOD")
    rows = [ls.person_row(p, WS, 1403, 5) for p in people[:2]]
    with pytest.raises(ListFormatError) as err:
        open_list_files({**files, "DSKWOR00.DBF": ls.dbf_bytes(fields, rows)}, workdir)
    assert err.value.code == "bad_columns" and "PER_NATCOD" in err.value.message


def test_csv_line_with_wrong_number_of_values(people, workdir):
    data = write_list(people[:4], WS, 1403, 5, form="csv")
    lines = data.split(b"\r\n")
    lines[5] = lines[5] + b",extra"
    with pytest.raises(ListFormatError) as err:  # at open (the first rows are sampled) or while reading
        with open_list("l.csv", b"\r\n".join(lines), workdir) as lst:
            list(lst.rows())
    assert err.value.code == "bad_row" and "line 6" in err.value.message


def test_layouts_of_the_two_files_differ(people, workdir):
    older = write_list(people[:2], WS, 1403, 5, form="dbf")
    newer = write_list(people[:2], WS, 1403, 5, layout="newer", form="dbf")
    with open_list_files({"DSKKAR00.DBF": older["DSKKAR00.DBF"], "DSKWOR00.DBF": newer["DSKWOR00.DBF"]},
                         workdir) as lst:
        assert lst.header.layout == "older" and lst.header.format_notes == (LAYOUT_MIXED,)


def test_wrong_encoding_is_told_from_a_few_odd_bytes(workdir):
    # The notes: real names carry the odd box-drawing byte (0xD7) or '*'; that alone is no wrong encoding.
    people = invented_people(5, seed=6, year=1403, month=5)
    odd = {0: {"DSW_FNAME": "علی".encode("iransystem") + b"\xd7"}, 1: {"DSW_LNAME": "*" + people[1].last_name}}
    with open_list("l.zip", write_list(people, WS, 1403, 5, row_overrides=odd), workdir) as lst:
        first = next(lst.rows())
    assert "\u256b" in first.first_name and first.first_name.replace("\u256b", "") == "علی"


def test_random_damage_gives_only_list_format_errors(people, workdir):
    """Never another exception: cut and scribbled-over zips, DBF pairs and texts either read or are refused."""
    rng = random.Random(1403)
    small = people[:6]
    originals = [("zip", write_list(small, WS, 1403, 5)),
                 ("csv", write_list(small, WS, 1403, 5, form="csv", csv_encoding="iransystem")),
                 ("csv", write_list(small, WS, 1403, 5, form="csv"))]
    files = write_list(small, WS, 1403, 5, form="dbf")
    outcomes = {"read": 0}
    for i in range(240):
        kind = i % 5
        if kind < 3:
            form, data = originals[kind]
            attempt, name = _damage(rng, data), f"l.{form}"
        else:
            damaged = "DSKKAR00.DBF" if kind == 3 else "DSKWOR00.DBF"
            attempt, name = {**files, damaged: _damage(rng, files[damaged])}, ""
        try:
            with _open(attempt, workdir, name) as lst:
                for _ in range(2):
                    for _row in lst.rows():
                        pass
            outcomes["read"] += 1
        except ListFormatError as exc:
            outcomes[exc.code] = outcomes.get(exc.code, 0) + 1
        assert os.listdir(workdir) == []
    assert len(outcomes) >= 4, outcomes  # the damage reached several kinds of refusal


def _damage(rng, data: bytes) -> bytes:
    data = bytearray(data)
    how = rng.randrange(3)
    if how == 0:
        return bytes(data[: rng.randrange(len(data))])
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(min(len(data), 700) if how == 1 else len(data))
        data[pos] = rng.randrange(256)
    return bytes(data)


# -- streaming ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_people():
    return invented_people(10_000, seed=9, year=1403, month=5)


def _peak_reading(data: bytes, workdir: str) -> tuple[int, int]:
    reader.clear_caches()
    gc.collect()
    tracemalloc.start()
    try:
        n = 0
        with open_list("big.zip", data, workdir) as lst:
            for _ in range(2):
                for _row in lst.rows():
                    n += 1
        return tracemalloc.get_traced_memory()[1], n
    finally:
        tracemalloc.stop()


def test_rows_are_streamed(big_people, workdir):
    small = write_list(big_people[:1000], WS, 1403, 5)
    big = write_list(big_people, WS, 1403, 5)
    peak_small, n_small = _peak_reading(small, workdir)
    peak_big, n_big = _peak_reading(big, workdir)
    assert (n_small, n_big) == (2000, 20000)
    assert peak_big < 1.3 * peak_small + 128 * 1024, (peak_small, peak_big)


def test_reading_speed(big_people, workdir):
    data = write_list(big_people, WS, 1403, 5)
    start = time.perf_counter()
    with open_list("big.zip", data, workdir) as lst:
        for _ in range(2):
            for _row in lst.rows():
                pass
    elapsed = time.perf_counter() - start
    assert 20_000 / elapsed > 5_000, f"{20_000 / elapsed:.0f} rows/s"  # measured about 40,000 rows/s


def test_utf8_text_of_presentation_forms_or_mojibake_is_wrong_encoding(workdir):
    people = invented_people(4, seed=8, year=1403, month=5)
    shaped = {i: {"DSW_FNAME": "ﻋﻠﯽ", "DSW_LNAME": "ﺭﺿﺎﯾﯽ"} for i in range(4)}  # visual-order shaped glyphs
    mojibake = {i: {"DSW_FNAME": "Ø¹Ù„ÛŒ", "DSW_LNAME": "Ø±Ø¶Ø§ÛŒÛŒ"} for i in range(4)}  # UTF-8 read as Latin-1
    for overrides in (shaped, mojibake):
        data = write_list(people, WS, 1403, 5, form="csv", row_overrides=overrides,
                          workshop_name="x", employer_name="y", address="z")
        with pytest.raises(ListFormatError) as err:
            open_list("l.csv", data, workdir)
        assert err.value.code == "wrong_encoding"
