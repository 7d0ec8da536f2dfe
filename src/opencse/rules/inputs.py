"""Reading a rule's JSON input: typed fields, dotted field paths in every error.

A rule's command adapter reads its payload through `Reader`, which raises `InvalidInput` naming the
field at fault (`obligor.gross_income`, `orders[1].id`) so that bad input always ends as the error
envelope of design/rules-cli.md, never a traceback. JSON numbers are parsed as `Decimal`
(`json.loads(parse_float=Decimal)`), so no float ever reaches a rule.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.money import CENT, ROUND_DOWN

AMOUNT_MAXIMUM = Decimal("1000000000000")  # a trillion: far above any real amount, below overflow
TEXT_LENGTH_MAXIMUM = 200
LIST_LENGTH_MAXIMUM = 1000
_MISSING = object()


class Reader:
    """Typed access to one JSON object, with the path of each field for error messages."""

    def __init__(self, data: object, path: str = "") -> None:
        if not isinstance(data, Mapping):
            raise InvalidInput("must be a JSON object", field=path or None)
        self.data: Mapping[str, Any] = data
        self.path = path
        self.read: set[str] = set()

    def field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, default: object) -> object:
        self.read.add(key)
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if default is _MISSING:
                raise InvalidInput("is required", field=self.field(key))
            return default
        return value

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def amount(self, key: str, *, default: object = _MISSING, negative_allowed: bool = False) -> Decimal:
        """A money amount in whole cents: a decimal string such as "1234.50" (or a JSON number)."""
        value = self._get(key, default)
        number = self._decimal(key, value)
        if number != number.quantize(CENT, rounding=ROUND_DOWN):
            raise InvalidInput("must be an amount in whole cents (at most two decimal places)", field=self.field(key))
        if number < 0 and not negative_allowed:
            raise InvalidInput("must not be negative", field=self.field(key))
        return number

    def decimal(
        self, key: str, *, default: object = _MISSING, minimum: Decimal | None = None, maximum: Decimal | None = None
    ) -> Decimal:
        """A decimal number such as a percentage ("20" means 20%)."""
        value = self._get(key, default)
        number = self._decimal(key, value)
        if minimum is not None and number < minimum:
            raise InvalidInput(f"must be at least {minimum}", field=self.field(key))
        if maximum is not None and number > maximum:
            raise InvalidInput(f"must be at most {maximum}", field=self.field(key))
        return number

    def _decimal(self, key: str, value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise InvalidInput('must be a decimal number written as a string, such as "1234.50"', field=self.field(key))
        try:
            number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
        except InvalidOperation:
            raise InvalidInput(f"{str(value)[:40]!r} is not a decimal number", field=self.field(key)) from None
        if not number.is_finite():
            raise InvalidInput("must be a finite number", field=self.field(key))
        if abs(number) >= AMOUNT_MAXIMUM:
            raise InvalidInput(f"must be less than {AMOUNT_MAXIMUM}", field=self.field(key))
        return number

    def integer(self, key: str, *, default: object = _MISSING, minimum: int = 0, maximum: int = 1_000_000) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            raise InvalidInput("must be a whole number", field=self.field(key))
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise InvalidInput("must be a whole number", field=self.field(key)) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise InvalidInput("must be a whole number", field=self.field(key))
        if not minimum <= number <= maximum:
            raise InvalidInput(f"must be between {minimum} and {maximum}", field=self.field(key))
        return int(number)

    def boolean(self, key: str, *, default: object = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise InvalidInput("must be true or false", field=self.field(key))
        return value

    def date(self, key: str, *, default: object = _MISSING) -> date:
        """A date written as ISO YYYY-MM-DD."""
        value = self._get(key, default)
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            raise InvalidInput("must be a date written YYYY-MM-DD", field=self.field(key))
        try:
            if len(value) != 10:
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{value[:40]!r} is not a date written YYYY-MM-DD", field=self.field(key)) from None

    def text(self, key: str, *, default: object = _MISSING, max_length: int = TEXT_LENGTH_MAXIMUM) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise InvalidInput("must be text", field=self.field(key))
        if not value.strip():
            raise InvalidInput("must not be empty", field=self.field(key))
        if len(value) > max_length:
            raise InvalidInput(f"must be at most {max_length} characters", field=self.field(key))
        return value

    def choice(self, key: str, choices: Collection[str], *, default: object = _MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or value not in choices:
            shown = str(value)[:40]
            raise InvalidInput(f"{shown!r} is not one of: {', '.join(sorted(choices))}", field=self.field(key))
        return value

    def object(self, key: str, *, required: bool = True) -> Reader:
        value = self._get(key, _MISSING if required else {})
        return Reader(value, self.field(key))

    def objects(self, key: str, *, min_length: int = 0, default: builtins.object = _MISSING) -> list[Reader]:
        items = self._list(key, default, min_length)
        return [Reader(item, f"{self.field(key)}[{index}]") for index, item in enumerate(items)]

    def texts(self, key: str, *, min_length: int = 0, default: builtins.object = _MISSING) -> list[str]:
        items = self._list(key, default, min_length)
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip() or len(item) > TEXT_LENGTH_MAXIMUM:
                raise InvalidInput("must be non-empty text", field=f"{self.field(key)}[{index}]")
        return list(items)

    def _list(self, key: str, default: builtins.object, min_length: int) -> list[Any]:
        value = self._get(key, default)
        if not isinstance(value, list):
            raise InvalidInput("must be a list", field=self.field(key))
        if len(value) < min_length:
            raise InvalidInput(f"must have at least {min_length} item(s)", field=self.field(key))
        if len(value) > LIST_LENGTH_MAXIMUM:
            raise InvalidInput(f"must have at most {LIST_LENGTH_MAXIMUM} items", field=self.field(key))
        return value

    def reject_unknown(self) -> None:
        """Refuse fields the rule does not read, so that a misspelt field is not silently ignored."""
        for key in self.data:
            if key not in self.read:
                raise InvalidInput("is not a field of this rule", field=self.field(str(key)))
