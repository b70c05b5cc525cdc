"""gunicorn settings that do not depend on the machine (those come from `amis serve`'s environment).

AMIS logs each request itself, as one JSON line with its request id (`amis.core.request_log`), so
gunicorn's access log is off; its error log (starts, stops, worker restarts) goes to stderr.
"""

worker_class = "gthread"
accesslog = None
errorlog = "-"
loglevel = "info"
# Requests are read by gunicorn from the reverse proxy; behind it, trust its forwarded headers only
# through AMIS's own settings (AMIS_TRUSTED_PROXIES, AMIS_PROXY_SSL_HEADER), not gunicorn's.
forwarded_allow_ips = ""
proxy_allow_ips = ""
# Keep idle client connections open longer than the reverse proxy or load balancer does (nginx's
# upstream keepalive_timeout 60 s, most balancers 60 s): otherwise gunicorn closes a connection just
# as the proxy sends the next request on it, and that request fails with "connection reset".
keepalive = 75
# Workers load AMIS after the fork: each has its own database connections.
preload_app = False
# gunicorn's control socket (one per user, under ~/.gunicorn) would clash between two servers of one
# user on one machine; AMIS is managed by its supervisor's signals instead (docs/deploy.md).
control_socket_disable = True
