"""Forms of the directory of other IV-D agencies: the filter, registering or editing an agency, and linking
a case to one.

They parse and type the input; `opencse.cases.agencies` decides what is valid (routing number checksum,
FIPS code, both or neither of routing and account), and its refusals come back beside the field
(`opencse.web.common.forms.add_domain_error`). The account number is typed twice and never filled back in.
"""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.cases.agencies import AgencyInput
from opencse.cases.models import AgencyKind, OtherAgency
from opencse.web.common.forms import UswdsForm
from opencse.web.disbursement.forms import AccountNumberInput

ACCOUNT_ATTRS = {"autocomplete": "off", "inputmode": "numeric"}


class AgencyFilterForm(UswdsForm):
    name = forms.CharField(label="Name", max_length=120, required=False, help_text="Part of the name")
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "- Any -"), *AgencyKind.choices])


class AgencyForm(UswdsForm):
    """Register an agency, or edit one (`agency` given): on edit an empty account number keeps the account
    on file, and "Remove the bank account" makes the agency paid by check."""

    name = forms.CharField(label="Name", max_length=120, help_text="e.g. Texas Office of the Attorney General")
    kind = forms.ChoiceField(label="Kind", choices=[("", "- Select -"), *AgencyKind.choices])
    fips_code = forms.CharField(
        label="FIPS code", max_length=7, help_text="State + county + local, 5 to 7 characters (e.g. 48000)"
    )
    routing_number = forms.CharField(
        label="Routing number",
        max_length=9,
        required=False,
        help_text="The 9-digit ABA number of the agency's remittance account; empty: the agency is paid by check",
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=17,
        required=False,
        help_text="4 to 17 letters or digits",
        widget=AccountNumberInput(attrs=ACCOUNT_ATTRS),
    )
    account_number_again = forms.CharField(
        label="Account number again",
        max_length=17,
        required=False,
        help_text="Type it again, to catch a typing mistake",
        widget=AccountNumberInput(attrs=ACCOUNT_ATTRS),
    )
    remove_account = forms.BooleanField(label="Remove the bank account: pay this agency by check", required=False)
    address_line1 = forms.CharField(label="Check address, line 1", max_length=120, required=False)
    address_line2 = forms.CharField(label="Check address, line 2", max_length=120, required=False)
    address_line3 = forms.CharField(
        label="Check address, line 3", max_length=120, required=False, help_text="City, state and postal code"
    )
    active = forms.BooleanField(
        label="Active (an inactive agency is kept but no longer paid)", required=False, initial=True
    )

    def __init__(self, *args: Any, agency: OtherAgency | None = None, **kwargs: Any) -> None:
        if agency is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(agency, name) for name in AGENCY_INITIAL}
        super().__init__(*args, **kwargs)
        self.agency = agency
        if agency is None or not agency.has_bank_account:
            del self.fields["remove_account"]
        else:
            keep = f"Leave empty to keep the account on file (****{agency.account_last4})"
            self.fields["account_number"].help_text = f"{keep}; or 4 to 17 letters or digits"

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        first, again = cleaned.get("account_number"), cleaned.get("account_number_again")
        if (first or again) and first != again:
            self.add_error("account_number_again", "does not match the account number")
        return cleaned

    def agency_input(self) -> AgencyInput:
        data = self.cleaned_data
        account: str | None = str(data["account_number"]).strip()
        routing = str(data["routing_number"]).strip()
        if data.get("remove_account"):
            routing, account = "", ""
        elif self.agency is not None and not account:
            account = None  # keep the account on file (or keep having none)
        return AgencyInput(
            name=str(data["name"]),
            kind=str(data["kind"]),
            fips_code=str(data["fips_code"]).strip(),
            routing_number=routing,
            account_number=account,
            address_line1=str(data["address_line1"]),
            address_line2=str(data["address_line2"]),
            address_line3=str(data["address_line3"]),
            active=bool(data["active"]),
        )


AGENCY_INITIAL = ("name", "kind", "fips_code", "routing_number", "address_line1", "address_line2", "address_line3",
                  "active")  # fmt: skip


class CaseAgencyForm(UswdsForm):
    """Link an interstate case to an active agency of the directory, with its case number there; no agency
    removes the link."""

    agency = forms.ModelChoiceField(
        label="Other agency",
        queryset=OtherAgency.objects.none(),
        required=False,
        empty_label="- No agency (remove the link) -",
        help_text="Active agencies of the directory",
    )
    other_case_identifier = forms.CharField(
        label="The other agency's case number",
        max_length=20,
        required=False,
        help_text="Up to 20 characters; sent with each payment to the agency (DED02)",
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
