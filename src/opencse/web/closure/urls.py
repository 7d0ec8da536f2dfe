"""Closing a case under 45 CFR 303.11: propose (close now or send the notice), record a response, reopen."""

from django.urls import path

from opencse.web.closure import views

app_name = "closure"

urlpatterns = [
    path("cases/<str:number>/closure/", views.closure_propose, name="propose"),
    path("cases/<str:number>/closure/response/", views.closure_response, name="response"),
    path("cases/<str:number>/closure/reopen/", views.case_reopen, name="reopen"),
]
