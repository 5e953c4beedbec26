"""Evaluator pages for report tables and trends, and their CSV and XLSX downloads.

Every page is a GET form: choosing changes nothing, so the choices live in the address
and a table can be bookmarked or sent to a colleague.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from panels.permissions import evaluator_required

from . import selectors
from .files import csv_bytes, table_rows, xlsx_bytes
from .forms import FORMATS, ReportForm, TrendForm
from .tables import SMALL_BASE
from .trends import chart_data

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _report_table(form: ReportForm):
    data = form.cleaned_data
    item = form.chosen_item
    return selectors.report_table(
        round=data["round"],
        item=item,
        by=data["by"],
        points=form.chosen_points(item),
        include_partial=data["include_partial"],
        dont_know_out=data["dont_know_out"],
        sort=None if data["sort"] == -1 else (data["sort"] or 0),
    )


def _trend_table(form: TrendForm):
    data = form.cleaned_data
    return selectors.trend_report(
        code=data["item"],
        points=form.chosen_points(form.latest),
        include_partial=data["include_partial"],
        dont_know_out=data["dont_know_out"],
    )


def _sort_links(request, table) -> list[dict]:
    """Return each column with the address that ranks the rows by it."""
    links = []
    for index, label in enumerate(table.columns):
        query = request.GET.copy()
        query["sort"] = index
        links.append(
            {"label": label, "href": "?" + query.urlencode(), "sorted": index == table.sorted_by}
        )
    return links


def _download_query(request) -> str:
    query = request.GET.copy()
    return query.urlencode()


@evaluator_required
def report(request):
    return _report_page(request, ReportForm(request.GET or None))


def _report_page(request, form: ReportForm, status: int = 200):
    table = _report_table(form) if form.is_valid() else None
    context = {
        "form": form,
        "table": table,
        "query": _download_query(request),
        "small_base": SMALL_BASE,
    }
    if table is not None and table.kind == "grid":
        context["sort_links"] = _sort_links(request, table)
        order = request.GET.copy()
        order["sort"] = -1
        context["order_href"] = "?" + order.urlencode()
    return render(request, "surveys/analysis/report.html", context, status=status)


@evaluator_required
def trend(request):
    return _trend_page(request, TrendForm(request.GET or None))


def _trend_page(request, form: TrendForm, status: int = 200):
    table = _trend_table(form) if form.is_valid() else None
    context = {
        "form": form,
        "table": table,
        "query": _download_query(request),
        "small_base": SMALL_BASE,
    }
    if table is not None:
        context["chart"] = chart_data(table)
    return render(request, "surveys/analysis/trend.html", context, status=status)


def _download(table, fmt: str, name: str) -> HttpResponse:
    rows = table_rows(table)
    body = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows, title=table.code)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _filename(*parts: str) -> str:
    return "-".join("".join(c if c.isalnum() or c in "._" else "_" for c in p) for p in parts)


@evaluator_required
def report_download(request, fmt: str):
    form = ReportForm(request.GET or None)
    if fmt not in FORMATS:
        raise Http404("Tables download as csv or xlsx.")
    if not form.is_valid():  # the page again, with what to choose
        return _report_page(request, form, status=400)
    table = _report_table(form)
    return _download(table, fmt, _filename(form.cleaned_data["round"].name, table.code))


@evaluator_required
def trend_download(request, fmt: str):
    form = TrendForm(request.GET or None)
    if fmt not in FORMATS:
        raise Http404("Trends download as csv or xlsx.")
    if not form.is_valid():
        return _trend_page(request, form, status=400)
    table = _trend_table(form)
    return _download(table, fmt, _filename("trend", table.code))
