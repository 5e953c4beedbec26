import csv

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from panels import rates
from panels.cells import spreadsheet_row
from panels.models import Disposition, Round
from panels.permissions import evaluator_required
from reminders.dashboard import selectors, tables


class EForm(forms.Form):
    e = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        label="e, the share of unknown-eligibility cases taken as eligible",
        help_text="Leave blank to estimate it by proportional allocation.",
    )


def _e(request) -> tuple[EForm, float | None]:
    form = EForm(request.GET or None)
    return form, (form.cleaned_data["e"] if form.is_valid() else None)


def _round(pk) -> Round:
    return get_object_or_404(Round.objects.select_related("version"), pk=pk)


def _labelled(result: rates.Rates, names) -> list[tuple[str, str, rates.Rate]]:
    return [(name, selectors.RATE_LABELS[name], result.rates[name]) for name in names]


@evaluator_required
def round_dashboard(request, pk):
    round_ = _round(pk)
    form, e = _e(request)
    numbers = selectors.round_numbers(round=round_, e=e)
    headline = numbers.headline
    progress = selectors.round_progress(round=round_)
    context = {
        "round": round_,
        "form": form,
        "e_query": request.GET.urlencode(),
        "headline": headline,
        "study_rates": _labelled(headline, selectors.STUDY_RATES),
        "aapor_rates": _labelled(
            headline, [n for n in headline.rates if n not in selectors.STUDY_RATES]
        ),
        "counts": [
            (value, label, rates.AAPOR_CODES[value][0], headline.counts.get(value, 0))
            for value, label in Disposition.choices
        ],
        "sites": numbers.sites,
        "breakdowns": [
            (by, label, numbers.breakdowns[by]) for by, label in selectors.BREAKDOWNS.items()
        ],
        "progress": progress,
        "chart": progress.chart_data(),
    }
    return render(request, "reminders/dashboard/round.html", context)


def _round_table(table: str, round_: Round, e: float | None):
    if table == "days":
        return tables.day_rows(selectors.round_progress(round=round_))
    if table not in ("headline", "counts", "sites", *selectors.BREAKDOWNS):
        raise Http404("No such table.")
    numbers = selectors.round_numbers(round=round_, e=e)
    if table == "headline":
        return tables.headline_rows(numbers.headline)
    if table == "counts":
        return tables.counts_rows(numbers.headline)
    if table == "sites":
        return tables.site_rows(numbers.sites)
    return tables.group_rows(selectors.BREAKDOWNS[table], numbers.breakdowns[table])


def _csv(rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow(spreadsheet_row(row))
    return response


@evaluator_required
def round_table_csv(request, pk, table):
    round_ = _round(pk)
    _, e = _e(request)
    return _csv(_round_table(table, round_, e), f"round-{round_.pk}-{table}.csv")


@evaluator_required
def trends(request):
    rounds = selectors.rounds_in_order()
    columns = selectors.rate_trends(rounds=rounds)
    context = {
        "columns": columns,
        "rate_rows": [
            {"label": label, "rates": [c.result.rates[name] for c in columns]}
            for name, label in selectors.RATE_LABELS.items()
        ],
        "retention": selectors.round_retention(rounds=rounds),
    }
    return render(request, "reminders/dashboard/trends.html", context)


@evaluator_required
def trends_csv(request):
    columns = selectors.rate_trends(rounds=selectors.rounds_in_order())
    return _csv(tables.trend_rows(columns), "trends.csv")


@evaluator_required
def retention_csv(request):
    rows = selectors.round_retention(rounds=selectors.rounds_in_order())
    return _csv(tables.retention_rows(rows), "retention.csv")
