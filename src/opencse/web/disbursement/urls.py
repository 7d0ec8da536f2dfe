"""The disbursement screens: runs and their files, returned payouts, held money, direct deposit."""

from django.urls import path

from opencse.web.disbursement import views

app_name = "disbursement"

urlpatterns = [
    path("disbursement/", views.disbursement_show, name="show"),
    path("disbursement/run/", views.run_create, name="run_create"),
    path("disbursement/runs/<int:run_id>/bank-file/", views.run_bank_file, name="bank_file"),
    path("disbursement/runs/<int:run_id>/check-register/", views.run_check_register, name="check_register"),
    path("payouts/<int:payout_id>/return/", views.payout_return, name="payout_return"),
    path("cases/<str:number>/undistributable/release/", views.undistributable_release, name="undistributable_release"),
    path(
        "cases/<str:number>/undistributable/unclaimed-property/",
        views.undistributable_transfer,
        name="undistributable_transfer",
    ),
    path("people/<int:person_id>/direct-deposit/", views.direct_deposit_record, name="direct_deposit"),
]
