"""Income withholding on a case: the obligor's employers, the orders sent, preparing, amending and ending one."""

from django.urls import path

from opencse.web.enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("cases/<str:number>/withholding/", views.withholding_list, name="withholding"),
    path("cases/<str:number>/withholding/employers/<int:employment_id>/", views.withholding_new, name="new"),
    path("cases/<str:number>/withholding/<int:withholding_id>/change/", views.withholding_change, name="change"),
]
