"""
The needs-assessment block's reports (a mixin of :class:`.block.NeedsAssessmentBlock`): the tutors' cohort report
(JSON and streamed CSV, read from the running summary; satisfaction figures withheld for small groups) and the
LMS problem-response report (``generate_report_data``).
"""
from webob import Response

from ..common import permissions
from ..common.csv_safe import csv_stream, safe_cell
from ..common.http import json_handler, tutors_only_handler
from . import instrument as core


class NeedsAssessmentReports:
    """``cohort_report``, ``cohort_report_csv`` and ``generate_report_data``."""

    def _suppressed(self, count):
        """Satisfaction results are aggregate-only: a group smaller than the minimum shows no figures."""
        return self.kind == "satisfaction" and 0 < count < self.minimum_group

    def _cohort(self):
        from ..data import api  # pylint: disable=import-outside-toplevel
        summary = api.needs_assessment_cohort(permissions.block_key(self))
        themes = []
        for theme in self.instrument["themes"]:
            found = summary["themes"].get(theme["id"], {"respondents": 0, "total": 0.0, "bands": {}, "dont_know": 0})
            bands = {band["label"]: found["bands"].get(band["label"], 0) for band in theme["bands"]}
            entry = {
                "id": theme["id"],
                "title": theme["title"],
                "respondents": found["respondents"],
                "mean": core.round2(found["total"] / found["respondents"]) if found["respondents"] else None,
                "bands": bands,
                "dont_know": found["dont_know"],
                "suppressed": self._suppressed(found["respondents"]),
            }
            if entry["suppressed"]:
                entry.update(mean=None, bands={label: None for label in bands}, dont_know=None)
            themes.append(entry)
        return {"learners": summary["learners"], "minimum": self.minimum_group if self.kind == "satisfaction" else None,
                "themes": themes}

    @json_handler(methods=("GET", "POST"), tutors_only=True)
    def cohort_report(self, data, suffix=""):  # pylint: disable=unused-argument
        """
        Means, band counts and "don't know" counts per theme over each learner's latest attempt (tutors only),
        read from the running summary: the same few rows whatever the cohort's size.
        """
        return self._cohort()

    @tutors_only_handler
    def cohort_report_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """
        Streamed, formula-safe CSV. Diagnostics: one row per learner (latest attempt, theme scores and change
        since first). Satisfaction surveys: one row per delivery element, never a learner's name.
        """
        _ = self._
        if self.kind == "satisfaction":
            return self._csv_response(*self._satisfaction_table())
        from ..data import api  # pylint: disable=import-outside-toplevel
        theme_ids = [theme["id"] for theme in self.instrument["themes"]]
        header = [_("Learner"), _("Attempts"), _("Latest submitted (UTC)"), _("Overall"), _("Stage")]
        for theme in self.instrument["themes"]:
            header += [theme["title"], _("{theme}: change since first").format(theme=theme["title"])]
        header.append(_("Don't know answers"))

        def rows():
            for row in api.needs_assessment_latest(permissions.block_key(self)):
                line = [row["username"] or row["student_id"], row["attempt"],
                        row["submitted_at"].strftime("%Y-%m-%d %H:%M"), row["overall"], row["stage"]]
                for theme_id in theme_ids:
                    latest, first = row["scores"].get(theme_id), row["first_scores"].get(theme_id)
                    change = (None if latest is None or first is None or row["attempt"] == 1
                              else core.round2(latest - first))
                    line += [latest, change]
                line.append(row["dont_know"])
                yield line
        return self._csv_response(header, rows())

    def _satisfaction_table(self):
        _ = self._
        cohort = self._cohort()
        labels = [band["label"] for band in self.instrument["themes"][0]["bands"]]
        header = [_("Delivery element"), _("Respondents"), _("Mean"), _("Don't know answers")] + labels
        rows = []
        for theme in cohort["themes"]:
            if theme["suppressed"]:
                withheld = _("withheld (fewer than {n})").format(n=self.minimum_group)
                rows.append([theme["title"], withheld, withheld, withheld] + [withheld] * len(labels))
            else:
                rows.append([theme["title"], theme["respondents"], theme["mean"], theme["dont_know"]]
                            + [theme["bands"].get(label, 0) for label in labels])
        return header, rows

    def _csv_response(self, header, rows):
        response = Response(content_type="text/csv", charset="utf-8",
                            content_disposition=f'attachment; filename="needs-assessment-{self._dom_id()}.csv"')
        response.app_iter = csv_stream(header, rows)
        return response

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """
        One row per learner for the LMS problem-response report: attempts, latest and first scores.
        Column labels are translated once per report; the stage (author text) is formula-safe. A satisfaction
        survey gives no rows: its results are aggregate-only (see the cohort report).
        """
        if self.kind == "satisfaction":
            return
        _ = self._
        attempts_label, submitted_label = _("Attempts"), _("Latest submitted")
        overall_label, stage_label = _("Latest overall"), _("Latest stage")
        theme_columns = [
            (theme["id"], _("Latest: {theme}").format(theme=theme["title"]),
             _("First: {theme}").format(theme=theme["title"]))
            for theme in self.instrument["themes"]
        ]
        count = 0
        for user_state in user_state_iterator:
            state = user_state.state or {}
            attempts = state.get("attempt_history")
            if not attempts and isinstance(state.get("attempts"), list):
                attempts = state["attempts"]  # saved before the history had its own field
            attempts = [attempt for attempt in attempts or [] if isinstance(attempt, dict)]
            if not attempts:
                continue
            if limit_responses is not None and count >= limit_responses:
                return
            first, latest = attempts[0], attempts[-1]
            latest_scores, first_scores = latest["scores"], first["scores"]
            row = {
                attempts_label: len(attempts),
                submitted_label: latest["submitted_at"],
                overall_label: latest["overall"],
                stage_label: safe_cell(latest.get("stage") or ""),
            }
            for theme_id, latest_label, first_label in theme_columns:
                row[latest_label] = latest_scores.get(theme_id)
                row[first_label] = first_scores.get(theme_id)
            count += 1
            yield user_state.username, row
