"""Chinese (default) and English: the locale choice, the language switch, and the words for the
API's values (statuses, stages, channels, ...) and its validation messages.

The msgids are English; `translations/zh` holds the Chinese. The choice lives in a `lang` cookie,
not the session, so a public page needs no session to be shown in English.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import Blueprint, Flask, redirect, request
from flask_babel import Babel, format_date, format_datetime, get_locale, to_user_timezone
from flask_babel import lazy_gettext as _l

LOCALES = ("zh", "en")
LANG_COOKIE = "lang"
bp = Blueprint("i18n", __name__)

LABELS = {
    "status": {
        "in_review": _l("In review"),
        "returned": _l("Returned for revision"),
        "approved": _l("Approved"),
        "rejected": _l("Rejected"),
        "withdrawn": _l("Withdrawn"),
        "on_notice": _l("On public notice"),
        "appointed": _l("Appointed"),
        "rejected_by_objection": _l("Rejected: objection upheld"),
    },
    "stage": {
        "unit": _l("Unit Party organization"),
        "org_department": _l("Organization department"),
        "secretary": _l("Party secretary"),
    },
    "channel": {
        "unit": _l("Through my unit's Party organization"),
        "org_department": _l("Directly to the organization department"),
        "secretary": _l("Directly to the Party secretary"),
        "direct": _l("Direct appointment"),
    },
    "decision": {"approve": _l("Approve"), "return": _l("Return for revision"), "reject": _l("Reject")},
    "role": {
        "cadre": _l("Cadre"),
        "unit_reviewer": _l("Unit reviewer"),
        "org_reviewer": _l("Organization-department reviewer"),
        "secretary": _l("Party secretary"),
        "hotline_operator": _l("Hotline operator"),
        "supervision_officer": _l("Supervision officer"),
        "custodian": _l("Identity custodian"),
        "admin": _l("Administrator"),
        "public": _l("Member of the public"),
        "reporter": _l("The reporter"),
        "system": _l("The system (deadline timer)"),
    },
    "case_status": {
        "received": _l("Received"),
        "dismissed": _l("Dismissed"),
        "investigating": _l("Investigating"),
        "found": _l("Finding made"),
        "rectifying": _l("Rectifying"),
        "evaluating": _l("Evaluating the effect"),
        "closed": _l("Closed"),
    },
    "kind": {
        "cadre": _l("A lying-flat cadre"),
        "matter": _l("A pain point in a unit's work"),
        "objection": _l("An objection to a nomination on notice"),
    },
    "result": {
        "substantiated": _l("Substantiated"),
        "partly": _l("Partly substantiated"),
        "unsubstantiated": _l("Unsubstantiated"),
    },
    "outcome": {
        "adjust": _l("Adjust (post changed)"),
        "warn": _l("Warn"),
        "educate": _l("Educate"),
        "none": _l("None"),
    },
    "channel_case": {"web": _l("Web"), "hotline": _l("Hotline")},
    "metric": {
        "received": _l("Received"),
        "substantiated": _l("Substantiated"),
        "rectified": _l("Rectified"),
        "reopened": _l("Reopened"),
    },
    "breakdown": {
        "items": _l("By category and unit"),
        "by_category": _l("By category"),
        "by_unit": _l("By unit"),
        "by_kind": _l("By kind"),
    },
    "action": {
        "received": _l("Received"),
        "accept": _l("Accepted"),
        "dismiss": _l("Dismissed"),
        "finding": _l("Finding made"),
        "order": _l("Rectification ordered"),
        "report": _l("Rectification reported"),
        "evaluate": _l("Effect evaluated"),
        "message": _l("Message"),
        "identity": _l("Identity revealed to the custodian"),
    },
    "from": {"reporter": _l("You / the reporter"), "officer": _l("Supervision officer")},
    "event": {
        "ClueReceived": _l("Received"),
        "CaseAccepted": _l("Accepted"),
        "CaseDismissed": _l("Dismissed"),
        "FindingRecorded": _l("Finding made"),
        "RectificationOrdered": _l("Rectification ordered"),
        "RectificationReported": _l("Rectification reported"),
        "RectificationConfirmed": _l("Rectification confirmed effective"),
        "RectificationReopened": _l("Rectification not effective: ordered again"),
        "RectificationOverdue": _l("Rectification overdue"),
        "EducationCompleted": _l("Education done"),
        "MessageSentToReporter": _l("Message to the reporter"),
        "MessageReceivedFromReporter": _l("Message from the reporter"),
        "IdentityAccessed": _l("Identity revealed to the custodian"),
        "CommitmentPublished": _l("Commitment published"),
        "NominationSubmitted": _l("Submitted"),
        "NominationRevised": _l("Revised"),
        "NominationWithdrawn": _l("Withdrawn"),
        "StageApproved": _l("Stage approved"),
        "NominationReturned": _l("Returned for revision"),
        "NominationRejected": _l("Rejected"),
        "NominationApproved": _l("Approved"),
        "NominationOnNotice": _l("Put on public notice"),
        "StageOverdue": _l("Stage overdue"),
        "Appointed": _l("Appointed"),
        "ObjectionUpheld": _l("Objection upheld"),
    },
}

# marshmallow's messages, as the services send them, and their translations
MESSAGES = (
    (re.compile(r"^Missing data for required field\.$"), _l("This field is required.")),
    (re.compile(r"^Field may not be null\.$"), _l("This field is required.")),
    (re.compile(r"^Length must be between (1) and (\d+)\.$"), _l("This field is required; at most %(b)s.")),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), _l("Length must be between %(a)s and %(b)s.")),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), _l("At most %(a)s characters.")),
    (re.compile(r"^Must be one of: .*\.$"), _l("Choose one of the options.")),
    (re.compile(r"^Not a valid (integer|number)\.$"), _l("Enter a number.")),
    (re.compile(r"^Unknown field\.$"), _l("This field is not expected here.")),
    (re.compile(r"^required for action \w+$"), _l("This field is required.")),
    (re.compile(r"^not a field of action \w+$"), _l("This field is not expected here.")),
    (re.compile(r"^(must not be blank|required for this kind of clue)$"), _l("This field is required.")),
    (re.compile(r"^is required unless the clue is anonymous$"), _l("Give your name and phone, or report anonymously.")),
    (re.compile(r"^must be left out of an anonymous clue$"), _l("Leave this out when you report anonymously.")),
    (re.compile(r"^is not a configured category of kind \w+$"), _l("Choose a category of this kind.")),
    (re.compile(r"^must be a telephone number"), _l("Enter a telephone number (digits, spaces, dashes, brackets, +).")),
    (
        re.compile(r"^Must be greater than or equal to (\d+) and less than or equal to (\d+)\.$"),
        _l("Enter a number from %(a)s to %(b)s."),
    ),
    (
        re.compile(r"^must be a whole number of working days from (\d+) to (\d+)$"),
        _l("Enter a whole number of working days from %(a)s to %(b)s."),
    ),
    (
        re.compile(r"^goes only with a substantiated or partly finding$"),
        _l("Only with a substantiated or partly substantiated finding."),
    ),
    (
        re.compile(r"^must be none unless a cadre case is substantiated or partly$"),
        _l("Choose none unless a clue about a cadre is substantiated or partly substantiated."),
    ),
    (re.compile(r"^links a cadre case to its cadre"), _l("Only a clue about a cadre is linked to a cadre.")),
    (re.compile(r"^must be a non-empty list of unit ids$"), _l("Name at least one unit.")),
    (re.compile(r"^must be 16 digits$"), _l("A receipt is 16 digits.")),
)


def select_locale() -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LOCALES else "zh"


def _shown(value: object) -> object:
    """What `{{ value }}` prints: nothing for None (a redacted text of an erased person is null)."""
    return "" if value is None else value


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh")
    Babel(app, locale_selector=select_locale)
    app.jinja_env.finalize = _shown
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["deadline"] = deadline
    app.jinja_env.filters["nomination_status"] = nomination_status
    app.jinja_env.filters["event_key"] = event_key
    app.jinja_env.filters["message"] = message
    app.jinja_env.filters["options"] = options
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "zh")
    app.register_blueprint(bp)


def label(value: object, kind: str) -> str:
    """The words for an API value of `kind`; the value itself when we have none."""
    if value is None or value == "":
        return "—"
    return str(LABELS.get(kind, {}).get(str(value), value))


def nomination_status(nomination: dict) -> str:
    """The status words a person expects: `approved` is an appointment once one was recorded, and
    a rejection after an upheld objection says so."""
    status = str(nomination.get("status") or "")
    if status == "approved" and nomination.get("appointed_at"):
        return "appointed"
    if status == "rejected" and nomination.get("objection_case"):
        return "rejected_by_objection"
    return status


def event_key(event_type: str, payload: dict | None = None) -> str:
    """The label key of an event of the trail: since public notice (schema version 2), the last
    approval puts the nomination on notice (it names `notice_ends_at`); an approval of version 1
    was final and is labelled so."""
    if event_type == "NominationApproved" and (payload or {}).get("notice_ends_at"):
        return "NominationOnNotice"
    return event_type


def category_title(category: dict) -> str:
    """A configured category's title in the page's language (the services send `title`, `title_zh`)."""
    if str(get_locale() or "zh") == "zh" and category.get("title_zh"):
        return str(category["title_zh"])
    return str(category.get("title") or category.get("id") or "")


def options(values, kind: str) -> list[tuple[str, str]]:
    """(value, words) pairs for a select or a group of radio buttons."""
    return [(value, label(value, kind)) for value in values]


def message(text: str) -> str:
    """A validation message of a service, in the page's language where we know it."""
    for pattern, translated in MESSAGES:
        match = pattern.match(text)
        if match:
            groups = match.groups()
            return str(translated) % {"a": groups[0] if groups else "", "b": groups[1] if len(groups) > 1 else ""}
    return text


def when(value: str | None, pattern: str = "yyyy-MM-dd HH:mm") -> str:
    """An ISO time of the API, in the site's time zone."""
    if not value:
        return "—"
    try:
        return format_datetime(datetime.fromisoformat(value), pattern)
    except ValueError:
        return value


def deadline(value: str | None) -> str:
    """A deadline of the API, in the site's time zone. Deadlines end at midnight local time (the
    end of the n-th working day), which reads as "24:00" of that day, not as 00:00 of the next."""
    if not value:
        return "—"
    try:
        moment = to_user_timezone(datetime.fromisoformat(value))
    except ValueError:
        return value
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return format_date(moment - timedelta(days=1), "yyyy-MM-dd") + " 24:00"
    return format_datetime(moment, "yyyy-MM-dd HH:mm")


@bp.get("/language/<lang>")
def switch(lang: str):
    """Remember the chosen language (a cookie) and go back where the visitor was."""
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = redirect(target)
    if lang in LOCALES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
