"""WSGI entry point: `gunicorn opencse.wsgi` (README: Production).

It refuses to start on a real database (`DATABASE_URL`) without the production keys.

Once the application is loaded (Django, every module, the URL patterns, the base templates), its objects are
moved out of the garbage collector's reach (`gc.freeze`): they live as long as the process, and a full collection
that walked them all paused a request for 90-170 ms now and then; with them frozen, 25-30 ms (docs/search.md, the
load benchmark's tail).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template
from django.urls import get_resolver

from opencse.security.keys import require_production_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")
application = get_wsgi_application()
require_production_keys()
get_resolver().url_patterns  # noqa: B018  loaded now, so that they are frozen with the rest
get_template("web/base.html")
gc.collect()
gc.freeze()
