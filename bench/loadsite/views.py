from django.shortcuts import render

from panels.models import Member, Round, Site


def bare(request):
    """The baseline: three small queries and a template, behind the same middleware."""
    sites = list(Site.objects.order_by("name")[:25])
    round_ = Round.objects.order_by("-pk").first()
    members = Member.objects.filter(round=round_).count()
    return render(request, "bare.html", {"sites": sites, "round": round_, "members": members})
