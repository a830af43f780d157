"""
The exporter's files, written as the outcomes stream past (deterministic: the same input gives the same bytes).

- ``claims.csv``: one row per achieved unit of each candidate's registered qualification (:data:`COLUMNS`);
- ``claims.json``: the same claims as the JSON bodies :mod:`.submit` sends (plus each idempotency key);
- ``results.csv``: the results sheet, one row per candidate and unit of the registered qualification,
  ``achieved`` or ``not achieved`` (same columns);
- ``rejections.csv``: every candidate not claimed and why (:data:`REJECTION_COLUMNS`).

CSV cells go through :func:`lp_xblocks.common.csv_safe.safe_cell` (pure, no XBlock code): text a spreadsheet
would run as a formula is prefixed with an apostrophe. Candidate and unit cells are made safe once and reused.
Each file is written under a temporary name and renamed into place by :meth:`Writer.close` (:mod:`.files`):
a failed run leaves the last whole export, a symbolic link or a directory in a file's place is refused.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from lp_xblocks.common.csv_safe import safe_cell

from .files import AtomicFile, check_target, ensure_folder
from .mapping import idempotency_key

COLUMNS = ("Centre number", "Candidate number", "ULN", "Family name", "Given name", "Date of birth",
           "Qualification code", "Unit code", "Unit title", "Level", "Credit", "Result", "Achievement date")
REJECTION_COLUMNS = ("Line", "Username", "Candidate number", "Family name", "Given name", "Field", "Reason")
ACHIEVED, NOT_ACHIEVED = "achieved", "not achieved"
FORMAT = "lp-accredit-claims/1"


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


@dataclass(slots=True)
class Claim:
    """One unit claim: who, what, and the key that makes sending it twice harmless."""
    username: str
    key: str
    unit_code: str
    body: dict


def claim_body(centre_number, candidate, unit_result, key) -> dict:
    """The JSON body of one claim (the awarding body's contract, ``accreditation_export/API.md``)."""
    unit = unit_result.unit
    return {
        "achievement_date": unit_result.date.isoformat(),
        "candidate": {
            "candidate_number": candidate.candidate_number, "date_of_birth": candidate.date_of_birth,
            "family_name": candidate.family_name, "given_name": candidate.given_name, "uln": candidate.uln,
        },
        "centre_number": centre_number,
        "evidence": list(unit_result.evidence_refs),
        "idempotency_key": key,
        "qualification_code": candidate.qualification,
        "result": ACHIEVED,
        "unit": {"code": unit.code, "credit": unit.credit, "level": unit.level, "title": unit.title},
    }


def claims_of(outcome, centre_number) -> list:
    """The claims of one candidate: each achieved unit of the registered qualification."""
    candidate = outcome.candidate
    found = []
    for unit_result in outcome.achieved_units():
        key = idempotency_key(centre_number, candidate.uln, candidate.candidate_number, unit_result.unit.code,
                              unit_result.evidence_refs)
        found.append(Claim(candidate.username, key, unit_result.unit.code,
                           claim_body(centre_number, candidate, unit_result, key)))
    return found


class Writer:
    """Writes the export files into ``folder`` as outcomes arrive; :meth:`close` adds the rejections."""

    def __init__(self, folder, catalogue, formats=("claims.csv", "claims.json", "results.csv")):
        self.folder = ensure_folder(Path(folder))
        for name in tuple(formats) + ("rejections.csv",):
            check_target(self.folder / name)            # refuse before anything is written
        self.catalogue = catalogue
        self.centre = catalogue.centre_number
        self.counts = {"candidates": 0, "claims": 0, "results": 0, "rejections": 0, "qualifications": 0}
        # Each unit's safe cells and JSON, once.
        self._unit_cells = {u.id: [safe_cell(u.code), safe_cell(u.title), safe_cell(u.level), u.credit]
                            for u in catalogue.units}
        self._unit_json = {u.id: _dumps({"code": u.code, "credit": u.credit, "level": u.level, "title": u.title})
                           for u in catalogue.units}
        self._iso = {}   # date -> its ISO text, made once
        self._files, self._csv = [], {}
        for name in ("claims.csv", "results.csv"):
            if name in formats:
                handle = self._open(name)
                self._csv[name] = csv.writer(handle, lineterminator="\r\n")
                self._csv[name].writerow(COLUMNS)
        self._json = None
        if "claims.json" in formats:
            self._json = self._open("claims.json")
            self._json.write('{"format": %s, "awarding_body": %s, "claims": [' % (
                _dumps(FORMAT), _dumps({"centre_number": self.centre, "name": catalogue.awarding_body})))
            self._first_json = True

    def _open(self, name):
        handle = AtomicFile(self.folder / name)
        self._files.append(handle)
        return handle

    def abort(self):
        """Discard every file of this run (the previous export, if any, stays as it was)."""
        for handle in self._files:
            handle.discard()

    def write(self, outcome):
        """Write one candidate's claims and results rows."""
        candidate = outcome.candidate
        self.counts["candidates"] += 1
        self.counts["qualifications"] += outcome.qualification.achieved
        person = [safe_cell(self.centre), safe_cell(candidate.candidate_number), safe_cell(candidate.uln),
                  safe_cell(candidate.family_name), safe_cell(candidate.given_name), safe_cell(candidate.date_of_birth),
                  safe_cell(candidate.qualification)]
        claims = self._csv.get("claims.csv")
        results = self._csv.get("results.csv")
        person_json = None
        units = outcome.result.units
        for unit_id in outcome.qualification.qualification.unit_ids:
            unit_result = units[unit_id]
            cells = self._unit_cells[unit_id]
            if unit_result.achieved:
                date = self._iso.get(unit_result.date)
                if date is None:
                    date = self._iso[unit_result.date] = unit_result.date.isoformat()
                row = person + cells + [ACHIEVED, date]
                if claims is not None:
                    claims.writerow(row)
                self.counts["claims"] += 1
                if self._json is not None:
                    if person_json is None:
                        person_json = _dumps({
                            "candidate_number": candidate.candidate_number, "date_of_birth": candidate.date_of_birth,
                            "family_name": candidate.family_name, "given_name": candidate.given_name,
                            "uln": candidate.uln})
                    refs = unit_result.evidence_refs
                    key = idempotency_key(self.centre, candidate.uln, candidate.candidate_number,
                                          unit_result.unit.code, refs)
                    self._json.write(
                        ('\n' if self._first_json else ',\n')
                        + '{"achievement_date": "%s", "candidate": %s, "centre_number": %s, "evidence": %s, '
                          '"idempotency_key": "%s", "qualification_code": %s, "result": "%s", "unit": %s}' % (
                              date, person_json, _dumps(self.centre), _dumps(list(refs)), key,
                              _dumps(candidate.qualification), ACHIEVED, self._unit_json[unit_id]))
                    self._first_json = False
            else:
                row = person + cells + [NOT_ACHIEVED, ""]
            if results is not None:
                results.writerow(row)
                self.counts["results"] += 1

    def close(self, rejections):
        """Finish the JSON document and write the rejections (in register line order)."""
        if self._json is not None:
            self._json.write("\n]}\n")
        handle = self._open("rejections.csv")
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(REJECTION_COLUMNS)
        for item in sorted(rejections, key=lambda r: (r.line or 0, r.username)):
            writer.writerow([safe_cell(value) for value in (item.line or "", item.username, item.candidate_number,
                                                            item.family_name, item.given_name, item.field,
                                                            item.reason)])
            self.counts["rejections"] += 1
        try:
            for handle in self._files:
                handle.commit()
        except BaseException:
            self.abort()
            raise
