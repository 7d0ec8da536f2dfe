"""The worklist's forms: its filters, a task marked done, and a supervisor's bulk reassignment."""

from __future__ import annotations

from django import forms

from opencse.web.common.forms import DATE_WIDGET, UswdsForm
from opencse.work.models import TaskKind
from opencse.work.selectors import SORTS, Bucket

BUCKETS = [
    ("", "All open tasks"),
    (Bucket.OVERDUE, "Overdue"),
    (Bucket.DUE_TODAY, "Due today"),
    (Bucket.THIS_WEEK, "Due this week"),
    (Bucket.LATER, "Due later"),
]
SORT_CHOICES = [("due", "Due date, soonest first"), ("-due", "Due date, latest first"), ("case", "Case number"),
                ("kind", "Kind of task")]  # fmt: skip
assert {value for value, _ in SORT_CHOICES} == set(SORTS)


def _choices(form: forms.Form, name: str, choices: list[tuple[object, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class WorklistFilterForm(UswdsForm):
    bucket = forms.ChoiceField(label="Show", choices=BUCKETS, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Every kind"), *TaskKind.choices], required=False)
    case_number = forms.CharField(label="Case number", max_length=20, required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)


class TaskDoneForm(UswdsForm):
    completed_on = forms.DateField(label="Done on", widget=DATE_WIDGET)


class ReassignTasksForm(UswdsForm):
    task_ids = forms.TypedMultipleChoiceField(label="Tasks", coerce=int, widget=forms.CheckboxSelectMultiple)
    to_user = forms.TypedChoiceField(label="Give them to", coerce=int)

    def __init__(self, *args: object, task_ids: list[int], workers: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "task_ids", [(task_id, str(task_id)) for task_id in task_ids])
        _choices(self, "to_user", [("", "- Select -"), *workers])


class ReassignCasesForm(UswdsForm):
    case_numbers = forms.CharField(
        label="Case numbers",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or more, separated by spaces, commas or lines; their open tasks go with them",
    )
    to_user = forms.TypedChoiceField(label="Give them to", coerce=int)

    def __init__(self, *args: object, workers: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "to_user", [("", "- Select -"), *workers])

    def numbers(self) -> list[str]:
        return [part.upper() for part in self.cleaned_data["case_numbers"].replace(",", " ").split() if part]
