"""Printable documents: QR-code posters for the waiting room and the quarterly gazette."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from binome.core.pdf import render_pdf
from binome.core.qr import qr_svg_data_uri
from binome.voice.models import Idea, Meeting, Proposal, Status, Survey


def poster_pdf(*, structure, title: str, lead: str, url: str) -> bytes:
    """An A4 poster: a big QR code, the address written out, one sentence on anonymity."""
    return render_pdf(
        "voice/poster_pdf.html",
        {
            "structure": structure,
            "title": title,
            "lead": lead,
            "url": url,
            "qr": qr_svg_data_uri(url, scale=12),
        },
    )


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, end


@dataclass
class Gazette:
    structure: object
    year: int
    quarter: int
    ideas_done: list
    ideas_accepted: list
    proposals: list
    meetings: list
    surveys: list
    issue: object = None  # the text written with the committee (GazetteIssue), if any

    @property
    def is_empty(self):
        return not (
            self.ideas_done
            or self.ideas_accepted
            or self.proposals
            or self.meetings
            or self.surveys
        )


def gazette(structure, year: int, quarter: int) -> Gazette:
    """What was done this quarter, in words the users read (5 queries)."""
    start, end = quarter_bounds(year, quarter)
    published = Idea.objects.filter(structure=structure, moderation=Idea.Moderation.PUBLISHED)
    return Gazette(
        structure=structure,
        year=year,
        quarter=quarter,
        ideas_done=list(
            published.filter(status=Status.DONE, done_at__gte=start, done_at__lt=end).order_by(
                "done_at"
            )[:30]
        ),
        ideas_accepted=list(
            published.filter(
                status=Status.ACCEPTED,
                status_changed_at__date__gte=start,
                status_changed_at__date__lt=end,
            ).order_by("status_changed_at")[:30]
        ),
        proposals=list(
            Proposal.objects.filter(
                structure=structure,
                status__in=[Status.DONE, Status.ACCEPTED],
                status_changed_at__date__gte=start,
                status_changed_at__date__lt=end,
            )
            .select_related("committee")
            .order_by("status_changed_at")[:30]
        ),
        meetings=list(
            Meeting.objects.filter(structure=structure, date__gte=start, date__lt=end)
            .select_related("committee")
            .order_by("date")[:20]
        ),
        surveys=list(
            Survey.objects.filter(structure=structure, published_at__date__lt=end)
            .exclude(state=Survey.State.DRAFT)
            .exclude(closed_at__date__lt=start)
            .annotate(n=Count("responses"))
            .order_by("published_at")[:10]
        ),
    )


def gazette_pdf(g: Gazette) -> bytes:
    return render_pdf("voice/gazette_pdf.html", {"g": g})
