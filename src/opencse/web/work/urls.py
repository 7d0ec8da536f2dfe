"""The worklist, a task marked done, the supervisor's team and bulk reassignment."""

from django.urls import path

from opencse.web.work import views

app_name = "work"

urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("team/", views.team, name="team"),
    path("team/reassign-tasks/", views.reassign_tasks, name="reassign_tasks"),
    path("team/reassign-cases/", views.reassign_cases, name="reassign_cases"),
]
