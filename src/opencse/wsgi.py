"""WSGI entry point: `gunicorn opencse.wsgi` (README: Production).

It refuses to start on a real database (`DATABASE_URL`) without the production keys.
"""

import os

from django.core.wsgi import get_wsgi_application

from opencse.security.keys import require_production_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")
application = get_wsgi_application()
require_production_keys()
