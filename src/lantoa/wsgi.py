import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
if not os.environ.get("LANTOA_SECRET_KEY") and os.environ.get("LANTOA_DEBUG") != "1":
    raise RuntimeError("LANTOA_SECRET_KEY must be set to serve Lantoa (see docs/operations.md).")
application = get_wsgi_application()
