"""gunicorn settings for every service. The launch script sets PROMETHEUS_MULTIPROC_DIR first.

No preload: each worker calls create_app() after the fork, so Kafka clients and follower threads
are created in the worker, never inherited from the master.
"""

import os
import re

from gunicorn.glogging import Logger

bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A request spends most of its time waiting for the log (a durable commit, a broker ack, the
# follower folding its event): 8 threads per worker let more requests share one group commit.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
# gthread keeps a client's keep-alive connection in the worker that accepted it, whatever that
# worker's load: with 16 clients on 2 workers a 12:4 split leaves one worker's GIL saturated and
# the other idle. So a worker holding more connections than it has threads answers with
# "Connection: close" (pre_request below): the client's next connection is accepted by a worker
# with room (the less busy one wins the accept).
preload_app = False
timeout = 60
graceful_timeout = 20
accesslog = os.environ.get("ACCESS_LOG") or None
# No client address, user agent or referrer in the access log (gunicorn's default has all three):
# the supervision service promises reporters that no address or device data is stored anywhere,
# and no other service needs them. Time, request line without the query, status, size, duration.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
_CLIENT_ADDRESS = re.compile(r"\bip=\S*?(?=:\s|\s|$)")


class AddressFreeLogger(Logger):
    """gunicorn's logger, with the client address it writes on a malformed request withheld."""

    def warning(self, msg, *args, **kwargs):
        super().warning(_CLIENT_ADDRESS.sub("ip=[withheld]", str(msg)), *args, **kwargs)


logger_class = AddressFreeLogger


def child_exit(server, worker):
    """Drop the dead worker's live gauges from the multiprocess directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def pre_request(worker, req):
    """Close the connection after this request when the worker holds more than it can serve."""
    worker.log.debug("%s %s", req.method, req.path)
    if getattr(worker, "nr_conns", 0) > threads:
        req.force_close()
