"""RQ jobs and the daily schedule: glue from core to Redis (DESIGN.md "Layers").

`queues` enqueues by dotted job name (what bots import), `jobs` are the job functions, `builds`
the state a build's jobs share, `schedule` the cron process, `cli` the `aidigest` commands that
need Redis, `defaults` every tunable. `python -m workers` runs a worker.
"""
