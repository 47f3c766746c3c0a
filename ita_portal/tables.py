"""Paginating django-tables2 tables the same way on every list page."""

from django.core.paginator import EmptyPage, Paginator
from django_tables2 import RequestConfig

from ita_portal.params import query_int

# Far beyond any list here (the national overview has about 315 pages), small enough for any OFFSET.
MAX_PAGE = 10_000


def configure_table(request, table, *, per_page: int, paginator_class=Paginator):
    """Sorting from the request; pages of the size the view chose (a request may not ask for a million
    rows or for -1 of them: django-tables2 would take `per_page` from the query string); a page number
    that is not 1…MAX_PAGE shows the first page, one past the end the last (or the first)."""
    RequestConfig(request, paginate=False).configure(table)
    number = query_int(request, table.prefixed_page_field, minimum=1, maximum=MAX_PAGE, default=1)
    try:
        table.paginate(paginator_class=paginator_class, per_page=per_page, page=number)
    except EmptyPage:
        # LazyPaginator, which counts nothing, may not know the last page: then the first.
        last = table.paginator.num_pages or 1
        table.paginate(paginator_class=paginator_class, per_page=per_page, page=last)
    return table
