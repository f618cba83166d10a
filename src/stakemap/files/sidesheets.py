"""The importer's readers of the Layout and Engagements sheets: the network positions and the
engagement log, by the names of the people the Stakeholders sheet gave
(:mod:`stakemap.files.importing`)."""

from __future__ import annotations

from stakemap.files.cells import ACCEPTED, parse_date
from stakemap.files.columns import SheetReader
from stakemap.files.outcome import Problem
from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.model import Engagement
from stakemap.schema import ENGAGEMENTS, LAYOUT
from stakemap.values import BadValue, cell_text

__all__ = ["SideSheets"]


class SideSheets(SheetReader):
    """A sheet reader that reads the Layout and Engagements sheets too."""

    def _layout(self, found, names: dict[str, str]) -> dict[str, tuple[float, float]]:
        """Network positions by name; positions of people not on the map are reported."""
        sheet, header_row, headers = found
        mapping = self.map_columns("Layout", sheet, header_row, headers, LAYOUT)
        positions: dict[str, tuple[float, float]] = {}
        unknown = 0
        for number, row in self.data_rows("Layout", sheet, header_row):
            since = len(self.problems)
            fields, _extra = self.row_fields(sheet.title, number, row, mapping, {})
            if len(self.problems) == since and not {"x", "y"} <= fields.keys():
                self.problems.append(
                    Problem(sheet.title, number, "X" if "x" not in fields else "Y", "",
                            _("is empty"), _("a number"))
                )  # fmt: skip
            if self.keep_bad_row(sheet.title, "Layout", number, row, mapping, since):
                continue
            name = names.get(str(fields.get("name", "")).casefold())
            if name is None:
                unknown += 1
            elif not self.left_with_person(sheet.title, number, [name], "position"):
                positions[name] = (fields["x"], fields["y"])
        if unknown:
            self.report.append(
                ngettext(
                    "Layout: {n} position(s) of names not on the Stakeholders sheet skipped",
                    "Layout: {n} position(s) of names not on the Stakeholders sheet skipped",
                    unknown,
                ).format(n=unknown)
            )
        self.report.append(_("Layout: {n} network positions read").format(n=len(positions)))
        return positions

    def _note_serials(self, rows: list[tuple[int, list]], mapping) -> None:
        """Say so when dates came as serial numbers (a date cell that lost its format)."""
        for i, (header, col) in mapping.items():
            if col is None or col.kind != "date":
                continue
            numbers = [r[i] for _n, r in rows if i < len(r) and type(r[i]) in (int, float)]
            if not numbers:
                continue
            try:
                example = parse_date(numbers[0])
            except BadValue:  # a problem names each cell that is no date
                continue
            self.report.append(
                ngettext(
                    "Engagements: column {header} read from {n} date serial number(s) (such as "
                    "{number}, {date})",
                    "Engagements: column {header} read from {n} date serial number(s) (such as "
                    "{number}, {date})",
                    len(numbers),
                ).format(header=header, n=len(numbers), number=cell_text(numbers[0]), date=example)
            )

    def _engagements(self, found, names: dict[str, str]) -> tuple[Engagement, ...]:
        """The engagement log in sheet order; rows of people not on the map are reported."""
        sheet, header_row, headers = found
        mapping = self.map_columns("Engagements", sheet, header_row, headers, ENGAGEMENTS)
        log: list[Engagement] = []
        unknown = 0
        rows = self.data_rows("Engagements", sheet, header_row)
        self._note_serials(rows, mapping)
        for number, row in rows:
            since = len(self.problems)
            fields, _extra = self.row_fields(sheet.title, number, row, mapping, {})
            for col in ENGAGEMENTS.columns:
                if col.required and col.field not in fields and len(self.problems) == since:
                    self.problems.append(
                        Problem(
                            sheet.title, number, col.name, "", _("is empty"), _(ACCEPTED[col.kind])
                        )
                    )
            if self.keep_bad_row(sheet.title, "Engagements", number, row, mapping, since):
                continue
            name = names.get(str(fields["name"]).casefold())
            if name is None:
                unknown += 1
            elif not self.left_with_person(sheet.title, number, [name], "meeting"):
                fields.pop("unaware", None)
                log.append(Engagement(**{**fields, "name": name}))
        if unknown:
            self.report.append(
                ngettext(
                    "Engagements: {n} meeting(s) of names not on the Stakeholders sheet skipped",
                    "Engagements: {n} meeting(s) of names not on the Stakeholders sheet skipped",
                    unknown,
                ).format(n=unknown)
            )
        self.report.append(_("Engagements: {n} meetings read").format(n=len(log)))
        return tuple(log)
