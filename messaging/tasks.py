"""Background work for the outbox, run by the database-backed worker (``db_worker``)."""

from django.tasks import task

from common.schedule import every
from messaging.outbox import outbox_deliver, outbox_deliver_due
from messaging.processes import task_results_prune, tasks_reclaim_stalled
from messaging.webhooks import webhook_deliver, webhook_deliver_due


@task()
def deliver_message(message_id: int) -> bool:
    return outbox_deliver(message_id)


@every(5)
@task()
def deliver_due_messages() -> int:
    return outbox_deliver_due()


@every(30)
@task()
def reclaim_stalled_tasks() -> int:
    return tasks_reclaim_stalled()


@every(3600)
@task()
def prune_task_results() -> int:
    return task_results_prune()


@task()
def deliver_webhook(delivery_id: int) -> bool:
    return webhook_deliver(delivery_id)


@every(5)
@task()
def deliver_due_webhooks() -> int:
    return webhook_deliver_due()
