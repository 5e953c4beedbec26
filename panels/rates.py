"""Response rates from disposition counts: the study's two rates and AAPOR's.

Pure arithmetic on a mapping ``{disposition: count}``; no database access, so the
same numbers come out of a selector, a command or a test.

The AAPOR formulas are those of the Standard Definitions for internet surveys of
specifically named persons. Each rate carries its numerator, its denominator and a
95% Wilson score interval, because many sites have ten members or fewer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Every disposition a member can have, and its AAPOR code: the one table.
#   I complete, P partial, R refusal and break-off, NC non-contact, O other eligible,
#   UH unknown (nothing known), UO unknown (other, e.g. a bounce), NE not eligible.
AAPOR_CODES: dict[str, tuple[str, str]] = {
    "listed": ("UH", "3.11 no invitation sent"),
    "not_started": ("UH", "3.19 invited, nothing returned"),
    "partial": ("P", "1.2 partial"),
    "complete": ("I", "1.1 complete"),
    "break_off": ("R", "2.12 break-off"),
    "refused": ("R", "2.112 known-respondent refusal"),
    "opted_out": ("R", "2.11 refusal"),
    "coordinated": ("O", "2.30 other: answered for by another member"),
    "undeliverable": ("UO", "3.30 invitation returned undelivered"),
    "not_eligible": ("NE", "4.10 not eligible"),
    "unavailable": ("NC", "2.20 unavailable during the field period"),
    "other": ("O", "2.30 other"),
}

AAPOR_SYMBOLS = ("I", "P", "R", "NC", "O", "UH", "UO", "NE")

# What the seed study removed from its "eligible" base.
DEFAULT_EXCLUDED = frozenset({"opted_out", "coordinated", "not_eligible"})

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    """A proportion with the counts it came from and its 95% Wilson interval."""

    numerator: float
    denominator: float
    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Rates:
    counts: dict[str, int]
    aapor_counts: dict[str, int]
    e: float
    e_method: str
    rates: dict[str, Rate]


def wilson_interval(successes: float, n: float, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of ``successes / n``; ``n`` may be fractional (e)."""
    if n < 1e-9:
        # A base this small (e times a few cases, with e near zero) says nothing: the
        # interval is the whole range, and its terms would overflow.
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def rate(numerator: float, denominator: float) -> Rate:
    if denominator <= 0:
        return Rate(numerator, denominator, None, None, None)
    low, high = wilson_interval(numerator, denominator)
    return Rate(numerator, denominator, numerator / denominator, low, high)


def aapor_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Sum disposition counts into AAPOR's eight symbols; an unknown name is an error."""
    unknown = sorted(set(counts) - set(AAPOR_CODES))
    if unknown:
        raise ValueError(f"Unknown disposition(s): {', '.join(unknown)}")
    totals = dict.fromkeys(AAPOR_SYMBOLS, 0)
    for disposition, n in counts.items():
        totals[AAPOR_CODES[disposition][0]] += n
    return totals


def proportional_e(a: Mapping[str, int]) -> float:
    """CASRO proportional allocation: the eligible share among cases of known eligibility.

    With no case of known eligibility there is nothing to allocate by; e is 1, the
    conservative choice (every unknown case counts as eligible).
    """
    eligible = a["I"] + a["P"] + a["R"] + a["NC"] + a["O"]
    known = eligible + a["NE"]
    return eligible / known if known else 1.0


def compute(
    counts: Mapping[str, int],
    *,
    excluded: Iterable[str] = DEFAULT_EXCLUDED,
    e: float | None = None,
) -> Rates:
    """Every rate from disposition counts.

    ``excluded`` names the dispositions that leave the study's eligible base; ``e`` is
    the share of unknown-eligibility cases taken as eligible, estimated by proportional
    allocation when not given.
    """
    excluded = frozenset(excluded)
    a = aapor_counts(counts)
    unknown = sorted(excluded - set(AAPOR_CODES))
    if unknown:
        raise ValueError(f"Unknown disposition(s) to exclude: {', '.join(unknown)}")
    if e is None:
        e, e_method = proportional_e(a), "proportional allocation"
    elif not 0 <= e <= 1:
        raise ValueError("e must be between 0 and 1.")
    else:
        e_method = "given"

    # The study's sample frame is everyone invited (the seeds' "sent to all 360"): a member
    # listed but not yet invited is not in it, though AAPOR keeps them as unknown (3.11).
    frame = sum(counts.values()) - counts.get("listed", 0)
    complete = counts.get("complete", 0)
    eligible_base = frame - sum(counts.get(d, 0) for d in excluded)

    i, p, r, nc, o = a["I"], a["P"], a["R"], a["NC"], a["O"]
    u = a["UH"] + a["UO"]
    ip = i + p
    known = ip + r + nc + o
    contacted = ip + r + o
    rates = {
        "study_frame": rate(complete, frame),
        "study_eligible": rate(complete, eligible_base),
        "RR1": rate(i, known + u),
        "RR2": rate(ip, known + u),
        "RR3": rate(i, known + e * u),
        "RR4": rate(ip, known + e * u),
        "RR5": rate(i, known),
        "RR6": rate(ip, known),
        "COOP1": rate(i, ip + r + o),
        "COOP2": rate(ip, ip + r + o),
        "COOP3": rate(i, ip + r),
        "COOP4": rate(ip, ip + r),
        "REF1": rate(r, known + u),
        "REF2": rate(r, known + e * u),
        "REF3": rate(r, known),
        "CON1": rate(contacted, contacted + nc + u),
        "CON2": rate(contacted, contacted + nc + e * u),
        "CON3": rate(contacted, contacted + nc),
    }
    return Rates(dict(counts), a, e, e_method, rates)
