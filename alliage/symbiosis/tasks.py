from django_tasks import task


@task()
def match_stream(stream_id):
    """Match one newly published (or changed) stream; idempotent."""
    from alliage.symbiosis.services import match_stream_now

    return match_stream_now(stream_id)
