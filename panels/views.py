from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from panels import importing, selectors, services
from panels.forms import CarryForwardForm, PanelImportForm
from panels.importing import ListFileError, read_list
from panels.models import Round
from panels.permissions import evaluator_required


@evaluator_required
def round_list(request):
    return render(request, "panels/round_list.html", {"rounds": selectors.round_list()})


@evaluator_required
def round_detail(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    context = {
        "round": round_,
        "rows": selectors.round_site_rows(round_),
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
