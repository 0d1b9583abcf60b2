from django_tasks import task

from alliage.symbiosis.refresh import match_stream_now


@task()
def match_stream(stream_id):
    """Match one newly published (or changed) stream, refreshing its matches in place;
    idempotent."""
    return match_stream_now(stream_id)
