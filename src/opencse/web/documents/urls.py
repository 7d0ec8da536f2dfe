"""A case's stored documents, printing a new one, and reading one."""

from django.urls import path

from opencse.web.documents import views

app_name = "documents"

urlpatterns = [
    path("cases/<str:number>/documents/", views.case_documents, name="case"),
    path("cases/<str:number>/documents/notice-of-debt/", views.notice_issue, name="notice_issue"),
    path("cases/<str:number>/documents/payment-history/", views.history_certify, name="history_certify"),
    path("documents/<int:document_id>.pdf", views.document_pdf, name="pdf"),
]
