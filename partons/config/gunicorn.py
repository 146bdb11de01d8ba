"""gunicorn settings of Partons (`gunicorn -c python:partons.config.gunicorn partons.config.wsgi:application`),
from the environment: BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (worker processes, default 2 per core + 1),
WEB_THREADS (threads per worker, default 4), FORWARDED_ALLOW_IPS (addresses of the proxies, default 127.0.0.1)."""
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", 120))  # a long import or export must not be killed half-way
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory), not all at once
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
