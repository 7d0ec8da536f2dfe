"""The establishment screens: guideline worksheets and the proposals made from them."""

from django.urls import path

from opencse.web.establishment import views

app_name = "establishment"

urlpatterns = [
    path("cases/<str:number>/worksheets/", views.worksheet_list, name="worksheet_list"),
    path("cases/<str:number>/worksheets/new/", views.worksheet_new, name="worksheet_new"),
    path("cases/<str:number>/worksheets/preview/", views.worksheet_preview, name="worksheet_preview"),
    path("worksheets/<int:worksheet_id>/", views.worksheet_show, name="worksheet_show"),
    path("worksheets/<int:worksheet_id>/propose/", views.worksheet_propose, name="worksheet_propose"),
    path("proposals/<int:proposal_id>/", views.worksheet_proposal_show, name="proposal_show"),
    path("proposals/<int:proposal_id>/approve/", views.worksheet_proposal_approve, name="proposal_approve"),
    path("proposals/<int:proposal_id>/reject/", views.worksheet_proposal_reject, name="proposal_reject"),
]
