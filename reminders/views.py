"""The evaluator pages of a round's messages: plan, preview, test, send and follow them."""

import smtplib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from panels.models import Member, Round
from panels.permissions import evaluator_required
from panels.services import plural
from reminders import selectors, services
from reminders.forms import MemberSearchForm, MessageForm, OutboxFilterForm
from reminders.models import Message, RoundSending
from reminders.rendering import MERGE_FIELDS, started_unfinished
from reminders.rendering import render as render_message

OUTBOX_PAGE_SIZE = 50


def _message(pk) -> Message:
    return get_object_or_404(Message.objects.select_related("round"), pk=pk)


def _member(pk, **filters) -> Member:
    members = Member.objects.select_related("contact", "panel__site", "round")
    return get_object_or_404(members, pk=pk, **filters)


def _started_refusal(request, message):
    context = {"message": message, "label": selectors.message_label(message)}
    return render(request, "reminders/message_started.html", context, status=409)


@evaluator_required
def round_schedule(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    rows = selectors.round_schedule(round_id=round_.pk)
    sending = RoundSending.objects.filter(round=round_).first()
    context = {
        "round": round_,
        "rows": rows,
        "next": selectors.next_out(rows),
        "paused": bool(sending and sending.paused_at),
        "sending": sending,
    }
    return render(request, "reminders/round_schedule.html", context)


@evaluator_required
def message_create(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    initial = {"kind": request.GET.get("kind", "reminder")}
    form = MessageForm(request.POST or None, round=round_, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_save(message=form.save(commit=False))
        except ValidationError as error:  # another evaluator planned one meanwhile
            form.add_error(None, error)
        else:
            messages.success(request, "The message is planned.")
            return redirect("reminders:message_detail", message=message.pk)
    context = {"round": round_, "form": form, "merge_fields": MERGE_FIELDS.items()}
    return render(request, "reminders/message_form.html", context)


@evaluator_required
def message_edit(request, message):
    message = _message(message)
    if not message.editable:
        return _started_refusal(request, message)
    form = MessageForm(request.POST or None, instance=message, round=message.round)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_save(message=form.save(commit=False), fields=form.Meta.fields)
        except services.MessageStarted:
            return _started_refusal(request, message)
        messages.success(request, "The message is saved.")
        return redirect("reminders:message_detail", message=message.pk)
    context = {
        "round": message.round,
        "form": form,
        "message": message,
        "merge_fields": MERGE_FIELDS.items(),
    }
    return render(request, "reminders/message_form.html", context)


@evaluator_required
def message_detail(request, message):
    message = _message(message)
    context = {
        "message": message,
        "round": message.round,
        "label": selectors.message_label(message),
        "counts": selectors.message_counts(message_ids=[message.pk])[message.pk],
        "audience": selectors.audience(message=message).count() if message.editable else None,
        "paused": services.round_paused(message.round_id),
    }
    return render(request, "reminders/message_detail.html", context)


def _preview_member(message, pk) -> Member | None:
    if pk:
        return _member(pk, round_id=message.round_id)
    first = selectors.audience(message=message).order_by("pk").first()
    first = first or Member.objects.filter(round_id=message.round_id).order_by("pk").first()
    return _member(first.pk) if first else None


@evaluator_required
def message_preview(request, message):
    message = _message(message)
    pk = request.GET.get("member", "")
    member = _preview_member(message, pk if pk.isdigit() else None)
    search = MemberSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"]:
        found = selectors.round_members(round_id=message.round_id, search=search.cleaned_data["q"])
    context = {
        "message": message,
        "round": message.round,
        "label": selectors.message_label(message),
        "member": member,
        "rendered": render_message(message=message, member=member) if member else None,
        "started": member is not None and started_unfinished(member),
        "search": search,
        "found": found,
    }
    return render(request, "reminders/message_preview.html", context)


@require_POST
@evaluator_required
def message_test_send(request, message):
    message = _message(message)
    preview = reverse("reminders:message_preview", kwargs={"message": message.pk})
    pk = request.POST.get("member", "")
    if not pk.isdigit():
        messages.error(request, "Choose a member to send the test as.")
        return redirect(preview)
    member = _member(pk, round_id=message.round_id)
    to = request.user.email
    if not to:
        messages.error(request, "Your account has no email address: ask an admin to add one.")
    else:
        try:
            services.message_send_test(message=message, member=member, to=to)
        except (smtplib.SMTPException, OSError) as error:
            messages.error(request, f"The test could not be sent to {to}: {error}")
        else:
            messages.success(request, f"Test sent to {to}, as {member.contact.full_name} gets it.")
    return redirect(f"{preview}?member={member.pk}")


@evaluator_required
def message_outbox(request, message):
    message = _message(message)
    form = OutboxFilterForm(request.GET or None, reasons=selectors.outbox_reasons(message=message))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.outbox_rows(
        message=message,
        status=filters.get("status", ""),
        reason=filters.get("reason", ""),
        search=filters.get("q", ""),
    )
    page = Paginator(rows, OUTBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "message": message,
        "round": message.round,
        "label": selectors.message_label(message),
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "reminders/message_outbox.html", context)


@require_POST
@evaluator_required
def message_send_now(request, message):
    message = services.message_send_now(message=_message(message))
    messages.success(request, "Sending has started.")
    return redirect("reminders:message_detail", message=message.pk)


@require_POST
@evaluator_required
def message_send_to_added(request, message):
    message = _message(message)
    count = services.message_send_to_added(message=message)
    who = plural(count, "member")
    messages.success(request, f"{who} added since it started will get it now.")
    return redirect("reminders:message_detail", message=message.pk)


@require_POST
@evaluator_required
def message_retry_failed(request, message):
    message = _message(message)
    count = services.message_retry_failed(message=message)
    verb = "is" if count == 1 else "are"
    messages.success(request, f"{plural(count, 'failed message')} {verb} queued again.")
    return redirect("reminders:message_detail", message=message.pk)


@require_POST
@evaluator_required
def round_pause(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    services.round_pause(round=round_, user=request.user)
    messages.success(request, "Sending is paused for this round.")
    return redirect("reminders:round_schedule", pk=round_.pk)


@require_POST
@evaluator_required
def round_resume(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    services.round_resume(round=round_)
    messages.success(request, "Sending is resumed for this round.")
    return redirect("reminders:round_schedule", pk=round_.pk)


@evaluator_required
def member_messages(request, member):
    member = _member(member)
    context = {"member": member, "round": member.round}
    return render(request, "reminders/member_messages.html", context)


@evaluator_required
def message_delete(request, message):
    message = _message(message)
    if not message.editable:
        return _started_refusal(request, message)
    if request.method == "POST":
        try:
            services.message_delete(message=message)
        except services.MessageStarted:
            return _started_refusal(request, message)
        messages.success(request, "The message is deleted.")
        return redirect("reminders:round_schedule", pk=message.round_id)
    context = {
        "message": message,
        "round": message.round,
        "label": selectors.message_label(message),
    }
    return render(request, "reminders/message_delete.html", context)
