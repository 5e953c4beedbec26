import csv
import json

from django.core.management.base import BaseCommand, CommandError

from panels import rates
from panels.cells import spreadsheet_row
from panels.models import Round
from panels.selectors import GROUP_CHOICES, round_disposition_counts, round_disposition_counts_by


class Command(BaseCommand):
    help = "Print a round's disposition counts, the study's rates and AAPOR's."

    def add_arguments(self, parser):
        parser.add_argument("round", help="The round's name.")
        parser.add_argument("--by", choices=GROUP_CHOICES, help="Also give each group's rates.")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--e", type=float, help="A given e instead of its estimate.")

    def handle(self, *args, round: str, by: str | None, format: str, e: float | None, **options):
        round_obj = Round.objects.filter(name=round).first()
        if round_obj is None:
            raise CommandError(f"No round named {round!r}.")
        if e is not None and not 0 <= e <= 1:
            raise CommandError("--e must be between 0 and 1.")
        report = rates_report(round_obj, by=by, e=e)
        self.stdout.write({"json": _json, "csv": _csv, "table": _table}[format](report))


def rates_report(round_: Round, *, by: str | None = None, e: float | None = None) -> dict:
    """The round's counts and rates, and each group's, as one plain object."""
    overall = rates.compute(round_disposition_counts(round=round_), e=e)
    groups = round_disposition_counts_by(round=round_, by=by) if by else {}
    return {
        "round": round_.name,
        **_part(overall),
        "e_method": overall.e_method,
        "groups": [
            {"group": name, **_part(rates.compute(counts, e=e))} for name, counts in groups.items()
        ],
    }


def _part(result: rates.Rates) -> dict:
    return {
        "counts": result.counts,
        "aapor_counts": result.aapor_counts,
        "e": _round(result.e),
        "rates": {name: _round(r.value) for name, r in result.rates.items()},
        "intervals": {name: [_round(r.low), _round(r.high)] for name, r in result.rates.items()},
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _json(report: dict) -> str:
    return json.dumps(report, indent=2)


def _rows(report: dict) -> list[list]:
    names = list(rates.AAPOR_CODES)
    header = ["group", *names, *rates.AAPOR_SYMBOLS, "e", *report["rates"]]
    parts = [("All", report), *((g["group"], g) for g in report["groups"])]
    body = [
        [
            name,
            *(part["counts"].get(d, 0) for d in names),
            *(part["aapor_counts"][s] for s in rates.AAPOR_SYMBOLS),
            part["e"],
            *(part["rates"][r] for r in report["rates"]),
        ]
        for name, part in parts
    ]
    return [header, *body]


class _Lines:
    def __init__(self):
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)


def _csv(report: dict) -> str:
    out = _Lines()
    csv.writer(out, lineterminator="\n").writerows(map(spreadsheet_row, _rows(report)))
    return "".join(out.lines).rstrip("\n")


def _table(report: dict) -> str:
    lines = [f"{report['round']}: e = {report['e']} ({report['e_method']})"]
    parts = [("All", report), *((g["group"], g) for g in report["groups"])]
    for name, part in parts:
        counts = ", ".join(f"{d} {n}" for d, n in sorted(part["counts"].items()))
        lines.append(f"\n{name}: {counts or 'no members'}")
        for rate, value in part["rates"].items():
            low, high = part["intervals"][rate]
            shown = "-" if value is None else f"{value:.1%}  (95% CI {low:.1%} to {high:.1%})"
            lines.append(f"  {rate:<15} {shown}")
    return "\n".join(lines)
