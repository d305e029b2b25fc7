# /etc/binome/gunicorn.conf.py — used by deploy/systemd/binome-web.service.
import multiprocessing

bind = "unix:/run/binome/gunicorn.sock"
# 2 to 4 workers per core; each opens its own database connections.
workers = min(4, multiprocessing.cpu_count() * 2 + 1)
timeout = 120  # PDF reports can take a few seconds
graceful_timeout = 30
max_requests = 1000
max_requests_jitter = 100
# Access logs without query strings (magic-link tokens); nginx keeps its own.
accesslog = None
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
