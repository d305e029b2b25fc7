import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binome.settings")
application = get_wsgi_application()

# A configured Redis or object storage that cannot be reached stops the server here, with a
# French message in its log, rather than answering 500 to the first person who signs in.
from binome.core.backing_services import verify  # noqa: E402

verify()
