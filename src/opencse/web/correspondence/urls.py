"""The correspondence log: a case's entries, a new entry with its scans, one scan (audited)."""

from django.urls import path

from opencse.web.correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("cases/<str:number>/correspondence/", views.correspondence_list, name="list"),
    path("cases/<str:number>/correspondence/new/", views.correspondence_new, name="new"),
    path("correspondence/scans/<int:scan_id>/", views.scan_show, name="scan"),
]
