"""Request checks that run before any view."""

from django.http import HttpResponseBadRequest

NULL_CHARACTER_MESSAGE = (
    "Bad request: the address contains a null character (%00), which no search or "
    "filter can use. Remove it and try again."
)


class RefuseNullCharacters:
    """Answer 400 to a query string holding a null character.

    PostgreSQL cannot store or compare text with a null character in it; a
    search or list filter that passed one on would fail with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return HttpResponseBadRequest(
                    NULL_CHARACTER_MESSAGE, content_type="text/plain; charset=utf-8"
                )
        return self.get_response(request)
