"""Reading people: visibility, search, and addresses as each viewer may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from stdnum.us import ssn as ssn_rules

from opencse.errors import InvalidInput, NotFound
from opencse.people import names
from opencse.people.models import Address, Alias, Employer, Employment, NameKey, Person
from opencse.security.policy import can, works_all_offices

PROTECTED_ADDRESS_TEXT = "Address protected (family violence indicator)"


def visible_people(viewer: object) -> QuerySet[Person]:
    """People the viewer may see: on a case of the viewer's office, or on no case yet (intake)."""
    if not can(viewer, "people.view"):
        return Person.objects.none()
    if works_all_offices(viewer):
        return Person.objects.all()
    from opencse.cases.models import CaseMember

    office_id: int | None = getattr(viewer, "office_id", None)
    if office_id is None:
        return Person.objects.none()
    on_office_case = CaseMember.objects.filter(person=OuterRef("pk"), case__office_id=office_id)
    on_any_case = CaseMember.objects.filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(on_office_case) | ~Exists(on_any_case))


def person_for_viewer(*, viewer: object, person_id: int) -> Person:
    person = visible_people(viewer).filter(pk=person_id).first()
    if person is None:
        raise NotFound(f"No person {person_id} that you may see.")
    return person


def ssn_search_terms(text: str) -> tuple[str, str]:
    """('last4', digits) for four digits, ('full', digits) for a valid nine-digit SSN; InvalidInput otherwise."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 4 and len(text.strip()) <= 5:
        return "last4", digits
    if len(digits) == 9:
        if not ssn_rules.is_valid(digits):
            raise InvalidInput("is not a valid Social Security number", field="ssn")
        return "full", digits
    raise InvalidInput("give the full nine-digit SSN or its last four digits", field="ssn")


CANDIDATES_MAXIMUM = 500  # people ranked for one search; the visibility check reads only these


def search_people(
    *,
    viewer: object,
    name: str = "",
    date_of_birth: date | None = None,
    ssn_last4: str = "",
    ssn_index: str = "",
    limit: int = 50,
) -> list[Person]:
    """People the viewer may see matching every criterion given, closest name first: the name tolerant of
    typos, swapped letters, nicknames and word order (`people.names`), the date of birth, the SSN's last
    four, the SSN's blind index. Only `people.services.search_people` passes an index: an exact-SSN search
    is audited and limited there. The indexed criteria find at most CANDIDATES_MAXIMUM people first; the
    visibility check and the ranking read only those."""
    query = names.words(name)[: names.WORDS_MAXIMUM]
    found = Person.objects.all()
    if date_of_birth is not None:
        found = found.filter(date_of_birth=date_of_birth)
    if ssn_last4:
        found = found.filter(ssn_last4=ssn_last4)
    if ssn_index:
        found = found.filter(ssn_index=ssn_index)
    narrowed = found if (date_of_birth or ssn_last4 or ssn_index) else None
    candidates = _with_a_pair(query, narrowed)
    if not candidates:  # no given name and surname together: each word on its own
        candidates = _with_every_word(query, narrowed)
    if query and not candidates:  # a word matches nobody: rank those who match the others
        candidates = _with_any_word(query, narrowed)
    if not query:
        candidates = list(found.order_by("last_name", "first_name", "pk").values_list("pk", flat=True)[:limit])
    people = list(visible_people(viewer).filter(pk__in=candidates).prefetch_related("aliases"))
    people.sort(key=lambda person: (-names.closeness(query, _known_words(person)), person.last_name, person.pk))
    return people[:limit]


def _matching(word: str) -> Q:
    return Q(key__in=names.query_keys(word)) | Q(key__startswith=f"n:{word}")


def _candidates(keys: QuerySet[NameKey], narrowed: QuerySet[Person] | None) -> list[int]:
    """Up to CANDIDATES_MAXIMUM people whose name keys are `keys`, narrowed by the person's own columns (date of
    birth, SSN) when a criterion names them. Read from the name keys alone otherwise (joining the people table for
    nothing let PostgreSQL scan it whole on a million cases), without DISTINCT (which PostgreSQL answered by
    reading the whole person_id index in order): a person has a few keys for one word, so the first rows read
    are made unique here."""
    if narrowed is not None:
        keys = keys.filter(person_id__in=narrowed.values("pk"))
    rows = keys.values_list("person_id", flat=True)[: CANDIDATES_MAXIMUM * KEYS_PER_WORD_MAXIMUM]
    return list(dict.fromkeys(rows))[:CANDIDATES_MAXIMUM]


KEYS_PER_WORD_MAXIMUM = 4  # n:, m:, s:, c: — the keys of one word a query matches


def _with_a_pair(query: list[str], narrowed: QuerySet[Person] | None) -> list[int]:
    if len(query) < 2:
        return []
    return _candidates(NameKey.objects.filter(key__in=names.query_pair_keys(query)), narrowed)


def _with_every_word(query: list[str], narrowed: QuerySet[Person] | None) -> list[int]:
    if not query:
        return []
    first, *others = query
    keys = NameKey.objects.filter(_matching(first))
    for word in others:
        keys = keys.filter(person_id__in=NameKey.objects.filter(_matching(word)).values("person_id"))
    return _candidates(keys, narrowed)


def _with_any_word(query: list[str], narrowed: QuerySet[Person] | None) -> list[int]:
    any_word = Q()
    for word in query:
        any_word |= _matching(word)
    return _candidates(NameKey.objects.filter(any_word), narrowed)


def _known_words(person: Person) -> list[str]:
    parts = [person.first_name, person.middle_name, person.last_name]
    parts += [part for alias in person.aliases.all() for part in (alias.first_name, alias.last_name)]
    return [word for part in parts for word in names.words(part)]


@dataclass(frozen=True, slots=True)
class ShownAddress:
    """An address as one viewer may see it: either its lines, or the protected notice."""

    address: Address
    protected: bool
    lines: tuple[str, ...]


def addresses_for_viewer(*, viewer: object, person: Person) -> list[ShownAddress]:
    """The person's addresses, hidden when the family violence indicator is set and the viewer lacks
    clearance. A cleared viewer's look is audited by the caller (people.services.record_protected_view)."""
    hidden = person.family_violence and not can(viewer, "people.view_protected_address")
    shown = []
    for address in person.addresses.order_by("-effective_on", "-pk"):
        lines = (PROTECTED_ADDRESS_TEXT,) if hidden else tuple(address.lines())
        shown.append(ShownAddress(address=address, protected=person.family_violence, lines=lines))
    return shown


def addresses_for_people(*, viewer: object, people: list[Person]) -> dict[int, list[ShownAddress]]:
    """`addresses_for_viewer` for several people in one query (a case page's members)."""
    person_ids = [person.pk for person in people]
    by_id = {person.pk: person for person in people}
    cleared = can(viewer, "people.view_protected_address")
    shown: dict[int, list[ShownAddress]] = {person_id: [] for person_id in person_ids}
    for address in Address.objects.filter(person_id__in=person_ids).order_by("-effective_on", "-pk"):
        person = by_id[address.person_id]
        hidden = person.family_violence and not cleared
        lines = (PROTECTED_ADDRESS_TEXT,) if hidden else tuple(address.lines())
        shown[address.person_id].append(ShownAddress(address=address, protected=person.family_violence, lines=lines))
    return shown


def address_lines_for_document(*, person: Person) -> list[str] | None:
    """The mailing lines a generated document may carry, or None: a family-violence-protected
    address never leaves the system, whoever generates the document."""
    return address_lines_for_documents(person_ids=[person.pk])[person.pk]


def address_lines_for_documents(*, person_ids: list[int]) -> dict[int, list[str] | None]:
    """`address_lines_for_document` for many people in two queries (batch documents, check registers):
    each person's current, not-bad address, mailing before residential before work, newest first."""
    people = {person.pk: person for person in Person.objects.filter(pk__in=person_ids)}
    found: dict[int, list[str] | None] = dict.fromkeys(person_ids)
    addresses = (
        Address.objects.filter(person_id__in=[pk for pk, person in people.items() if not person.family_violence])
        .filter(ended_on__isnull=True)
        .exclude(verification=Address.Verification.BAD)
        .order_by("person_id", "kind", "-effective_on", "-pk")
    )
    for address in addresses:
        if found[address.person_id] is None:
            found[address.person_id] = [people[address.person_id].full_name, *address.lines()]
    return found


EMPLOYERS_SHOWN_MAXIMUM = 20


def address_of_person(*, person: Person, address_id: int) -> Address:
    address = person.addresses.filter(pk=address_id).first()
    if address is None:
        raise NotFound(f"No address {address_id} of this person.")
    return address


def employer_by_id(employer_id: int) -> Employer:
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(f"No employer {employer_id}.")
    return employer


def employers_matching(*, text: str) -> list[Employer]:
    """Employers whose FEIN is the nine digits given, or whose name contains the words given."""
    text = text.strip()[:120]
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 9 and len(text) <= 10:
        employers = Employer.objects.filter(fein=digits)
    elif len(text) >= 2:
        employers = Employer.objects.all()
        for word in text.split()[:4]:
            employers = employers.filter(name__icontains=word)
    else:
        return []
    return list(employers.order_by("name", "pk")[:EMPLOYERS_SHOWN_MAXIMUM])


def aliases_of(*, person: Person) -> list[Alias]:
    """The person's other names, alphabetically."""
    return list(person.aliases.order_by("last_name", "first_name"))


def employments_of(*, person: Person) -> list[Employment]:
    """The person's employments with their employer, current ones first, latest started first."""
    return list(person.employments.select_related("employer").order_by("ended_on", "-started_on"))
