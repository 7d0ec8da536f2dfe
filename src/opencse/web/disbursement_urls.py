"""URLs of the disbursement screens (kept in their own module so each screen family owns its routes)."""

from django.urls import URLPattern, path

from opencse.web import disbursement_views as views

urlpatterns: list[URLPattern] = [
    path("disbursement/", views.disbursement_show, name="disbursement_show"),
    path("disbursement/run/", views.run_create, name="disbursement_run_create"),
    path("disbursement/runs/<int:run_id>/bank-file/", views.run_bank_file, name="disbursement_bank_file"),
    path(
        "disbursement/runs/<int:run_id>/check-register/", views.run_check_register, name="disbursement_check_register"
    ),
    path("payouts/<int:payout_id>/return/", views.payout_return, name="disbursement_payout_return"),
    path(
        "cases/<str:number>/undistributable/release/",
        views.undistributable_release,
        name="disbursement_undistributable_release",
    ),
    path(
        "cases/<str:number>/undistributable/unclaimed-property/",
        views.undistributable_transfer,
        name="disbursement_undistributable_transfer",
    ),
    path("people/<int:person_id>/direct-deposit/", views.direct_deposit_record, name="disbursement_direct_deposit"),
]
