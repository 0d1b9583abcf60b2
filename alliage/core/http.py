"""Small request helpers shared by views."""


def posted(request):
    """The POST data for a form, or None on GET (so an empty POST still shows errors)."""
    return request.POST if request.method == "POST" else None


def uploaded(request):
    return request.FILES if request.method == "POST" else None
