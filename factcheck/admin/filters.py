"""List filters with many values (sources, speakers) that stay cheap at any size.

Django's own filters list every source and every distinct speaker on each
page of the claim list: thousands of links, read from the whole claims table.
These show at most ``SHOWN`` choices, and a box to find the others by name.
The query string is the one Django's filters use (``source__id__exact``,
``attributed_to__exact``), so links from the sources list and older bookmarks
keep working.
"""

from django.contrib import admin

from factcheck.models import Claim, Source

SHOWN = 50


class SearchableFilter(admin.SimpleListFilter):
    """A filter on one value, showing at most ``SHOWN`` choices and a search box
    (``<parameter>_q``) that narrows the choices, not the list."""

    template = "admin/factcheck/searchable_filter.html"
    shown = SHOWN

    def __init__(self, request, params, model, model_admin):
        self.search_parameter = f"{self.parameter_name}_q"
        searched = params.pop(self.search_parameter, [""])[-1]
        self.searched = searched.strip()[:100]
        super().__init__(request, params, model, model_admin)

    def expected_parameters(self):
        return [self.parameter_name, self.search_parameter]

    def lookups(self, request, model_admin):
        found = list(self.find(self.searched, SHOWN + 1))
        self.more = len(found) > SHOWN
        found = found[:SHOWN]
        chosen = self.value()
        if chosen and all(str(value) != chosen for value, _ in found):
            found[:0] = self.find_chosen(chosen)
        return found

    def has_output(self):
        return True  # the search box, even when nothing matches

    def choices(self, changelist):
        self.hidden = [
            (name, value)
            for name, value in changelist.params.items()
            if name not in (self.search_parameter, self.parameter_name)
        ]
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(
                remove=[self.parameter_name, self.search_parameter]
            ),
            "display": "All",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == str(value),
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value}, [self.search_parameter]
                ),
                "display": label,
            }

    def find(self, searched, limit):
        """``(value, label)`` pairs matching ``searched`` (all if empty), at most ``limit``."""
        raise NotImplementedError

    def find_chosen(self, chosen):
        """The chosen value's pair, shown even when it is not among the first."""
        raise NotImplementedError


class SourceFilter(SearchableFilter):
    title = "source"
    parameter_name = "source__id__exact"

    def find(self, searched, limit):
        sources = Source.objects.order_by("title", "pk")
        if searched:
            sources = sources.filter(title__icontains=searched)
        return sources.values_list("pk", "title")[:limit]

    def find_chosen(self, chosen):
        if not chosen.isdigit():
            return []
        return list(Source.objects.filter(pk=int(chosen)).values_list("pk", "title"))

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(source_id=int(value))


class AttributedToFilter(SearchableFilter):
    title = "attributed to"
    parameter_name = "attributed_to__exact"

    def find(self, searched, limit):
        names = Claim.objects.order_by("attributed_to")
        if searched:
            names = names.filter(attributed_to__icontains=searched)
        names = names.values_list("attributed_to", flat=True).distinct()[:limit]
        return [(name, name) for name in names]

    def find_chosen(self, chosen):
        return [(chosen, chosen)]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(attributed_to=value)
