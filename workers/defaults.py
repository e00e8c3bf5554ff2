"""Every tunable of the RQ path, in one place, with why it has its value.

Entry points may override some (`python -m workers --help`, `python -m workers.cron --help`);
a build's retry policy is fixed when it is enqueued and travels in its build record, so jobs that
a build enqueues later (sections, charts, publish) retry the same way.
"""

from __future__ import annotations

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"  # when REDIS_URL is unset

QUEUE = "aidigest"  # one queue: a day's jobs are ordered by dependencies, not by queues

# Retry with backoff: a job that raises (Redis gone, an LLM outage, a killed worker) is tried
# again after these many seconds, then fails for good. Source and LLM errors that a day can
# live with never raise: they are recorded, and the offline summary stands in.
RETRY_MAX = 3
RETRY_INTERVALS = (10, 60, 300)

# Seconds a job may run before RQ kills it (and, with retries left, tries again).
JOB_TIMEOUT = {
    "collect": 600,  # arXiv pages slowly: its API asks for 3 s between requests
    "classify": 900,  # batched LLM calls for a whole day's items
    "section": 300,  # one LLM call, retried once on an invalid answer
    "charts": 300,
    "publish": 120,
    "tick": 60,
}

RESULT_TTL = 7 * 24 * 3600  # finished jobs stay visible to `aidigest status` for a week
FAILURE_TTL = 7 * 24 * 3600  # so do failed ones, with their reasons
SCRATCH_TTL = 2 * 24 * 3600  # collected items, plans, section results of a build in flight
BUILD_DEADLINE = 6 * 3600  # a build still "building" after this is stale: it may be enqueued again
FAILED_COOLDOWN = 3600  # the schedule retries a failed day no sooner than this

# Worker liveness. RQ marks a running job abandoned (and retries it) when its heartbeat is older
# than min(monitoring interval, time left) + grace; RQ's own grace is 60 s.
JOB_MONITORING_INTERVAL = 30
BURST_REDIS_WAIT = 30.0  # `python -m workers --burst` gives up on an absent Redis after this
HEARTBEAT_GRACE = 60
MAINTENANCE_INTERVAL = 60  # how often a worker looks for abandoned jobs and restarts its
# scheduler if Redis took it down (RQ: 600 s; cleaning our one small queue is cheap)

# The schedule: a tick every 15 minutes (UTC cron), aligned on the build time's minute. Every
# UTC offset in use is a whole number of quarter hours, so a tick falls on the local build time
# in every zone, summer and winter; the tick decides in DIGEST_TIMEZONE whether a build is due.
TICK_EVERY_MINUTES = 15
