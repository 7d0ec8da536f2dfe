"""A case's disputes (open, evidence, notes, resolve, result letter) and its referrals to outside resources."""

from django.urls import path

from opencse.web.disputes import views

app_name = "disputes"

urlpatterns = [
    path("cases/<str:number>/disputes/", views.dispute_list, name="list"),
    path("cases/<str:number>/disputes/new/", views.dispute_open, name="open"),
    path("disputes/<int:dispute_id>/", views.dispute_show, name="show"),
    path("disputes/<int:dispute_id>/evidence/", views.evidence_add, name="evidence"),
    path("disputes/<int:dispute_id>/notes/", views.note_add, name="note"),
    path("disputes/<int:dispute_id>/resolve/", views.dispute_resolve, name="resolve"),
    path("disputes/<int:dispute_id>/letter/", views.letter_generate, name="letter"),
    path("disputes/<int:dispute_id>/letter.pdf", views.letter_show, name="letter_pdf"),
    path("cases/<str:number>/referrals/", views.referral_list, name="referrals"),
    path("cases/<str:number>/referrals/new/", views.referral_make, name="refer"),
    path("referrals/<int:referral_id>/outcome/", views.referral_outcome, name="outcome"),
]
