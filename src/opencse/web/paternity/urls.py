"""Paternity of a case's children: the status page and the forms of each action (docs/paternity.md)."""

from django.urls import path

from opencse.web.paternity import views

app_name = "paternity"

urlpatterns = [
    path("cases/<str:number>/paternity/", views.paternity_show, name="show"),
    path("cases/<str:number>/paternity/alleged-father/", views.alleged_father_name, name="name_father"),
    path("cases/<str:number>/paternity/acknowledgment/", views.acknowledgment_record, name="acknowledge"),
    path("cases/<str:number>/paternity/acknowledgments/<int:acknowledgment_id>/rescind/",
         views.acknowledgment_rescind, name="rescind"),
    path("cases/<str:number>/paternity/acknowledgments/<int:acknowledgment_id>/challenge/",
         views.acknowledgment_challenge, name="challenge"),
    path("cases/<str:number>/paternity/tests/", views.test_order, name="test_order"),
    path("cases/<str:number>/paternity/tests/<int:test_id>/appointment/", views.test_appointment,
         name="test_appointment"),
    path("cases/<str:number>/paternity/tests/<int:test_id>/result/", views.test_result, name="test_result"),
    path("cases/<str:number>/paternity/determination/", views.determination_record, name="determination"),
]  # fmt: skip
