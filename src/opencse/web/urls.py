"""The web app's pages, one URL namespace per work area (`web:cases:show`, `web:ledger:finance`).
Each view declares who may use it (`@allow` / `@public`)."""

from django.urls import include, path

from opencse.web.agencies import urls as agencies
from opencse.web.approvals import urls as approvals
from opencse.web.cases import urls as cases
from opencse.web.closure import urls as closure
from opencse.web.correspondence import urls as correspondence
from opencse.web.disbursement import urls as disbursement
from opencse.web.disputes import urls as disputes
from opencse.web.documents import urls as documents
from opencse.web.enforcement import urls as enforcement
from opencse.web.establishment import urls as establishment
from opencse.web.home import views as home
from opencse.web.intake import urls as intake
from opencse.web.ledger import urls as ledger
from opencse.web.locate import urls as locate
from opencse.web.orders import urls as orders
from opencse.web.packets import urls as packets
from opencse.web.paternity import urls as paternity
from opencse.web.people import urls as people
from opencse.web.work import urls as work
from opencse.web.work import views as work_views

app_name = "web"

urlpatterns = [
    path("", work_views.home, name="home"),
    path("caseload/", home.caseload_show, name="caseload"),
    path("signin/", home.signin, name="signin"),
    path("signout/", home.signout, name="signout"),
    path("healthz", home.health_show, name="health"),
    path("search/", home.case_search, name="search"),
    path("audit/", home.audit_list, name="audit"),
    path("cases/", include(cases)),
    path("people/", include(people)),
    path("", include(orders)),
    path("", include(ledger)),
    path("", include(approvals)),
    path("", include(disbursement)),
    path("", include(agencies)),
    path("", include(establishment)),
    path("", include(work)),
    path("", include(documents)),
    path("", include(closure)),
    path("", include(correspondence)),
    path("", include(disputes)),
    path("", include(packets)),
    path("", include(enforcement)),
    path("", include(intake)),
    path("", include(paternity)),
    path("", include(locate)),
]
