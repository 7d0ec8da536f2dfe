"""WSGI entry point: `gunicorn opencse.wsgi` (README: Production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")
application = get_wsgi_application()
