"""Intake: the queue of referrals and applications, matching and opening, the application, a new person, the
custodial party's interview."""

from django.urls import path

from opencse.web.intake import views

app_name = "intake"

urlpatterns = [
    path("intake/", views.queue_show, name="queue"),
    path("intake/<int:intake_id>/", views.referral_show, name="referral"),
    path("intake/<int:intake_id>/close/", views.referral_close, name="close"),
    path("intake/files/<int:import_id>/", views.import_show, name="import"),
    path("intake/applications/new/", views.application_new, name="application"),
    path("intake/people/new/", views.person_new, name="person"),
    path("cases/<str:number>/interview/", views.interview_new, name="interview"),
]
