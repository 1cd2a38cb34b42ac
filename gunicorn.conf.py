"""
gunicorn's settings for the tracker (`bin/serve` uses them). Each can be set from the
environment; the defaults suit one server of a province.
"""

import multiprocessing
import os

# Behind a reverse proxy on the same machine; BIND=0.0.0.0:8000 to listen on every address.
bind = os.environ.get("BIND") or "127.0.0.1:8000"
# Sync workers, each a process with its own database connection: two per core and one.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
# An import of 50,000 rows takes a while; nothing else comes near.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30
# Recycle workers now and then so that no slow leak grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# "-" writes the access log to standard output; empty turns it off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# The proxy in front sets X-Forwarded-For/-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (for `gunicornc`) would otherwise open in the service
# account's home folder; nothing here uses it, so it stays closed.
control_socket_disable = True
