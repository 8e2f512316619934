"""gunicorn's configuration: ``gunicorn -c python:factcheck.gunicorn_conf factcheck.wsgi``.

Sync workers: each handles one request at a time, so a slow client never holds
up another's request behind it (gthread workers were seen to pile keep-alive
clients onto one worker on a 2-core machine). No control socket: the server
writes nothing under the home folder. Logs go to standard output and error,
like the app's own (see LOGGING in settings).

Environment: GUNICORN_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (workers;
default two per CPU core, plus one), GUNICORN_TIMEOUT (seconds, default 30).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
control_socket_disable = True
accesslog = "-"
errorlog = "-"
# Behind a reverse proxy on the same host, trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
