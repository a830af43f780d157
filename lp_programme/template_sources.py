"""
The sources of the downloadable templates (built by :mod:`course_content.downloads`).

Each template: ``name`` (the file name without extension), ``title``, ``page`` (the url_name of the course page
that links to it), ``body`` (blocks: ``("h", heading)``, ``("p", text)``, ``("prompt", guidance shown in
[square brackets] for the manager to replace)``, ``("list", [items])``, ``("fields", [labels])`` for a
label-and-blank table, ``("table", [columns], [rows])``) and optionally ``csv`` (``([columns], [rows])``) for a
spreadsheet version. Written from the seeds: the DfES tender specification (2002), the 2008 guidance on effective
working for local social partnerships, and the Tendring LSP working party's minutes (April 2008).
"""
from __future__ import annotations

ACTION_COLUMNS = ["What", "Where", "Whom", "When", "Progress at next meeting"]
IN_KIND_COLUMNS = ["Partner", "Cash or in kind", "What was contributed", "Quantity (e.g. hours, days, rooms)",
                   "Basis of the value (rate agreed by partners)", "Value (£)", "Agreed by", "Date recorded"]
BUDGET_COLUMNS = ["Budget line", "Funding source", "Budget for the year (£)", "Spent to date (£)",
                  "Committed (£)", "Forecast for the year (£)", "Variance (£)", "Comment"]
BLANK = [""]

TEMPLATES = [
    {
        "name": "terms-of-reference",
        "title": "Terms of reference",
        "page": "remit-text",
        "body": [
            ("p", "Terms of reference set out what the partnership is for, who belongs to it and how it works. "
                  "Draft them with partners, agree them formally at a meeting, and review them at least once a year."),
            ("fields", ["Name of the partnership", "Agreed at the meeting of", "Next review due"]),
            ("h", "1. Purpose"),
            ("prompt", "One or two sentences: why the partnership exists and what it adds that its members could "
                       "not achieve alone."),
            ("h", "2. Remit"),
            ("p", "The partnership concentrates its effort on:"),
            ("list", ["promoting collaboration between providers;",
                      "maximising the contribution of learning to local regeneration;",
                      "[local priorities agreed by partners]."]),
            ("prompt", "Under each heading, list what the partnership will do: influence (making sure its objectives "
                       "are taken into account in other local initiatives), oversight of progress (directing action "
                       "and addressing challenges) and support to its members."),
            ("h", "3. Boundaries with other local groups"),
            ("prompt", "Name the neighbouring partnerships and boards, what each covers, and how items are referred "
                       "between them."),
            ("h", "4. Membership and representation"),
            ("table", ["Organisation or sector", "Representative", "Deputy"], [BLANK * 3] * 6),
            ("prompt", "Say how technical experts are involved and the limits of their role, and how new members "
                       "receive an induction."),
            ("h", "5. Roles"),
            ("fields", ["Chair", "Vice-chair", "Partnership manager", "Accountable body"]),
            ("h", "6. Meetings"),
            ("prompt", "Frequency; how the agenda is agreed; when papers are sent out; how many members make a "
                       "meeting quorate; how actions are recorded (what, where, whom, when)."),
            ("h", "7. Decisions"),
            ("prompt", "How decisions are taken (consensus, then a vote?), how interests are declared, and what "
                       "the partnership may decide without referring to members' own organisations."),
            ("h", "8. Reporting and accountability"),
            ("prompt", "To whom the partnership reports, how often, and how the accountable body reports spending."),
        ],
    },
    {
        "name": "partnership-protocol",
        "title": "Partnership protocol",
        "page": "protocols-text",
        "body": [
            ("p", "A protocol is the partnership's agreed rules of engagement. Discuss each heading with partners, "
                  "record what you agree, and ask each member to sign it. Review it when membership changes."),
            ("fields", ["Partnership", "Agreed on", "Review due"]),
            ("h", "1. Focus and participation"),
            ("prompt", "The support each member gives to the partnership's remit; members' roles and "
                       "responsibilities; who attends meetings and when a deputy may attend; the part played by "
                       "technical experts."),
            ("h", "2. Ways of working"),
            ("prompt", "The trust and respect members expect of each other; how open members will be; what "
                       "information is shared with the group; how confidentiality is kept."),
            ("h", "3. Agreeing messages"),
            ("prompt", "How key messages are agreed before they are sent out, who speaks for the partnership, and "
                       "how and when members may voice disagreement in public."),
            ("h", "4. Managing conflict"),
            ("prompt", "The steps the partnership takes when members disagree, and what happens when a dispute "
                       "cannot be resolved in the meeting."),
            ("h", "5. Information and confidentiality"),
            ("prompt", "Which papers are confidential, how they are marked, and what a member does if "
                       "confidential information is disclosed."),
            ("h", "6. Signed by the members"),
            ("table", ["Organisation", "Name", "Signature", "Date"], [BLANK * 4] * 8),
        ],
    },
    {
        "name": "action-record",
        "title": "Action record",
        "page": "chairing-action-record-text",
        "csv": (ACTION_COLUMNS, [BLANK * len(ACTION_COLUMNS)] * 10),
        "body": [
            ("p", "Record every action agreed at the meeting under four headings: what is to be done, where (the "
                  "forum or organisation through which it happens), by whom, and by when. Go through the record at "
                  "the start of the next meeting: done, in hand or stuck."),
            ("fields", ["Meeting", "Date", "Minutes taken by"]),
            ("table", ACTION_COLUMNS, [BLANK * len(ACTION_COLUMNS)] * 10),
        ],
    },
    {
        "name": "in-kind-contribution-record",
        "title": "Record of partners' contributions in cash and in kind",
        "page": "budget-contributions-text",
        "csv": (IN_KIND_COLUMNS, [BLANK * len(IN_KIND_COLUMNS)] * 10),
        "body": [
            ("p", "Partners contribute to the running costs of the partnership in cash and in kind. Record each "
                  "contribution as it is made, value in-kind contributions at rates the partners have agreed, and "
                  "report the totals to partners with the budget."),
            ("fields", ["Partnership", "Financial year", "Rates agreed at the meeting of"]),
            ("table", IN_KIND_COLUMNS, [BLANK * len(IN_KIND_COLUMNS)] * 10),
            ("prompt", "Note the agreed rates here, e.g. officer time per hour, meeting room per half day."),
        ],
    },
    {
        "name": "budget-monitoring-report",
        "title": "Budget monitoring report",
        "page": "budget-monitoring-text",
        "csv": (BUDGET_COLUMNS, [BLANK * len(BUDGET_COLUMNS)] * 8 + [["Total"] + BLANK * 7]),
        "body": [
            ("fields", ["Report to", "From", "Period covered", "Date"]),
            ("h", "1. Summary"),
            ("prompt", "Three or four sentences: is spending on track, what has changed since the last report, "
                       "and what partners are asked to decide."),
            ("h", "2. Spending against budget"),
            ("table", BUDGET_COLUMNS, [BLANK * len(BUDGET_COLUMNS)] * 8 + [["Total"] + BLANK * 7]),
            ("h", "3. Contributions in kind"),
            ("prompt", "The value of partners' in-kind contributions to date, from the contributions record."),
            ("h", "4. Variances and risks"),
            ("prompt", "Explain each variance of more than the threshold partners have agreed, any funds that must "
                       "be spent by a deadline, and any conditions of funding at risk."),
            ("h", "5. Decisions needed"),
            ("prompt", "What partners are asked to agree, for example moving money between budget lines."),
        ],
    },
    {
        "name": "board-paper",
        "title": "Board paper",
        "page": "chairing-preparation-text",
        "body": [
            ("fields", ["Report to", "From", "Subject", "Date of meeting", "Agenda item"]),
            ("h", "1. Purpose"),
            ("prompt", "One sentence: for decision, for discussion or for information."),
            ("h", "2. Recommendations"),
            ("prompt", "What the board is asked to agree, as numbered recommendations that can be minuted as "
                       "decisions."),
            ("h", "3. Background"),
            ("prompt", "Only what members need to understand the item; refer to earlier papers rather than "
                       "repeating them."),
            ("h", "4. Discussion and options"),
            ("prompt", "The options considered, with the case for and against each."),
            ("h", "5. Implications"),
            ("fields", ["Financial", "Staffing and partners' time", "Equality and diversity", "Risks",
                        "Communications"]),
            ("h", "6. Actions proposed"),
            ("table", ACTION_COLUMNS[:4], [BLANK * 4] * 4),
        ],
    },
    {
        "name": "mentoring-agreement",
        "title": "Mentoring agreement",
        "page": "working-with-mentor-text",
        "body": [
            ("p", "Agree these points at your first meeting, so that mentor and mentee know what each expects. "
                  "Either of you may end the arrangement at any time without giving a reason."),
            ("fields", ["Mentee (partnership manager)", "Mentor", "Mentor's organisation and sector",
                        "Start date", "Review date"]),
            ("h", "1. What the mentee wants from the mentoring"),
            ("prompt", "Two or three aims linked to the mentee's development plan."),
            ("h", "2. How and when we will meet"),
            ("prompt", "How often, for how long, where or by what means, and who arranges each meeting."),
            ("h", "3. Confidentiality"),
            ("prompt", "What stays between mentor and mentee, and the limits (for example, a risk of harm)."),
            ("h", "4. Record of meetings"),
            ("table", ["Date", "What we discussed", "What the mentee will do", "By when"], [BLANK * 4] * 6),
            ("h", "5. Reviewing and ending the arrangement"),
            ("prompt", "When you will review whether the mentoring is working, and how you will end it well."),
            ("fields", ["Signed (mentee)", "Signed (mentor)", "Date"]),
        ],
    },
]
