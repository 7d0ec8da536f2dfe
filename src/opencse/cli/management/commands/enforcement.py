"""Enforcement batches (docs/enforcement.md), each idempotent, as the system actor:

- `opencse enforcement withhold --as-of DATE [--dry-run]`: an income withholding order to every verified employer
  of an obligor that has none on the case;
- `opencse enforcement sweep --as-of DATE`: find the delinquent cases (45 CFR 303.6(b)) and propose the remedies
  each qualifies for, for an officer with signature authority to approve;
- `opencse enforcement eiwo-employer FEIN --since DATE`: the employer takes income withholding orders electronically;
- `opencse enforcement eiwo --on DATE --out DIR`: the e-IWO file of the orders dated DATE to e-IWO employers;
- `opencse enforcement eiwo-ack FILE --received-on DATE`: record the employers' acknowledgments;
- `opencse enforcement compliance --as-of DATE [--stale-after-days N]`: a task for each order in force whose
  employer's payment has not arrived (docs/enforcement.md);
- `opencse enforcement fop --as-of DATE --out DIR`: the Federal Offset case submission file (adds, modifies,
  exclusion replaces, deletes) of the obligors certified for federal tax refund and administrative offset
  (45 CFR 303.72) and passport denial (42 U.S.C. 652(k));
- `opencse enforcement fop-collections FILE --received-on DATE`: post the offsets of a Collection and
  Adjustment file (`enforcement.offset`);
- `opencse enforcement fop-rejects FILE --received-on DATE`: record OCSE's rejects of the case submissions on the
  records sent, a task to each case's officer (`enforcement.offset_returns`; idempotent);
- `opencse enforcement fop-reconciliation FILE --received-on DATE`: compare OCSE's Case Reconciliation file with
  what was last sent and keep the differences (idempotent);
- `opencse enforcement state-offset-file --on DATE --out DIR`: the State tax refund offset certification file
  (adds, updates, deletes) to the State's revenue department (`enforcement.state_offset`, idempotent);
- `opencse enforcement state-offset-collections FILE --received-on DATE`: post the revenue department's
  offsets (idempotent);
- `opencse enforcement fidm-import FILE --received-on DATE`: keep the quarterly financial institution data match's
  accounts on the obligors it names (42 U.S.C. 666(a)(17); `enforcement.fidm`; idempotent);
- `opencse enforcement credit-report --as-of DATE --out DIR`: the month's Metro 2 file to the consumer reporting
  agencies of the obligors with credit bureau reporting taken (42 U.S.C. 666(a)(7); `enforcement.credit_reporting`);
- `opencse enforcement license-file --on DATE --out DIR`: per licensing agency, the day's license certification
  file (suspensions and releases not yet sent: 42 U.S.C. 666(a)(16); `enforcement.licenses`);
- `opencse enforcement license-response FILE --received-on DATE`: record a licensing agency's answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cli.arguments import iso_date
from opencse.cli.files import add_file_arguments, existing_file, write_rejected_lines
from opencse.enforcement.batch import send_due_withholdings
from opencse.enforcement.compliance import STALE_AFTER_DAYS, check_employer_compliance
from opencse.enforcement.credit_reporting import report_to_credit_bureaus
from opencse.enforcement.eiwo import mark_eiwo_employer, record_acknowledgments, write_eiwo_file
from opencse.enforcement.fidm import import_fidm_file
from opencse.enforcement.intercept_batch import run_benefit_intercepts
from opencse.enforcement.licenses import read_license_response, write_license_files
from opencse.enforcement.offset import build_submission, import_collections
from opencse.enforcement.offset_returns import read_reconciliation, read_rejects
from opencse.enforcement.state_offset import build_certification, import_offsets
from opencse.enforcement.sweep import sweep
from opencse.errors import DomainError
from opencse.people.models import Employer
from opencse.people.services import normalized_fein
from opencse.security.services import system_actor


class Command(BaseCommand):
    help = (
        "Enforcement batches: income withholding orders (45 CFR 303.100), the delinquency sweep (303.6), and the"
        " remedies' files with the federal offset program, employers, credit bureaus, licensing agencies, financial"
        " institutions, the revenue department and the unemployment agency."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        withhold = actions.add_parser("withhold", help="send the income withholding orders due (idempotent)")
        withhold.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        withhold.add_argument("--dry-run", action="store_true", help="list the orders due without sending them")
        swept = actions.add_parser("sweep", help="propose the remedies delinquent cases qualify for (idempotent)")
        swept.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        marked = actions.add_parser("eiwo-employer", help="mark an employer (by FEIN) as taking e-IWO")
        marked.add_argument("fein")
        marked.add_argument("--since", required=True, type=iso_date, help="from this date (YYYY-MM-DD)")
        written = actions.add_parser("eiwo", help="write the e-IWO file of the orders dated DATE (idempotent)")
        written.add_argument("--on", required=True, type=iso_date, help="the orders' date (YYYY-MM-DD)")
        written.add_argument("--out", required=True, type=Path, help="the directory to write the file in")
        acked = actions.add_parser("eiwo-ack", help="record an employer acknowledgment file (idempotent)")
        add_file_arguments(acked, received_on_required=True, received_on_help="the date received (YYYY-MM-DD)")
        checked = actions.add_parser("compliance", help="a task for each employer payment that has not arrived")
        checked.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        checked.add_argument("--stale-after-days", type=int, default=STALE_AFTER_DAYS,
                             help=f"days without a withholding payment (default {STALE_AFTER_DAYS})")  # fmt: skip
        offset = actions.add_parser("fop", help="write the Federal Offset case submission file (idempotent)")
        offset.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        offset.add_argument("--out", required=True, type=Path, help="the directory to write the file in")
        back = actions.add_parser("fop-collections", help="post a Federal Offset collection file (idempotent)")
        add_file_arguments(back, file_help="the Collection and Adjustment file", received_on_required=True,
                           received_on_help="the business date it arrived")  # fmt: skip
        rejects = actions.add_parser("fop-rejects", help="record a Federal Offset rejected case file (idempotent)")
        add_file_arguments(rejects, file_help="the Rejected Case Submission and Update file", received_on_required=True,
                           received_on_help="the business date it arrived")  # fmt: skip
        reconciled = actions.add_parser("fop-reconciliation", help="compare a Federal Offset case reconciliation file "
                                        "with what was sent (idempotent)")  # fmt: skip
        add_file_arguments(reconciled, file_help="the Case Reconciliation file", received_on_required=True,
                           received_on_help="the business date it arrived")  # fmt: skip
        state = actions.add_parser("state-offset-file", help="write the State tax refund offset certification file "
                                   "(idempotent)")  # fmt: skip
        state.add_argument("--on", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        state.add_argument("--out", required=True, type=Path, help="the directory to write the file in")
        setoff = actions.add_parser("state-offset-collections", help="post a State revenue department offset file "
                                    "(idempotent)")  # fmt: skip
        add_file_arguments(setoff, file_help="the revenue department's offset file (CSV)", received_on_required=True,
                           received_on_help="the business date it arrived")  # fmt: skip
        matched = actions.add_parser("fidm-import", help="keep a financial institution data match file (idempotent)")
        add_file_arguments(matched, file_help="the match file (A, B and T records)", received_on_required=True,
                           received_on_help="the business date it arrived")  # fmt: skip
        credit = actions.add_parser("credit-report", help="write the month's Metro 2 credit bureau file (idempotent)")
        credit.add_argument("--as-of", required=True, type=iso_date, help="the business date reported (YYYY-MM-DD)")
        credit.add_argument("--out", required=True, type=Path, help="the directory to write the file in")
        licensed = actions.add_parser("license-file", help="write the day's license certification files (idempotent)")
        licensed.add_argument("--on", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        licensed.add_argument("--out", required=True, type=Path, help="the directory to write the files in")
        answered = actions.add_parser("license-response", help="record a licensing agency's response (idempotent)")
        add_file_arguments(answered, file_help="the agency's response file", received_on_required=True,
                           received_on_help="the business date it arrived")  # fmt: skip
        benefit = actions.add_parser("benefit-intercept", help="intercept unemployment and workers' compensation "
                                     "(idempotent)")  # fmt: skip
        benefit.add_argument("--on", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        handlers = {"sweep": self._sweep, "eiwo-employer": self._mark, "eiwo": self._eiwo,
                    "eiwo-ack": self._ack, "compliance": self._compliance,
                    "credit-report": self._credit_report, "license-file": self._license_file,
                    "license-response": self._license_response,
                    "fop-rejects": self._fop_rejects, "fop-reconciliation": self._fop_reconciliation,
                    "benefit-intercept": self._benefit_intercept, "fidm-import": self._fidm_import,
                    "state-offset-file": self._state_offset_file,
                    "state-offset-collections": self._state_offset_collections}  # fmt: skip
        if action in handlers:
            try:
                handlers[action](options)
            except DomainError as error:
                raise CommandError(error.message, returncode=2) from None
            return
        if action in ("fop", "fop-collections"):
            try:
                self._offset(action, options)
            except DomainError as error:
                raise CommandError(error.message, returncode=2) from None
            return
        assert action == "withhold", action
        try:
            result = send_due_withholdings(as_of=options["as_of"], dry_run=options["dry_run"])
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        for number, employer, reason in result.refused:
            self.stdout.write(f"  {number} {employer}: {reason}")
        self.stdout.write(
            f"enforcement withhold as of {options['as_of']}: {len(result.sent)} orders sent, "
            f"{len(result.refused)} not sent{' (dry run)' if options['dry_run'] else ''}, {len(result.held)} held by "
            "an exception to immediate withholding"
        )

    def _sweep(self, options: dict[str, Any]) -> None:
        try:
            result = sweep(as_of=options["as_of"])
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        for remedy, count in sorted(result.by_remedy.items()):
            self.stdout.write(f"  {remedy}: {count}")
        self.stdout.write(
            f"enforcement sweep as of {options['as_of']}: {result.cases_checked} cases checked, "
            f"{result.delinquent} delinquent, {result.proposed} actions proposed"
        )

    def _benefit_intercept(self, options: dict[str, Any]) -> None:
        result = run_benefit_intercepts(on=options["on"])
        for who, why in result.held:
            self.stdout.write(f"  held {who}: {why}")
        for number, why in result.refused:
            self.stdout.write(f"  not sent {number}: {why}")
        self.stdout.write(
            f"enforcement benefit-intercept on {options['on']}: {len(result.sent)} intercepts sent, "
            f"{len(result.ended)} ended, {len(result.held)} held, {len(result.refused)} not sent"
        )

    def _mark(self, options: dict[str, Any]) -> None:
        employer = Employer.objects.filter(fein=normalized_fein(options["fein"])).order_by("pk").first()
        if employer is None:
            raise CommandError(f"No employer has FEIN {options['fein']}.", returncode=2)
        marked = mark_eiwo_employer(actor=system_actor(), employer=employer, since=options["since"])
        self.stdout.write(f"{employer.name} takes e-IWO since {marked.since:%m/%d/%Y}")

    def _eiwo(self, options: dict[str, Any]) -> None:
        result = write_eiwo_file(actor=system_actor(), on=options["on"], out_dir=options["out"])
        for number, why in result.skipped:
            self.stdout.write(f"  {number}: not sent electronically: {why}")
        if result.file is None:
            self.stdout.write(f"enforcement eiwo on {options['on']}: no order to send electronically")
            return
        self.stdout.write(
            f"enforcement eiwo on {options['on']}: {result.file.orders} orders in {result.path} "
            f"(control number {result.file.control_number})"
        )

    def _ack(self, options: dict[str, Any]) -> None:
        path = existing_file(options["file"], returncode=2)
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None
        result = record_acknowledgments(actor=system_actor(), text=text, filename=path.name,
                                        received_on=options["received_on"])  # fmt: skip
        write_rejected_lines(self.stdout, ((line.line_number, line.problem) for line in result.problems), label="line")
        self.stdout.write(
            f"enforcement eiwo-ack {path.name}: {result.accepted} accepted, {result.rejected} rejected, "
            f"{result.notices} employer notices, {result.already} already recorded, "
            f"{len(result.problems)} lines not recorded"
        )

    def _fidm_import(self, options: dict[str, Any]) -> None:
        path = existing_file(options["file"], returncode=2)
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None
        result = import_fidm_file(actor=system_actor(), text=text, filename=path.name,
                                  received_on=options["received_on"])  # fmt: skip
        write_rejected_lines(self.stdout, ((p.line_number, p.problem) for p in result.problems), label="line")
        if result.already:
            self.stdout.write(f"enforcement fidm-import {path.name}: already read on "
                              f"{result.fidm_import.imported_at:%m/%d/%Y}; nothing added")  # fmt: skip
            return
        self.stdout.write(
            f"enforcement fidm-import {path.name}: {result.matches} matches kept, {result.accounts_new} new accounts, "
            f"{result.balances_new} new balances, {len(result.problems)} lines not kept"
        )

    def _compliance(self, options: dict[str, Any]) -> None:
        result = check_employer_compliance(as_of=options["as_of"], stale_after_days=options["stale_after_days"])
        self.stdout.write(
            f"enforcement compliance as of {options['as_of']}: {result.checked} orders in force checked, "
            f"{len(result.overdue)} payments overdue"
        )

    def _offset(self, action: str, options: dict[str, Any]) -> None:
        if action == "fop":
            result = build_submission(actor=system_actor(), as_of=options["as_of"], out_dir=options["out"])
            for number, reason in result.not_certified:
                self.stdout.write(f"  {number}: not certified: {reason}")
            written = f"written to {result.path}" if result.path else "nothing changed, no file written"
            self.stdout.write(
                f"federal offset submission as of {options['as_of']}: {result.adds} adds, {result.modifies} "
                f"modifies, {result.replaces} exclusion replaces, {result.deletes} deletes, {result.names} name "
                f"changes, {result.local_codes} local code changes, {result.addresses} address changes; {written}"
            )
            return
        path = existing_file(options["file"], returncode=2)
        done = import_collections(actor=system_actor(), path=path, received_on=options["received_on"])
        rejected = done.rejections.order_by("line_number").values_list("line_number", "reason")
        write_rejected_lines(self.stdout, rejected, label="line")
        self.stdout.write(
            f"federal offset collections {done.file_name}: {done.records} records, {done.posted} posted, "
            f"{done.suspended} in suspense, {done.duplicates} already imported, {done.notices} adjustments, "
            f"{done.rejected} rejected"
        )

    def _fop_rejects(self, options: dict[str, Any]) -> None:
        path = existing_file(options["file"], returncode=2)
        result = read_rejects(actor=system_actor(), path=path, received_on=options["received_on"])
        write_rejected_lines(self.stdout, result.problems, label="line")
        done = result.file
        if result.already_read:
            self.stdout.write(f"federal offset rejects {path.name}: already read on {done.read_at:%m/%d/%Y}, "
                              "nothing recorded")  # fmt: skip
            return
        self.stdout.write(
            f"federal offset rejects {path.name}: {done.recorded} rejects recorded, {done.already} already recorded, "
            f"{done.problems} lines not recorded"
        )

    def _fop_reconciliation(self, options: dict[str, Any]) -> None:
        path = existing_file(options["file"], returncode=2)
        result = read_reconciliation(actor=system_actor(), path=path, received_on=options["received_on"])
        write_rejected_lines(self.stdout, result.problems, label="line")
        for difference in result.differences:
            where = f"line {difference.line_number}" if difference.line_number else "OpenCSE"
            self.stdout.write(f"  {where} ({difference.case_type}): {difference.get_kind_display()}: OCSE "
                              f"{difference.at_ocse}, OpenCSE {difference.in_opencse}")  # fmt: skip
        done = result.file
        already = f" (already read on {done.read_at:%m/%d/%Y}, nothing added)" if result.already_read else ""
        self.stdout.write(
            f"federal offset reconciliation {path.name}: {done.recorded} cases compared, {done.differences} "
            f"differences, {done.problems} lines not read{already}"
        )

    def _state_offset_file(self, options: dict[str, Any]) -> None:
        result = build_certification(actor=system_actor(), on=options["on"], out_dir=options["out"])
        for number, reason in result.not_certified:
            self.stdout.write(f"  {number}: not certified: {reason}")
        written = f"written to {result.path}" if result.path else "nothing changed, no file written"
        self.stdout.write(
            f"state tax offset certification on {options['on']}: {result.adds} adds, {result.updates} updates, "
            f"{result.deletes} deletes; {written}"
        )

    def _state_offset_collections(self, options: dict[str, Any]) -> None:
        path = existing_file(options["file"], returncode=2)
        done = import_offsets(actor=system_actor(), path=path, received_on=options["received_on"])
        rejected = done.rejections.order_by("line_number").values_list("line_number", "reason")
        write_rejected_lines(self.stdout, rejected, label="line")
        self.stdout.write(
            f"state tax offset collections {done.file_name}: {done.records} records, {done.posted} posted, "
            f"{done.suspended} in suspense, {done.duplicates} already imported, {done.rejected} rejected"
        )

    def _credit_report(self, options: dict[str, Any]) -> None:
        result = report_to_credit_bureaus(actor=system_actor(), as_of=options["as_of"], out_dir=options["out"])
        for obligor_id, reason in result.not_reported:
            self.stdout.write(f"  person {obligor_id}: not reported: {reason}")
        if result.already_reported:
            written = "the month was already reported, no file written"
        else:
            written = f"written to {result.path}" if result.path else "no account to report, no file written"
        self.stdout.write(
            f"credit bureau report as of {options['as_of']}: {result.accounts} accounts ({result.closed} closed, "
            f"{result.deleted} deleted); {written}"
        )

    def _license_file(self, options: dict[str, Any]) -> None:
        result = write_license_files(actor=system_actor(), on=options["on"], out_dir=options["out"])
        for path in result.paths:
            self.stdout.write(f"  {path}")
        written = f"{len(result.paths)} files written" if result.paths else "nothing to send, no file written"
        self.stdout.write(
            f"license certification on {options['on']}: {result.suspensions} suspensions, {result.releases} "
            f"releases; {written}"
        )

    def _license_response(self, options: dict[str, Any]) -> None:
        path = existing_file(options["file"], returncode=2)
        result = read_license_response(actor=system_actor(), path=path, received_on=options["received_on"])
        write_rejected_lines(self.stdout, result.problems, label="line")
        if result.already_read:
            self.stdout.write(f"license response {path.name}: already read on {result.file.read_at:%m/%d/%Y}, "
                              "nothing recorded")  # fmt: skip
            return
        self.stdout.write(
            f"license response {path.name}: {result.recorded} answers recorded, {result.already} already recorded, "
            f"{len(result.problems)} lines not recorded"
        )
