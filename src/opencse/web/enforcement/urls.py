"""Enforcement on a case: income withholding (the obligor's employers, the orders sent, preparing, amending and
ending one), the other remedies' actions (their state, next step, decision and each step) and the payment
agreements (negotiated, signed or rejected, ended); the obligor's bankruptcy stays and periods of SSI; the
accounts the financial institution data match found and the levy on them; the files the enforcement batches
sent and read back."""

from django.urls import path

from opencse.web.enforcement import actions, agreements, facts, fidm, files, intercept, licenses, liens, views

app_name = "enforcement"

urlpatterns = [
    path("withholding/e-iwo/", views.eiwo_page, name="eiwo"),
    path("enforcement/files/", files.files_list, name="files"),
    path("enforcement/files/<slug:kind>/", files.files_of_kind, name="files_of_kind"),
    path("cases/<str:number>/withholding/", views.withholding_list, name="withholding"),
    path("cases/<str:number>/withholding/employers/<int:employment_id>/", views.withholding_new, name="new"),
    path("cases/<str:number>/withholding/<int:withholding_id>/change/", views.withholding_change, name="change"),
    path("cases/<str:number>/withholding/<int:withholding_id>/service/", views.withholding_service, name="service"),
    path("cases/<str:number>/withholding/exception/", views.exception_new, name="exception_new"),
    path(
        "cases/<str:number>/withholding/exception/<int:exception_id>/end/",
        views.exception_end,
        name="exception_end",
    ),
    path(
        "cases/<str:number>/withholding/employers/<int:employment_id>/lump-sum/",
        views.withholding_lump_sum,
        name="lump_sum",
    ),
    path("cases/<str:number>/withholding/benefits/new/", intercept.claim_new, name="benefit_claim_new"),
    path("cases/<str:number>/withholding/benefits/<int:claim_id>/end/", intercept.claim_end, name="benefit_claim_end"),
    path(
        "cases/<str:number>/withholding/benefits/<int:claim_id>/intercept/",
        intercept.intercept_new,
        name="benefit_intercept_new",
    ),
    path(
        "cases/<str:number>/withholding/benefits/intercepts/<int:intercept_id>/end/",
        intercept.intercept_end,
        name="benefit_intercept_end",
    ),
    path("cases/<str:number>/enforcement/", actions.action_list, name="actions"),
    path("cases/<str:number>/enforcement/facts/", facts.facts_show, name="facts"),
    path("cases/<str:number>/enforcement/facts/bankruptcy/", facts.bankruptcy_new, name="bankruptcy_new"),
    path(
        "cases/<str:number>/enforcement/facts/bankruptcy/<int:stay_id>/end/",
        facts.bankruptcy_end,
        name="bankruptcy_end",
    ),
    path("cases/<str:number>/enforcement/facts/ssi/", facts.ssi_new, name="ssi_new"),
    path("cases/<str:number>/enforcement/facts/ssi/<int:receipt_id>/end/", facts.ssi_end, name="ssi_end"),
    path("cases/<str:number>/enforcement/licenses/", licenses.licenses_show, name="licenses"),
    path("cases/<str:number>/enforcement/licenses/new/", licenses.license_new, name="license_new"),
    path("cases/<str:number>/enforcement/licenses/<int:license_id>/end/", licenses.license_end, name="license_end"),
    path("cases/<str:number>/enforcement/accounts/", fidm.accounts_show, name="accounts"),
    path("cases/<str:number>/levies/<int:action_id>/", fidm.levy_show, name="levy"),
    path("cases/<str:number>/levies/<int:action_id>/take/", fidm.levy_take, name="levy_take"),
    path(
        "cases/<str:number>/levies/<int:action_id>/orders/<int:levy_id>/answer/", fidm.levy_answer, name="levy_answer"
    ),
    path("cases/<str:number>/liens/<int:action_id>/", liens.lien_show, name="liens"),
    path("cases/<str:number>/liens/<int:action_id>/take/", liens.lien_take, name="lien_take"),
    path(
        "cases/<str:number>/liens/<int:action_id>/<int:lien_id>/recording/",
        liens.lien_recording,
        name="lien_recording",
    ),
    path(
        "cases/<str:number>/liens/<int:action_id>/<int:lien_id>/release-filed/",
        liens.lien_release_filed,
        name="lien_release_filed",
    ),
    path("cases/<str:number>/agreements/", agreements.agreement_list, name="agreements"),
    path("cases/<str:number>/agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("cases/<str:number>/agreements/<int:agreement_id>/", agreements.agreement_show, name="agreement"),
    path(
        "cases/<str:number>/agreements/<int:agreement_id>/decide/",
        agreements.agreement_decide,
        name="agreement_decide",
    ),
    path("cases/<str:number>/agreements/<int:agreement_id>/end/", agreements.agreement_end, name="agreement_end"),
    path("cases/<str:number>/enforcement/<int:action_id>/", actions.action_show, name="action"),
    path("cases/<str:number>/enforcement/<int:action_id>/decide/", actions.action_decide, name="decide"),
    path("cases/<str:number>/enforcement/<int:action_id>/<str:step>/", actions.action_step, name="step"),
]
