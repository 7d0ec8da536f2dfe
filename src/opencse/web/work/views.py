"""The officer's day: the home page that fits the role (the worklist for a caseworker, the team for a
supervisor, the audit trail for an auditor), the worklist with its filters, marking a task done, and a
supervisor's team page with bulk reassignment of tasks and cases. Views parse, call `opencse.work`'s
selectors and services, and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.models import User
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.work.forms import ReassignCasesForm, ReassignTasksForm, TaskDoneForm, WorklistFilterForm
from opencse.work import selectors, services

PAGE_ROWS = 50


@allow()  # every signed-in role has a home
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where each role starts its day."""
    user = request.user
    if can(user, "work.view_team"):
        return redirect("web:work:team")
    if can(user, "work.view"):
        return redirect("web:work:worklist")
    if can(user, "audit.view"):
        return redirect("web:audit")
    return redirect("web:caseload")


def _without_page(request: HttpRequest) -> object:
    query = request.GET.copy()
    query.pop("page", None)
    return query


def _worker(request: AuthenticatedRequest) -> User:
    """Whose worklist: the viewer's, or (a supervisor's `?worker=`) one of the office's caseworkers."""
    worker_id = request.GET.get("worker", "")
    if worker_id.isdigit() and int(worker_id) != request.user.pk:
        return selectors.team_worker(supervisor=request.user, worker_id=int(worker_id))
    return request.user


@allow("work.view")
@require_GET
@domain_errors
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    owner = _worker(request)
    form = WorklistFilterForm(request.GET or None)
    filters = {name: value or None for name, value in form.cleaned_data.items()} if form.is_valid() else {}
    sort = filters.pop("sort", None) or "due"
    total = selectors.count_for(viewer=request.user, as_of=today, owner=owner, **filters)
    page = Paginator(range(total), PAGE_ROWS).get_page(request.GET.get("page"))
    rows = selectors.worklist_for(viewer=request.user, as_of=today, owner=owner, sort=sort, limit=PAGE_ROWS,
                                  offset=page.start_index() - 1 if total else 0, **filters)  # fmt: skip
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "total": total,
        "today": today,
        "owner": owner,
        "own": owner.pk == request.user.pk,
        "query": _without_page(request),
        "team_workers": selectors.team_workers(supervisor=request.user) if can(request.user, "work.reassign") else [],
    }
    return render(request, "web/work/worklist.html", context, status=form_status(form))


@allow("work.complete")
@require_POST
@domain_errors
def task_done(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    """Mark one task done on the day given (today, unless the officer did it earlier)."""
    task = selectors.task_for_viewer(viewer=request.user, task_id=task_id)
    form = TaskDoneForm(request.POST)
    done = submit(form, lambda: services.complete_task(actor=request.user, task=task, **form.cleaned_data))
    if done:
        messages.success(request, f"Done: {task.get_kind_display()} on case {task.case.number}.")
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect(request.POST.get("next") or "web:work:worklist")


def _team_context(request: AuthenticatedRequest, **forms: object) -> dict[str, object]:
    today = timezone.localdate()
    summary = selectors.team_summary(supervisor=request.user, as_of=today)
    # The summary lists the same workers as `team_workers` (the office's active caseworkers, by name): the
    # reassignment's choices are taken from it rather than read again.
    choices = [(worker.worker_id, worker.name) for worker in summary]
    return {
        "today": today,
        "summary": summary,
        "cases_form": forms.get("cases_form") or ReassignCasesForm(workers=choices),
        "workers": choices,
    }


@allow("work.view_team")
@require_GET
@domain_errors
def team(request: AuthenticatedRequest) -> HttpResponse:
    """A supervisor's home: each worker's open, overdue, due-today and this-week tasks."""
    return render(request, "web/work/team.html", _team_context(request))


@allow("work.reassign")
@require_POST
@domain_errors
def reassign_tasks(request: AuthenticatedRequest) -> HttpResponse:
    """Give the tasks ticked on a worker's list to another worker of the office."""
    workers = [(worker.pk, worker.username) for worker in selectors.team_workers(supervisor=request.user)]
    task_ids = [int(value) for value in request.POST.getlist("task_ids") if value.isdigit()]
    form = ReassignTasksForm(request.POST, task_ids=task_ids, workers=workers)

    def reassign() -> int:
        to_user = selectors.team_worker(supervisor=request.user, worker_id=form.cleaned_data["to_user"])
        return services.reassign_tasks(actor=request.user, task_ids=form.cleaned_data["task_ids"], to_user=to_user)

    moved = submit(form, reassign)
    if moved:
        messages.success(request, f"{moved} task{'s' if moved != 1 else ''} reassigned.")
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect(request.POST.get("next") or "web:work:team")


@allow("work.reassign")
@require_http_methods(["POST"])
@domain_errors
def reassign_cases(request: AuthenticatedRequest) -> HttpResponse:
    """Give cases (and their open tasks) to another worker of the office."""
    choices = [(worker.pk, worker.username) for worker in selectors.team_workers(supervisor=request.user)]
    form = ReassignCasesForm(request.POST, workers=choices)

    def reassign() -> int:
        to_user = selectors.team_worker(supervisor=request.user, worker_id=form.cleaned_data["to_user"])
        return services.reassign_cases(actor=request.user, case_numbers=form.numbers(), to_user=to_user)

    moved = submit(form, reassign)
    if moved:
        messages.success(request, f"{moved} case{'s' if moved != 1 else ''} reassigned, with their open tasks.")
        return redirect("web:work:team")
    return render(request, "web/work/team.html", _team_context(request, cases_form=form), status=form_status(form))
