"""URLs of the posting screens (kept in their own module so each screen family owns its routes)."""

from django.urls import URLPattern, path

from opencse.web import adjustment_views, posting_views

urlpatterns: list[URLPattern] = [
    path("cases/<str:number>/collections/new/", posting_views.collection_post, name="ledger_collection_post"),
    path("collections/<int:collection_id>/", posting_views.collection_show, name="ledger_collection_show"),
    path(
        "collections/<int:collection_id>/reverse/", posting_views.collection_reverse, name="ledger_collection_reverse"
    ),
    path(
        "people/<int:person_id>/collections/new/",
        posting_views.obligor_collection_post,
        name="ledger_obligor_collection_post",
    ),
    path("suspense/", posting_views.suspense_list, name="ledger_suspense_list"),
    path("suspense/<int:collection_id>/identify/", posting_views.suspense_identify, name="ledger_suspense_identify"),
    path("cases/<str:number>/assistance/new/", posting_views.assistance_record, name="ledger_assistance_record"),
    path("cases/<str:number>/adjustments/new/", adjustment_views.adjustment_request, name="ledger_adjustment_request"),
    path("approvals/", adjustment_views.approval_list, name="ledger_approval_list"),
    path(
        "approvals/direct-deposit/<int:request_id>/",
        adjustment_views.direct_deposit_decide,
        name="ledger_direct_deposit_decide",
    ),
    path(
        "adjustments/<int:adjustment_id>/decide/", adjustment_views.adjustment_decide, name="ledger_adjustment_decide"
    ),
]
