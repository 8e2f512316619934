"""``<time datetime>`` values, for the public pages and the desk."""

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def machine_time(value) -> str:
    """A date and time as HTML's ``datetime`` attribute takes it: ISO 8601 to the
    second. HTML allows at most three digits of a second; ``|date:'c'`` gives six."""
    if not value:
        return ""
    return value.isoformat(timespec="seconds")
