"""
The reflective log's page and export labels, translated for the current user.
"""
from ..common.i18n import plural_forms
from . import rules


class StringsMixin:
    """Translated labels and the strings the page's JavaScript shows."""

    def _labels(self):
        """Translated names of statuses, audit actions and roles (for the page and the export)."""
        _ = self._
        return {
            "statuses": {
                rules.DRAFT: _("Draft"), rules.SUBMITTED: _("Submitted, waiting to be marked"),
                rules.PASSED: _("Passed"), rules.REFERRED: _("Referred: revise and resubmit"),
                rules.ARCHIVED: _("Removed by a course reset"),
            },
            "actions": {
                "created": _("created the entry"), "submitted": _("submitted"), "feedback": _("gave feedback"),
                "passed": _("passed it"), "referred": _("referred it"), "reset": _("reset the learner's work"),
                "declared": _("declared the work their own"),
            },
            "roles": {"learner": _("learner"), "tutor": _("tutor"), "staff": _("course staff")},
        }

    def _strings(self):
        _ = self._
        return {
            **self._labels(),
            "queueStatuses": {
                rules.SUBMITTED: _("Waiting ({count})"), rules.REFERRED: _("Referred ({count})"),
                rules.PASSED: _("Passed ({count})"),
            },
            "decisions": {rules.PASS: _("Pass"), rules.REFER: _("Refer"), "": _("Feedback only")},
            "criterionDecisions": {rules.MET: _("Met"), rules.NOT_YET_MET: _("Not yet met")},
            "myEntries": _("My entries"),
            "noEntries": _("You have no entries yet. Use \u201cWrite a new entry\u201d to start one."),
            "untitled": _("Untitled draft"),
            "view": _("View"),
            "edit": _("Edit"),
            "revise": _("Revise and resubmit"),
            "words": plural_forms(self, "{count} word (between {min} and {max} to submit)",
                                  "{count} words (between {min} and {max} to submit)"),
            "saved": _("Draft saved."),
            "autosave": {
                "savedAt": _("Saved at {time}"), "saving": _("Saving\u2026"),
                "notSaved": _("Not saved yet: {error}"), "offline": _("the server could not be reached"),
            },
            "closeUnsaved": _("Your latest changes could not be saved. Close the form and lose them?"),
            "delete": _("Delete"),
            "deleteLabel": _("Delete the draft {title}"),
            "deleteConfirm": _("Delete the draft \u201c{title}\u201d? This cannot be undone."),
            "deleted": _("Draft deleted."),
            "submitted": _("Entry submitted for marking."),
            "failed": _("Not saved: {error}"),
            "problemTitle": _("There is a problem"),
            "network": _("The server could not be reached. Your text is still in the form; try again."),
            "versionHeading": _("Version {number}, submitted {date}"),
            "activity": _("Activity on {date} ({type})"),
            "claims": _("Criteria claimed"),
            "feedbackHeading": _("Feedback from {marker}, {date}: {decision}"),
            "noFeedback": _("No feedback yet."),
            "overallFeedback": _("Overall feedback"),
            "workingCopy": _("You have unsubmitted changes to this entry (saved as a draft)."),
            "coverageSummary": _("{met} of {total} criteria met by passed entries."),
            "coverageMet": _("Met: {titles}"),
            "coverageNotYet": _("Not yet met"),
            "criterion": _("Criterion"),
            "status": _("Status"),
            "queueCaption": _("{status}: page {page} of {pages}"),
            "queueEmpty": _("No entries with this status."),
            "learner": _("Learner"),
            "title": _("Title"),
            "type": _("Type"),
            "submittedAt": _("Submitted"),
            "version": _("Version"),
            "referrals": _("Referrals"),
            "lockedBy": _("Being marked by"),
            "open": _("Open {title}"),
            "page": _("Page {page} of {pages}"),
            "markingHeading": _("{title} by {learner}"),
            "lockMine": _("You are marking this entry; no other tutor can mark it until {time} or until you close it."),
            "lockOther": _("{holder} is marking this entry until {time}. You can read it but not mark it."),
            "startMarking": _("Start marking"),
            "notWaiting": _("This entry is not waiting to be marked."),
            "markCriterion": _("{id}: {text}"),
            "comment": _("Comment on {id}"),
            "saveFeedback": _("Save feedback only"),
            "pass": _("Pass"),
            "refer": _("Refer"),
            "release": _("Release the lock"),
            "close": _("Close"),
            "marked": _("Saved: {decision}."),
            "released": _("Lock released."),
            "loading": _("Loading..."),
            "loadFailed": _("Could not load: {error}"),
            "audit": _("Audit trail"),
            "auditLine": _("{at}: {actor} ({role}) {action}, {from} \u2192 {to}, version {version}"),
            "portfolioHeading": _("Portfolio of {learner}"),
            "guidanceHeading": _("Marking guidance for {id}"),
            "guidanceMet": _("What \u201cmet\u201d looks like"),
            "guidanceExemplarMet": _("Exemplar: met"),
            "guidanceExemplarNotYet": _("Exemplar: not yet met"),
            "guidanceEvidence": _("Evidence required"),
            "downloadPortfolio": _("Download {learner}'s portfolio (HTML)"),
            "downloadProgramme": _("Download {learner}'s whole-programme portfolio (HTML)"),
            "programmeHeading": _("All of {learner}'s work in the course"),
            "programmeLogs": _("Reflective logs"),
            "programmeExercises": _("Facilitation exercises and action plans"),
            "programmeAssessments": _("Needs assessments"),
            "programmeNone": _("Nothing yet."),
            "programmeBlock": _("In {block}"),
            "programmeEntry": _("{title}: {status}, version {version}"),
            "programmeAttempt": _("Attempt {attempt}: {result}"),
            "programmeScore": _("{points} of {max} points, {result}"),
            "programmePassed": _("passed"),
            "programmeNotYet": _("not yet passed"),
            "programmeInProgress": _("in progress"),
            "programmePlanRow": _("{what} \u2014 {where} \u2014 {whom} \u2014 {when}"),
            "programmePlan": _("Action plan saved {date}"),
            "programmeAnswered": _("Attempt {attempt}, {date}: overall {overall}"),
            **self._evidence_strings(),
        }

    def _evidence_strings(self):
        """What the page says about evidence files, witness testimony, citations and the declaration."""
        _ = self._
        return {
            "files": _("Evidence files"),
            "noFiles": _("No files attached."),
            "fileLine": _("{name} ({type}, {size}, sha256 {sha})"),
            "download": _("Download {name}"),
            "remove": _("Remove {name}"),
            "removed": _("File removed."),
            "uploading": _("Uploading {name}…"),
            "uploaded": _("{name} attached."),
            "uploadProgress": _("Uploading {name}: {percent} per cent sent\u2026"),
            "uploadFailed": _("{name} was not attached: {error}"),
            "uploadNeedsDraft": _("Saving the draft first…"),
            "witnesses": _("Witness testimony"),
            "witnessLine": _("{name}, {role} ({relationship}), {date}"),
            "witnessConfirmed": _("The learner records that the witness confirmed this statement."),
            "witnessNotConfirmed": _("Not confirmed by the witness."),
            "witnessEmail": _("Witness email: {email}"),
            "citations": _("Records cited"),
            "citationGone": _("{kind} {id}: no longer available"),
            "declaration": _("Authenticity declaration"),
            "declared": _("Declared (version {version}) on {date}"),
            "sizeKb": _("{size} KB"),
            "downloadZip": _("Download {learner}'s evidence for the external verifier (zip: portfolio, manifest, files)"),
        }
