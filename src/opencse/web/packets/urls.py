"""Attorney packets and the testimony pack of a case."""

from django.urls import path

from opencse.web.packets import views

app_name = "packets"

urlpatterns = [
    path("cases/<str:number>/packets/", views.packet_list, name="list"),
    path("cases/<str:number>/packets/new/", views.packet_open, name="open"),
    path("cases/<str:number>/packets/<int:packet_id>/", views.packet_show, name="show"),
    path("cases/<str:number>/packets/<int:packet_id>/petition/", views.packet_petition, name="petition"),
    path("cases/<str:number>/packets/<int:packet_id>/declaration/", views.packet_declaration, name="declaration"),
    path("cases/<str:number>/packets/<int:packet_id>/worksheet/", views.packet_worksheet, name="worksheet"),
    path("cases/<str:number>/packets/<int:packet_id>/send/", views.packet_send, name="send"),
    path("cases/<str:number>/packets/<int:packet_id>/outcome/", views.packet_outcome, name="outcome"),
    path("cases/<str:number>/packets/<int:packet_id>/pdf/", views.packet_pdf, name="pdf"),
    path("cases/<str:number>/testimony-pack/", views.testimony_pack_print, name="testimony"),
]
