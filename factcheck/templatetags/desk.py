from django import template

from factcheck.dashboard import dashboard_for

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_dashboard(context):
    request = context["request"]
    if not request.user.has_perm("factcheck.view_claim"):
        return None
    return dashboard_for(request.user)


@register.filter
def history_value(record, name):
    """A history row's value for a column: the label for fields with choices."""
    label = getattr(record, f"get_{name}_display", None)
    return label() if callable(label) else getattr(record, name, None)
