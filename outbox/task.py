"""The base class of every Celery task of the portal (`Celery(task_cls=...)`).

A task message that carries an outbox job id (the `outbox_job` header, set by
`outbox.services.job_publish`) runs only if it can claim that job, and marks it done when it
returns: a job handed to the broker twice (by the request and by the relay, or redelivered
by Redis) runs once. Messages without the header (Celery beat, direct calls) run as usual.
"""

from celery import Task
from celery.exceptions import Retry


class OutboxTask(Task):
    def __call__(self, *args, **kwargs):
        job_id = (self.request.headers or {}).get("outbox_job")
        if job_id is None:
            return super().__call__(*args, **kwargs)
        from outbox import services  # the models need Django's app registry, loaded by now

        task_id = self.request.id or ""
        if not services.job_claim(job_id=job_id, task_id=task_id):
            services.logger.info("Task %s skipped: outbox job %s is done or running elsewhere", self.name, job_id)
            return None
        try:
            # run() rather than super().__call__(): the latter pushes a bare request (no id,
            # no headers), and a retry built from it would lose the job (the worker skips
            # that push for the same reason).
            result = self.run(*args, **kwargs)
        except Retry as retry:
            # A worker's retry carries the same task id and header and takes the claim over;
            # eager Celery does not retry (it raises), so the job goes back to the relay.
            if self.request.is_eager:
                services.job_fail(job_id=job_id, task_id=task_id, error=retry.exc or retry)
            raise
        except BaseException as error:
            services.job_fail(job_id=job_id, task_id=task_id, error=error)
            raise
        services.job_done(job_id=job_id, task_id=task_id)
        return result
