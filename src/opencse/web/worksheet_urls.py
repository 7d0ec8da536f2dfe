"""URLs of the worksheet screens (kept in their own module so each screen family owns its routes)."""

from django.urls import URLPattern, path

from opencse.web import worksheet_views

urlpatterns: list[URLPattern] = [
    path("cases/<str:number>/worksheets/", worksheet_views.worksheet_list, name="worksheet_list"),
    path("cases/<str:number>/worksheets/new/", worksheet_views.worksheet_new, name="worksheet_new"),
    path("cases/<str:number>/worksheets/preview/", worksheet_views.worksheet_preview, name="worksheet_preview"),
    path("worksheets/<int:worksheet_id>/", worksheet_views.worksheet_show, name="worksheet_show"),
    path("worksheets/<int:worksheet_id>/propose/", worksheet_views.worksheet_propose, name="worksheet_propose"),
    path("proposals/<int:proposal_id>/", worksheet_views.worksheet_proposal_show, name="worksheet_proposal_show"),
    path(
        "proposals/<int:proposal_id>/approve/",
        worksheet_views.worksheet_proposal_approve,
        name="worksheet_proposal_approve",
    ),
    path(
        "proposals/<int:proposal_id>/reject/",
        worksheet_views.worksheet_proposal_reject,
        name="worksheet_proposal_reject",
    ),
]
