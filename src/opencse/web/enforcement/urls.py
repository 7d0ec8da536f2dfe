"""Enforcement on a case: income withholding (the obligor's employers, the orders sent, preparing, amending and
ending one) and the other remedies' actions (their state, next step, decision and each step)."""

from django.urls import path

from opencse.web.enforcement import actions, views

app_name = "enforcement"

urlpatterns = [
    path("cases/<str:number>/withholding/", views.withholding_list, name="withholding"),
    path("cases/<str:number>/withholding/employers/<int:employment_id>/", views.withholding_new, name="new"),
    path("cases/<str:number>/withholding/<int:withholding_id>/change/", views.withholding_change, name="change"),
    path("cases/<str:number>/enforcement/", actions.action_list, name="actions"),
    path("cases/<str:number>/enforcement/<int:action_id>/", actions.action_show, name="action"),
    path("cases/<str:number>/enforcement/<int:action_id>/decide/", actions.action_decide, name="decide"),
    path("cases/<str:number>/enforcement/<int:action_id>/<str:step>/", actions.action_step, name="step"),
]
