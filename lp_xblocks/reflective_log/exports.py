"""
The reflective log's portfolios, downloads and the LMS report rows.
"""
from webob import Response
from xblock.utils.resources import ResourceLoader

from ..common import permissions
from ..common.csv_safe import csv_text, safe_cell
from ..common.http import HandlerError, guarded_handler, html_download, json_handler
from ..common.i18n import i18n_service
from . import evidence, rules
from .shell import api as _api

loader = ResourceLoader(__name__)


class ExportsMixin:
    """Portfolios (JSON and printable), the programme record, the tutors' CSV and the LMS report."""

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def portfolio(self, data, suffix=""):  # pylint: disable=unused-argument
        """A learner's submitted entries, feedback, coverage and audit trail (own, or anyone's for tutors)."""
        lookup, own = self._learner_lookup(data)
        entries = _api().portfolio(permissions.block_key(self), owner=False, with_audit=True, now=self._now_utc(),
                                   scope=self._scope(), **lookup)
        covered, score = self._coverage(**lookup)
        learner = permissions.username(self) if own else lookup["username"]
        return {"learner": learner, "entries": entries, "coverage": covered, "score": score,
                "quality": self._quality_export(entries, staff=not own or permissions.is_tutor_or_verifier(self))}

    @guarded_handler(signed_in=True)
    def portfolio_html(self, request, suffix=""):  # pylint: disable=unused-argument
        """The portfolio as a standalone, printable HTML document for the external verifier."""
        if request.method != "GET":
            raise HandlerError(405, self._("Method {method} is not allowed here").format(method=request.method))
        lookup, own = self._learner_lookup(dict(request.GET))
        learner = permissions.username(self) if own else lookup["username"]
        html, _entries = self._portfolio_document(lookup, learner,
                                                  staff=not own or permissions.is_tutor_or_verifier(self))
        return html_download(html, "portfolio", learner)

    def _portfolio_document(self, lookup, learner, file_paths=None, staff=True):
        """
        The printable portfolio of one learner: (HTML, the entries as the data API answered them). ``file_paths``
        (file id -> path in the verifier's zip) links each file to its copy beside the document; ``staff``: the
        verification decisions are shown (the learner's own copy shows their appeals only).
        """
        entries = _api().portfolio(permissions.block_key(self), owner=False, with_audit=True, now=self._now_utc(),
                                   scope=self._scope(), **lookup)
        covered, score = self._coverage(**lookup)
        types = {item["id"]: item["label"] for item in self.entry_types}
        types["exercise_justification"] = self._("Facilitation exercise: justification of a key decision")
        html = loader.render_django_template("templates/portfolio.html", {
            "title": self.display_name,
            "learner": learner,
            "generated": self._now_utc().strftime("%Y-%m-%d %H:%M UTC"),
            "criteria": self.criteria,
            "entries": self._with_quality([self._export_entry(entry, types, file_paths) for entry in entries],
                                          staff=staff),
            "coverage": covered,
            "matrix": self._matrix(entries),
            "score": score,
            "labels": self._labels(),
        }, i18n_service=i18n_service(self))
        return html, entries

    # ------------------------------------------------------------------ the whole programme

    def _programme_record(self, lookup):
        """One learner's work across the course (every log, exercise and questionnaire), labelled for people."""
        from ..data.api import learner_record  # pylint: disable=import-outside-toplevel  # needs Django's app registry
        record = learner_record.course_record(permissions.course_key(self), now=self._now_utc(), **lookup)
        labels = self._labels()
        decisions = {rules.PASS: self._("Pass"), rules.REFER: self._("Refer"), "": self._("Feedback only"), None: ""}
        marks = {rules.MET: self._("Met"), rules.NOT_YET_MET: self._("Not yet met"), None: ""}
        for log in record["logs"]:
            for entry in log["entries"]:
                entry["status_label"] = labels["statuses"].get(entry["status"], entry["status"])
                for version in entry["versions"]:
                    version["paragraphs"] = [part for part in version["body"].split("\n\n") if part.strip()]
                    for item in version["feedback"]:
                        item["decision_label"] = decisions.get(item["decision"] or "", item["decision"])
                        item["criteria_rows"] = [{"id": ident, **mark, "decision_label": marks.get(mark.get("decision"), "")}
                                                 for ident, mark in item["criteria"].items()]
        for assessment in record["assessments"]:
            for attempt in assessment["attempts"]:
                attempt["themes"] = []
                for theme, score in sorted((attempt["scores"] or {}).items()):
                    first = (attempt["first_scores"] or {}).get(theme)
                    change = None if first is None or attempt["attempt"] == 1 else round(score - first, 2)
                    attempt["themes"].append({"id": theme, "score": score, "change": change,
                                              "change_text": "" if change is None else f"{change:+g}"})
        return record

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def programme_record(self, data, suffix=""):  # pylint: disable=unused-argument
        """All of a learner's work in the course (own, or anyone's for tutors): the tutors' learner view."""
        lookup, own = self._learner_lookup(data)
        learner = permissions.username(self) if own else lookup["username"]
        return {"learner": learner, **self._programme_record(lookup)}

    @guarded_handler(signed_in=True)
    def programme_portfolio_html(self, request, suffix=""):  # pylint: disable=unused-argument
        """The whole-programme portfolio as one printable HTML document (the learner's own, or any for tutors)."""
        if request.method != "GET":
            raise HandlerError(405, self._("Method {method} is not allowed here").format(method=request.method))
        lookup, own = self._learner_lookup(dict(request.GET))
        learner = permissions.username(self) if own else lookup["username"]
        html = loader.render_django_template("templates/programme_portfolio.html", {
            "learner": learner,
            "course": permissions.course_key(self) or "workbench",
            "generated": self._now_utc().strftime("%Y-%m-%d %H:%M UTC"),
            "record": self._programme_record(lookup),
        }, i18n_service=i18n_service(self))
        return html_download(html, "programme-portfolio", learner)

    def _export_entry(self, entry, types, file_paths=None):
        """An entry with labels resolved and paragraphs split, for the export template."""
        labels = self._labels()
        audit = [
            {**event, "action_label": labels["actions"].get(event["action"], event["action"]),
             "role_label": labels["roles"].get(event["role"], event["role"]),
             "from_label": labels["statuses"].get(event["from"], event["from"] or ""),
             "to_label": labels["statuses"].get(event["to"], event["to"])}
            for event in entry.get("audit", [])
        ]
        versions = []
        for version in entry["versions"]:
            versions.append({
                **version,
                "type_label": types.get(version["entry_type"], version["entry_type"]),
                "paragraphs": [part for part in version["body"].split("\n\n") if part.strip()],
                "files": [{**item, "type_label": self._(evidence.type_label(item["content_type"])),
                           "zip_path": (file_paths or {}).get(item["file_id"], "")}
                          for item in version.get("files", [])],
                "feedback": [
                    {**item, "criteria_rows": [
                        {"id": ident, **mark} for ident, mark in item["criteria"].items()]}
                    for item in version["feedback"]
                ],
            })
        return {**entry, "versions": versions, "audit": audit,
                "status_label": labels["statuses"].get(entry["status"], entry["status"])}

    def _matrix(self, entries):
        """Rows of criteria, columns of entries: what each version claimed and each decision found."""
        rows = []
        for criterion in self.criteria:
            cells = []
            for entry in entries:
                latest = entry["versions"][-1] if entry["versions"] else None
                claimed = latest is not None and criterion["id"] in latest["criteria"]
                decided = None
                if latest and latest["feedback"]:
                    decided = (latest["feedback"][-1]["criteria"].get(criterion["id"]) or {}).get("decision")
                cells.append({"claimed": claimed, "decision": decided, "passed": entry["status"] == rules.PASSED})
            rows.append({"criterion": criterion, "cells": cells})
        return rows

    @guarded_handler(tutors_only=True)
    def entries_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """One row per submitted entry (latest version): the report of :meth:`generate_report_data`."""
        header, rows = self._report_table(_api().report_rows(permissions.block_key(self)))
        return Response(
            body=csv_text(header, rows).encode("utf-8"), content_type="text/csv", charset="utf-8",
            content_disposition=f'attachment; filename="reflective-log-{self._dom_id()}.csv"',
        )

    def _report_columns(self):
        _ = self._
        types = {item["id"]: item["label"] for item in self.entry_types}
        return [
            (_("Learner"), lambda row: row["learner"]),
            (_("Entry"), lambda row: row["entry_id"]),
            (_("Title"), lambda row: row["title"]),
            (_("Type"), lambda row: types.get(row["entry_type"], row["entry_type"])),
            (_("Status"), lambda row: row["status"]),
            (_("Version"), lambda row: row["version"]),
            (_("Date of activity"), lambda row: row["activity_date"]),
            (_("Words"), lambda row: row["word_count"]),
            (_("Criteria claimed"), lambda row: " ".join(row["criteria_claimed"])),
            (_("Criteria met"), lambda row: " ".join(row["criteria_met"])),
            (_("Marker"), lambda row: row["marker"]),
            (_("Created"), lambda row: row["created_at"]),
            (_("Submitted"), lambda row: row["submitted_at"]),
            (_("Decided"), lambda row: row["decided_at"] or ""),
            (_("Referrals"), lambda row: row["referrals"]),
        ]

    def _report_table(self, rows):
        columns = self._report_columns()
        return [name for name, _get in columns], ([get(row) for _name, get in columns] for row in rows)


    # ------------------------------------------------------------------ platform

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """
        One row per entry (latest version) for the LMS problem-response report, for the learners the
        platform lists; entries are read in batches of 500 learners, one query per batch.
        """
        api = _api()
        count = 0
        batch = []

        def flush():
            nonlocal count
            usernames = [state.username for state in batch]
            by_user = {}
            for row in api.report_rows(permissions.block_key(self), usernames=usernames):
                by_user.setdefault(row["learner"], []).append(row)
            columns = self._report_columns()
            for username in usernames:
                for row in by_user.get(username, []):
                    if limit_responses is not None and count >= limit_responses:
                        return False
                    count += 1
                    yield username, {name: safe_cell(get(row)) for name, get in columns}
            return True

        for user_state in user_state_iterator:
            batch.append(user_state)
            if len(batch) >= 500:
                keep_going = yield from flush()
                batch = []
                if not keep_going:
                    return
        if batch:
            yield from flush()
