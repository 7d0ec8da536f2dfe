"""The one approval queue: everything waiting for an officer with signature authority."""

from django.urls import path

from opencse.web.approvals import views

app_name = "approvals"

urlpatterns = [
    path("approvals/", views.approval_list, name="list"),
    path("approvals/direct-deposit/<int:request_id>/", views.direct_deposit_decide, name="direct_deposit_decide"),
    path("adjustments/<int:adjustment_id>/decide/", views.adjustment_decide, name="adjustment_decide"),
]
