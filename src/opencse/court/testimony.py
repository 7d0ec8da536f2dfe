"""The testimony pack: what an officer takes to the stand, printed in one click as one stored PDF — the
case summary, the certified payment history and the arrears computation, each stored on its own too."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from opencse.cases.models import Case
from opencse.court.items import history_start, print_arrears_computation, print_case_summary
from opencse.documents.assembly import store_assembled_document
from opencse.documents.models import Document
from opencse.ledger.history import certify_payment_history
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

KIND = "testimony_pack"


@transaction.atomic
def print_testimony_pack(*, actor: User, case: Case, as_of: date, printed_on: date) -> Document:
    """The three exhibits as of `as_of`, printed on `printed_on`, and the pack joining them (stored)."""
    require(actor, "court.testimony", case)
    parts = [
        print_case_summary(actor=actor, case=case, as_of=as_of, dated_on=printed_on),
        certify_payment_history(
            actor=actor, case=case, start=min(history_start(case), as_of), end=as_of, certified_on=printed_on
        ),
        print_arrears_computation(actor=actor, case=case, as_of=as_of, dated_on=printed_on),
    ]
    pack = store_assembled_document(actor=actor, case=case, kind=KIND, title=f"Testimony Pack, case {case.number}",
                                    subject=f"as of {as_of.isoformat()}", dated_on=printed_on, parts=parts)  # fmt: skip
    record_audit(actor=actor, action="testimony_pack.printed", target=pack, case_number=case.number,
                 summary=f"as of {as_of:%m/%d/%Y}, {pack.page_count} pages")  # fmt: skip
    return pack
