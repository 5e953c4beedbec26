import csv

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from panels import importing, member_selectors, selectors, services
from panels.cells import spreadsheet_row
from panels.forms import (
    CarryForwardForm,
    CompletenessForm,
    DispositionsImportForm,
    MemberDispositionForm,
    PanelImportForm,
    RoundCloseForm,
    RoundForm,
)
from panels.importing import ListFileError, read_list
from panels.models import (
    Disposition,
    DispositionSource,
    ImportJob,
    Member,
    Panel,
    Round,
    RoundStatus,
)
from panels.permissions import evaluator_required
from panels.tokens import token_for


@evaluator_required
def round_list(request):
    return render(request, "panels/round_list.html", {"rounds": selectors.round_list()})


@evaluator_required
def round_detail(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("version"), pk=pk)
    rows = selectors.round_site_rows(round_)
    context = {
        "round": round_,
        "rows": rows,
        "has_members": any(row["size"] for row in rows),
        "carry_form": CarryForwardForm(target=round_),
    }
    return render(request, "panels/round_detail.html", context)


@evaluator_required
def panel_import(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    posted = request.method == "POST"
    form = PanelImportForm(request.POST if posted else None, request.FILES if posted else None)
    report = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        if importing.estimate_rows(upload.name, upload) > settings.PANEL_IMPORT_TASK_ROWS:
            job = services.import_job_create(
                round=round_, site=form.cleaned_data["site"], upload=upload, user=request.user
            )
            return redirect("panels:import_job", pk=round_.pk, job=job.pk)
        try:
            list_file = read_list(upload.name, upload)
        except ListFileError as exc:
            form.add_error("file", str(exc))
        else:
            report = services.panel_import(
                round=round_,
                list_file=list_file,
                site=form.cleaned_data["site"],
                user=request.user,
            )
            if report.ok:
                messages.success(request, report.summary())
                return redirect("panels:round_detail", pk=round_.pk)
    limits = {
        "rows": importing.MAX_ROWS,
        "columns": importing.MAX_COLUMNS,
        "attributes": importing.MAX_ATTRIBUTE_COLUMNS,
    }
    context = {"round": round_, "form": form, "report": report, "limits": limits}
    return render(request, "panels/panel_import.html", context)


def _job(pk, job) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("round"), pk=job, round_id=pk)


@evaluator_required
def import_job(request, pk, job):
    job = _job(pk, job)
    more = job.report.get("problems_total", 0) - len(job.report.get("problems", []))
    context = {"round": job.round, "job": job, "more": more}
    return render(request, "panels/import_job.html", context)


@evaluator_required
def import_job_status(request, pk, job):
    job = _job(pk, job)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "finished": job.finished,
        }
    )


@evaluator_required
def import_job_problems(request, pk, job):
    """Every listed problem of a refused import, as a CSV to open beside the list."""
    job = _job(pk, job)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{job.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["row", "column", "problem"])
    for p in job.report.get("problems", []):
        writer.writerow(spreadsheet_row([p["row"], p["column"], p["message"]]))
    return response


@require_POST
@evaluator_required
def round_carry_forward(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    form = CarryForwardForm(request.POST, target=round_)
    if not form.is_valid():
        messages.error(request, "Choose a round to copy the panels from.")
        return redirect("panels:round_detail", pk=round_.pk)
    try:
        report = services.round_carry_forward(source=form.cleaned_data["source"], target=round_)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            services.carry_summary(report),
        )
    return redirect("panels:round_detail", pk=round_.pk)


# The round's own pages: create and edit a round, and a site's list with its personal links.


@evaluator_required
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round_ = form.save()
        messages.success(request, f"Created {round_}.")
        return redirect("panels:round_detail", pk=round_.pk)
    return render(request, "panels/round_form.html", {"form": form, "round": None})


@evaluator_required
def round_edit(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {round_}.")
        return redirect("panels:round_detail", pk=round_.pk)
    return render(request, "panels/round_form.html", {"form": form, "round": round_})


@evaluator_required
def panel_detail(request, pk, site):
    panel = get_object_or_404(
        Panel.objects.select_related("round", "site", "refreshed_by", "carried_from__round"),
        round_id=pk,
        site__code=site,
    )
    members = [(member, personal_link(member)) for member in selectors.panel_members(panel)]
    context = {"panel": panel, "round": panel.round, "members": members}
    return render(request, "panels/panel_detail.html", context)


def personal_link(member) -> str:
    """Return the member's personal link as their emails carry it."""
    return settings.SITE_URL + reverse("surveys:link", args=[token_for(member.token_nonce)])


@evaluator_required
def round_completeness(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("version"), pk=pk)
    form = CompletenessForm(_posted(request), round=round_)
    if request.method == "POST" and round_.completeness_editable and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_completeness_set(
                round=round_,
                rule=data["rule"],
                items=data["items"],
                share=data["share"] if data["share"] is not None else 1.0,
                break_off_below=data["break_off_below"],
            )
        except services.RuleFixed as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The completeness rule is saved.")
        return redirect("panels:round_detail", pk=round_.pk)
    if request.method == "POST" and not round_.completeness_editable:
        form.add_error(None, "The round has opened: its completeness rule is fixed.")
    return render(request, "panels/round_completeness.html", {"round": round_, "form": form})


@evaluator_required
def round_close(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    form = RoundCloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.round_close(round=round_, by=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"{round_.name} is closed: {report.members:,} dispositions are final."
            )
        return redirect("panels:round_detail", pk=round_.pk)
    counts = selectors.round_disposition_counts(round=round_)
    context = {"round": round_, "form": form, "counts": _labelled(counts)}
    return render(request, "panels/round_close.html", context)


def _labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(label, counts.get(value, 0)) for value, label in Disposition.choices]


@evaluator_required
def member_list(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    query = request.GET.get("q", "").strip()
    context = {
        "round": round_,
        "query": query,
        "members": member_selectors.round_members(round=round_, query=query),
    }
    return render(request, "panels/member_list.html", context)


def _member(pk) -> Member:
    members = Member.objects.select_related(
        "contact", "panel__site", "round", "organisation_type", "coordinated_by__contact"
    )
    return get_object_or_404(members, pk=pk)


@evaluator_required
def member_detail(request, pk):
    member = _member(pk)
    form = MemberDispositionForm(_posted(request), member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_disposition_record(
                member=member,
                to=data["disposition"],
                by=request.user,
                reason=form.reason_text(),
                coordinated_by=data["coordinated_by"],
            )
        except services.DispositionRefused as exc:
            for name, error in exc.errors.items():
                form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, "The disposition is recorded.")
            return redirect("panels:member_detail", pk=member.pk)
    context = {
        "member": member,
        "form": form,
        "history": member_selectors.member_history(member=member),
        "coordinates": member_selectors.member_coordinates(member=member),
        "closed": member.round.status == RoundStatus.CLOSED,
    }
    return render(request, "panels/member_detail.html", context)


@evaluator_required
def dispositions_import(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    posted = request.method == "POST"
    form = DispositionsImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    report = None
    if posted and round_.status == RoundStatus.CLOSED:
        form.add_error(None, "The round is closed: its dispositions are final.")
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            list_file = read_list(upload.name, upload)
        except ListFileError as exc:
            form.add_error("file", str(exc))
        else:
            report = services.outcomes_import(
                round=round_,
                list_file=list_file,
                user=request.user,
                allowed=services.EVALUATOR_DISPOSITIONS,
                source=DispositionSource.EVALUATOR,
            )
            if report.ok:
                messages.success(request, report.summary())
                return redirect("panels:round_detail", pk=round_.pk)
    context = {"round": round_, "form": form, "report": report}
    return render(request, "panels/member_dispositions_import.html", context)


def _posted(request):
    """Return the POST data of a POST (an empty one included), else None: an unbound form."""
    return request.POST if request.method == "POST" else None
