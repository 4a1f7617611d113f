"""gunicorn's settings for every way the app is served: `make run`, production
(docs/production.md) and the benchmark read this one file (gunicorn loads
./gunicorn.conf.py by itself; `-c gunicorn.conf.py` says so explicitly).

The address and the number of workers come from the command line (`make run` sets them
from PORT and WORKERS). Everything about how long a request may take lives here.
"""

import os

# Sync workers: one request per process (docs/production.md says why not threads).
worker_class = "sync"

# A worker silent for this long is killed and replaced. Above the slowest request: a
# province's monthly report PDF. The PDF renderer gives up earlier (PDF_RENDER_TIMEOUT,
# 45 s), answers "please retry" and kills its child, so a slow render never reaches this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))

# On a reload (HUP) or stop (TERM), workers finish the requests they are serving for up
# to this long before they are killed.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))

# Recycle each worker after about this many requests (the jitter spreads the restarts so
# that workers do not restart together): bounds slow memory growth in long-lived workers.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))

# Request logs come from the app (casework.core.requestlog), without personal data.
accesslog = None
errorlog = "-"
