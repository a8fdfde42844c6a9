"""The annual report in PDF: the dashboard's main tables for one year, and the action plan's progress.

Every table comes from one release (``release.build_release``), the one the dashboard shows for the
same period, so every count has been through disclosure control, with the same hidden cells as
on the page and in the downloads. One granularity per report (quarters by default): publishing
the months and the quarters of one year side by side would let a hidden month be worked out from
its quarter.
"""

from __future__ import annotations

from datetime import date

from django.utils import formats, translation
from django.utils.translation import gettext as _

from masarat.actionplan.pdf import action_plan_section
from masarat.actionplan.selectors import parse_period, progress_report
from masarat.statistics.pdf import Document
from masarat.statistics.release import build_release, durations_table
from masarat.statistics.selectors import Filters
from masarat.statistics.snapshot import one_snapshot

GRANULARITIES = ("month", "quarter")
# The sections of the report and their tables, in the dashboard's order.
SECTIONS: list[tuple[str, list[str]]] = [
    ("referrals", ["periods", "outcomes"]),
    ("profile", ["sex", "age_band", "nationality", "exploitation", "agency_kind"]),
    ("regions", ["region"]),
    ("stages", ["durations", "compliance"]),
    ("backlog", ["backlog", "overdue"]),
]


def _section_titles() -> dict[str, str]:
    return {
        "referrals": _("Referrals and identified victims"),
        "profile": _("Who is referred"),
        "regions": _("Referrals by region"),
        "stages": _("Time in each stage and deadlines"),
        "backlog": _("Backlog"),
    }


def annual_report_pdf(year: int, *, language: str, granularity: str = "quarter", today: date | None = None) -> bytes:
    """The report of ``year`` in ``language`` ("fr", "ar" or "en")."""
    if granularity not in GRANULARITIES:
        raise ValueError(granularity)
    with translation.override(language):
        with one_snapshot():  # the tables agree with each other while referrals keep arriving
            release = build_release(Filters(start=date(year, 1, 1), end=date(year, 12, 31)), granularity,
                                    today=today)
        tables = {**release.tables, "durations": durations_table(release)}
        title = _("Annual report %(year)s") % {"year": year}
        document = Document(title=title, language=language)
        document.heading(title)
        document.paragraph(_("National referral mechanism for victims of trafficking in persons: referrals made "
                             "from 1 January to 31 December %(year)s, and where they stand on %(date)s.") % {
            "year": year, "date": formats.date_format(release.today, "DATE_FORMAT")})
        document.paragraph(_("Counts come from the statistical profile of each case, never from identities. A count "
                             "from 1 to %(threshold)s minus one is shown as \"hidden\", and so are a few other "
                             "counts where a hidden one could otherwise be worked out from the totals.") % {
            "threshold": release.threshold})
        titles = _section_titles()
        for section, codes in SECTIONS:
            document.heading(titles[section], level=2)
            for code in codes:
                document.published_table(tables[code])
        document.heading(_("Action plan: progress in %(year)s") % {"year": year}, level=2)
        period = parse_period(str(year))
        assert period is not None
        action_plan_section(document, progress_report(period, today=release.today))
        return document.output()
