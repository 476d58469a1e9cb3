"""WSGI entry point for gunicorn (``querela.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "querela.settings")
application = get_wsgi_application()
