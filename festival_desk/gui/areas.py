"""The areas of the desk and how their pages are found.

Film areas (Submissions, Shortlist, Selection) are film lists with a film page beside them. The
other areas are hosted from the modules of the parts that build them; each such module provides a
factory taking the `DeskContext` and a parent widget:

    festival_desk.gui.reviews        reviews_widget(context, parent), critics_widget(context, parent),
                                     film_reviews_panel(context, parent)   (the film page's Reviews tab)
    festival_desk.gui.submissions    submissions_panel(context, parent)    (filters / import, beside the list)
    festival_desk.gui.schedule       schedule_widget(context, parent)
    festival_desk.gui.print_page     print_widget(context, parent)
    festival_desk.gui.queue          queue_widget(context, parent)         (my viewing queue, the committee's progress)

Until a module provides its factory the area shows a placeholder page saying what will be there.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from festival_desk.core.workflow import Status


@dataclass(frozen=True)
class Area:
    key: str
    title: str  # source text, translated in context "Area"
    icon: str
    statuses: tuple[str, ...] | None = None  # film areas: the statuses listed (empty: all)
    module: str | None = None
    factory: str | None = None
    placeholder: str = ""

    @property
    def is_film_list(self) -> bool:
        return self.statuses is not None

    def label(self) -> str:
        return QCoreApplication.translate("Area", self.title)


AREAS: tuple[Area, ...] = (
    Area("submissions", QT_TRANSLATE_NOOP("Area", "Submissions"), "submissions", statuses=()),
    Area("shortlist", QT_TRANSLATE_NOOP("Area", "Shortlist"), "shortlist", statuses=(Status.SHORTLISTED.value,)),
    Area("selection", QT_TRANSLATE_NOOP("Area", "Selection"), "selection",
         statuses=(Status.SELECTED.value, Status.CONFIRMED.value)),
    Area("reviews", QT_TRANSLATE_NOOP("Area", "Reviews"), "reviews", module="festival_desk.gui.reviews",
         factory="reviews_widget",
         placeholder=QT_TRANSLATE_NOOP("Area", "Critics' reviews and their pull quotes will be listed here: "
                                               "import a review, check its parts, approve quotes for print.")),
    Area("critics", QT_TRANSLATE_NOOP("Area", "Critics"), "critics", module="festival_desk.gui.reviews",
         factory="critics_widget",
         placeholder=QT_TRANSLATE_NOOP("Area", "The critics whose reviews the festival quotes will be listed here.")),
    Area("schedule", QT_TRANSLATE_NOOP("Area", "Schedule"), "schedule", module="festival_desk.gui.schedule",
         factory="schedule_widget",
         placeholder=QT_TRANSLATE_NOOP("Area", "The screening grid (screens × hours, a day at a time) will be here.")),
    Area("print", QT_TRANSLATE_NOOP("Area", "Print"), "print", module="festival_desk.gui.print_page",
         factory="print_widget",
         placeholder=QT_TRANSLATE_NOOP("Area", "Building the programme booklet and committee sheets will be here.")),
    Area("queue", QT_TRANSLATE_NOOP("Area", "My queue"), "rate", module="festival_desk.gui.queue",
         factory="queue_widget",
         placeholder=QT_TRANSLATE_NOOP("Area", "The films you are to watch, by due date, and the committee's "
                                               "progress will be here.")),
)


def hosted_factory(module_name: str, factory: str) -> Callable[..., QWidget] | None:
    """The factory `module_name.factory`, or None while that part has not landed."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as missing:
        if missing.name and module_name.startswith(missing.name):
            return None
        raise
    found = getattr(module, factory, None)
    return found if callable(found) else None


def placeholder_page(area: Area, parent: QWidget | None = None) -> QWidget:
    page = QWidget(parent)
    page.setObjectName(f"placeholder-{area.key}")
    title = QLabel(area.label(), page)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    title.setFont(font)
    text = QLabel(QCoreApplication.translate("Area", area.placeholder), page)
    text.setWordWrap(True)
    note = QLabel(QCoreApplication.translate("Area", "This part of the desk is not built yet."), page)
    note.setEnabled(False)
    layout = QVBoxLayout(page)
    layout.addStretch(1)
    for label in (title, text, note):
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
    layout.addStretch(2)
    return page
