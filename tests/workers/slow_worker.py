"""`python -m tests.workers.slow_worker PART=SECONDS [worker options]`: the real worker process
(`python -m workers`), except that a job whose id contains PART waits SECONDS before it runs, so a
test can kill the worker in the middle of that job. Only tests start it."""

from __future__ import annotations

import sys
import time
from typing import Any

from workers.__main__ import DigestWorker, main


def slow_worker(part: str, seconds: float) -> type[DigestWorker]:
    class SlowWorker(DigestWorker):
        def prepare_job_execution(
            self, job: Any, remove_from_intermediate_queue: bool = False
        ) -> None:
            super().prepare_job_execution(job, remove_from_intermediate_queue)
            if part in job.id:  # the job is "started" now, in the work horse
                time.sleep(seconds)

    return SlowWorker


if __name__ == "__main__":
    part, _, seconds = sys.argv[1].partition("=")
    sys.exit(main(sys.argv[2:], worker_class=slow_worker(part, float(seconds))))
