"""`opencse rules timeframes`: the federal deadlines an event starts (design/rules-cli.md).

Input: `{"event": ..., "date": "YYYY-MM-DD", "jurisdiction": "WA"}` and optionally `as_of`.
The parameters (day counts, the calendar, agency closures) are those in force on the event `date`,
the day the clock starts, unless the caller gives `as_of` explicitly, for example to pick up an agency
closure announced after the event (docs/rules/timeframes.md, "Which date's rules").
"""

from __future__ import annotations

from datetime import date

from opencse.errors import InvalidInput
from opencse.rules.commands import RuleOutput
from opencse.rules.inputs import Reader
from opencse.rules.timeframes import timeframes

JURISDICTION_LENGTH_MAXIMUM = 10
NOTES = (
    "The event day is day 0: a 20-calendar-day clock from Tuesday 2026-12-22 ends on 2027-01-11.",
    "Working days are counted as business days: weekends, U.S. legal public holidays (observed dates), "
    "State holidays and agency closure days are not counted.",
    "A calendar-day deadline that falls on a closed day is not extended: act by the work_by date.",
    "For 'whichever is later' clocks (303.6(c)(2), 303.7(d)(5)(i), 303.8(e)) enter the later event.",
)


def run(payload: Reader, as_of: date) -> RuleOutput:
    """Read the event, call the timeframes rule (45 CFR 303) and shape the result."""
    event = payload.text("event", max_length=80)
    event_on = payload.date("date")
    jurisdiction = payload.text("jurisdiction", max_length=JURISDICTION_LENGTH_MAXIMUM).strip().upper()
    payload.reject_unknown()
    as_of_given = payload.has("as_of")
    parameters_on = as_of if as_of_given else event_on
    try:
        result = timeframes(event=event, event_on=event_on, jurisdiction=jurisdiction, as_of=parameters_on)
    except InvalidInput as exc:
        if exc.field == "as_of" and not as_of_given:
            raise InvalidInput(exc.message, field="date") from None
        raise
    return RuleOutput(
        rule="timeframes",
        as_of=parameters_on,
        result={
            "event": result.event,
            "date": result.event_on.isoformat(),
            "jurisdiction": result.jurisdiction,
            "deadlines": [deadline.as_dict() for deadline in result.deadlines],
        },
        explanation=result.explanation,
        parameters=result.parameters,
        title=f"Federal case-processing deadlines: {event} on {event_on.isoformat()} ({jurisdiction})",
        notes=NOTES,
    )
