from django_tasks import task


@task(queue_name="reports")
def run_schedule(run_id: int) -> str:
    """Place a fair's accepted meeting requests (idempotent: see fair.scheduling)."""
    from alliage.fair.scheduling import schedule_run

    return schedule_run(run_id=run_id)
