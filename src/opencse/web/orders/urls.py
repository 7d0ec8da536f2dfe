"""The order screens: enter an order (with its htmx rows) and read one."""

from django.urls import path

from opencse.web.orders import views

app_name = "orders"

urlpatterns = [
    path("cases/<str:number>/orders/new/", views.order_enter, name="enter"),
    path("cases/<str:number>/orders/new/term-row/", views.order_term_row, name="term_row"),
    path("cases/<str:number>/orders/new/step-row/", views.order_step_row, name="step_row"),
    path("cases/<str:number>/orders/new/term-end/", views.order_term_end, name="term_end"),
    path("cases/<str:number>/orders/<int:order_id>/", views.order_show, name="show"),
]
