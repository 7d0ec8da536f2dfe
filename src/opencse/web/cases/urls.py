"""The case screens: open a case, its page, notes, members, and the record's edits (close, edit, assign)."""

from django.urls import path

from opencse.web.cases import record_views, views

app_name = "cases"

urlpatterns = [
    path("new/", views.case_open, name="open"),
    path("<str:number>/", views.case_show, name="show"),
    path("<str:number>/notes/", views.note_add, name="note_add"),
    path("<str:number>/members/new/", views.member_add, name="member_add"),
    path("<str:number>/close/", record_views.case_close, name="close"),
    path("<str:number>/edit/", record_views.case_edit, name="edit"),
    path("<str:number>/assign/", record_views.case_assign, name="assign"),
    path("<str:number>/members/<int:member_id>/end/", record_views.member_end, name="member_end"),
    path("<str:number>/notes/<int:note_id>/correct/", record_views.note_correct, name="note_correct"),
]
