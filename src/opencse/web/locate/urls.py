"""Locate: a case's requests, responses and verifications; the review queue of imported records; an import's
exceptions report."""

from django.urls import path

from opencse.web.locate import views

app_name = "locate"

urlpatterns = [
    path("cases/<str:number>/locate/", views.case_locate, name="case"),
    path("cases/<str:number>/locate/request/", views.locate_request, name="request"),
    path("cases/<str:number>/locate/requests/<int:request_id>/response/", views.response_record, name="response"),
    path("cases/<str:number>/locate/verify/", views.verification_request, name="verify"),
    path("cases/<str:number>/locate/verifications/<int:verification_id>/", views.verification_result, name="result"),
    path("locate/review/", views.review_queue, name="queue"),
    path("locate/review/<int:record_id>/", views.review_decide, name="decide"),
    path("locate/imports/<int:import_id>/", views.import_report, name="import"),
]
