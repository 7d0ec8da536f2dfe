"""URLs of the order screens (kept in their own module so each screen family owns its routes)."""

from django.urls import URLPattern, path

from opencse.web import order_views

urlpatterns: list[URLPattern] = [
    path("cases/<str:number>/orders/new/", order_views.order_enter, name="order_enter"),
    path("cases/<str:number>/orders/new/term-row/", order_views.order_term_row, name="order_term_row"),
    path("cases/<str:number>/orders/new/step-row/", order_views.order_step_row, name="order_step_row"),
    path("cases/<str:number>/orders/new/term-end/", order_views.order_term_end, name="order_term_end"),
    path("cases/<str:number>/orders/<int:order_id>/", order_views.order_show, name="order_show"),
]
