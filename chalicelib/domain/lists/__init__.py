"""Employers' monthly insurance lists (ListDisk): reading (reader.py), the stored shapes (model.py) and a payroll
clerk's checks (validation.py). Pure: no AWS; the reader writes only under the workdir it is given.

    with open_list(name, data, "/tmp") as lst:
        checker = RowChecker(lst.header)
        for row in lst.rows():
            checker.check(row)
        outcome = checker.finish()
"""
from .model import ListCheck, ListHeader, ListIssue, RowVerdict, WorkerRow
from .reader import (EmployerList, ListFormatError, full_year, list_date, open_list, open_list_files, open_list_pair,
                     open_list_path)
from .validation import CodeSet, RowChecker, canonical_national_code, check_list, percent_half_up

__all__ = ["CodeSet", "EmployerList", "ListCheck", "ListFormatError", "ListHeader", "ListIssue", "RowChecker", "RowVerdict",
           "WorkerRow", "canonical_national_code", "check_list", "full_year", "list_date", "open_list",
           "open_list_files", "open_list_pair", "open_list_path", "percent_half_up"]
