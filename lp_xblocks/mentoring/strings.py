"""The texts the mentoring page's script shows, marked for translation (translated per request by the block)."""
from ..common.errors import N_

STRINGS = {
    "signIn": N_("Sign in to take part in the mentoring scheme."),
    "notPaired": N_("You have no mentor in this scheme yet. The programme's coordinator pairs each participant "
                    "with a mentor; you will find your mentor here once you are paired."),
    "yourMentor": N_("Your mentor: {mentor}"),
    "yourMentorOrg": N_("Your mentor: {mentor} ({organisation})"),
    "agreementTitle": N_("Mentoring agreement"),
    "agreementIntro": N_("Agree with your mentor what you want from mentoring, how often you will meet, what stays "
                         "confidential and the limits of the relationship, and when you will review it. You both "
                         "sign it; a change needs both signatures again."),
    "status_none": N_("No terms written yet."),
    "status_awaiting": N_("Version {version} awaits signatures."),
    "status_agreed": N_("Agreed: version {version}, signed by both."),
    "status_changed": N_("Version {version} awaits signatures; version {agreed} stays in force until both sign."),
    "goals": N_("Goals"), "frequency": N_("Meeting frequency"),
    "confidentiality": N_("Confidentiality and boundaries"), "review_date": N_("Review date"),
    "saveTerms": N_("Save the terms (both must sign again)"),
    "signAs": N_("Sign version {version}"),
    "signedBy": N_("{role} signed at {time}"),
    "mentee": N_("Mentee"), "mentor": N_("Mentor"), "organisation": N_("Mentor organisation"),
    "waiting": N_("Waiting for the other party to sign."),
    "sessionsTitle": N_("Session log"),
    "logTitle": N_("Log a session"), "editTitle": N_("Change session {number}"),
    "date": N_("Date"), "focus": N_("Focus"), "discussed": N_("What was discussed"),
    "actions": N_("Agreed actions"), "what": N_("What"), "where": N_("Where"), "whom": N_("Whom"),
    "when": N_("When"), "whenHelp": N_("When: a date (YYYY-MM-DD) or the word ongoing."),
    "addAction": N_("Add an action"), "removeAction": N_("Remove action {number}"),
    "saveSession": N_("Save the session"), "cancelEdit": N_("Cancel the change"),
    "noSessions": N_("No sessions logged yet."),
    "sessionHeading": N_("Session {number}: {focus} ({date})"),
    "state_logged": N_("Waiting for the mentor's confirmation"),
    "state_commented": N_("The mentor asked for a change"),
    "state_confirmed": N_("Confirmed by the mentor"),
    "mentorComment": N_("Mentor's comment: {comment}"),
    "edit": N_("Change session {number}"),
    "confirm": N_("Confirm session {number}"),
    "comment": N_("Comment"), "sendComment": N_("Ask for a change to session {number}"),
    "reviewTitle": N_("Closing review"),
    "goals_met": N_("Were your goals met?"), "yes": N_("Yes"), "partly": N_("Partly"), "no": N_("No"),
    "what_next": N_("What next"), "continue": N_("Will you continue the mentoring beyond the programme?"),
    "saveReview": N_("Save the review"), "reviewSaved": N_("Review saved at {time}"),
    "briefingTitle": N_("Mentor briefing"),
    "mentorTitle": N_("Your mentees"), "menteeHeading": N_("Mentee: {mentee}"),
    "noMentees": N_("You mentor nobody in this scheme."),
    "coordinatorTitle": N_("Pairs (coordinator)"),
    "coordinatorIntro": N_("Pairs and counts only: what is said in a session stays between mentee and mentor "
                           "unless the mentee cites it as evidence."),
    "pairsCaption": N_("Mentees, their mentors and progress"),
    "agreement": N_("Agreement"), "logged": N_("Sessions logged"), "confirmed": N_("Sessions confirmed"),
    "review": N_("Closing review"), "done": N_("done"), "notDone": N_("not yet"), "unpair": N_("Unpair {mentee}"),
    "agreement_none": N_("no terms yet"), "agreement_awaiting": N_("awaiting signatures"),
    "agreement_agreed": N_("signed by both"), "agreement_changed": N_("a change awaits signatures"),
    "noPairs": N_("Nobody is paired yet."),
    "pairTitle": N_("Pair a mentee"), "menteeUsername": N_("Mentee username"),
    "mentorUsername": N_("Mentor username"), "pairButton": N_("Pair them"),
    "uploadTitle": N_("Pair from a CSV file"),
    "uploadHelp": N_("One pair a line: mentee username, mentor username, and optionally the mentor's organisation."),
    "csvFile": N_("CSV file"), "uploadButton": N_("Upload the pairs"),
    "download": N_("Download the pairs as CSV"),
    "errorsTitle": N_("There is a problem"),
    "saving": N_("Saving..."), "savedAt": N_("Draft saved at {time}"), "restored": N_("Draft from {time} restored"),
    "notSaved": N_("Not saved: {error}"), "offline": N_("the server could not be reached"),
    "saved": N_("Saved."),
    "pairedCounts": N_("{created} paired, {changed} changed, {unchanged} unchanged."),
}


def page_strings(gettext) -> dict:
    """Every string above in the user's language."""
    return {key: gettext(value) for key, value in STRINGS.items()}
