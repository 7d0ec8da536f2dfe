"""The ledger screens: the finance tab, posting and reversing collections, suspense, assistance, and
requests to adjust what is owed."""

from django.urls import path

from opencse.web.ledger import adjustments, collections, finance

app_name = "ledger"

urlpatterns = [
    path("cases/<str:number>/finance/", finance.case_finance, name="finance"),
    path("cases/<str:number>/collections/new/", collections.collection_post, name="collection_post"),
    path("collections/<int:collection_id>/", collections.collection_show, name="collection_show"),
    path("collections/<int:collection_id>/reverse/", collections.collection_reverse, name="collection_reverse"),
    path(
        "people/<int:person_id>/collections/new/", collections.obligor_collection_post, name="obligor_collection_post"
    ),
    path("suspense/", collections.suspense_list, name="suspense_list"),
    path("suspense/<int:collection_id>/identify/", collections.suspense_identify, name="suspense_identify"),
    path("cases/<str:number>/assistance/new/", collections.assistance_record, name="assistance_record"),
    path("cases/<str:number>/adjustments/new/", adjustments.adjustment_request, name="adjustment_request"),
]
