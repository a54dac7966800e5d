"""The programming status of a film and the moves the committee may make between statuses."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.SUBMITTED: "Submitted",
    Status.IN_REVIEW: "In review",
    Status.SHORTLISTED: "Shortlisted",
    Status.SELECTED: "Selected",
    Status.CONFIRMED: "Confirmed",
    Status.DECLINED: "Declined",
    Status.WITHDRAWN: "Withdrawn",
}

ALL_STATUSES: tuple[str, ...] = tuple(s.value for s in Status)

# Films that are in the programme: they may be scheduled and go into the booklet.
PROGRAMMED_STATUSES: frozenset[str] = frozenset({Status.SELECTED, Status.CONFIRMED})

_FORWARD = (Status.SUBMITTED, Status.IN_REVIEW, Status.SHORTLISTED, Status.SELECTED, Status.CONFIRMED)

# Allowed moves. Along the main line a film may move forward or back one step; a committee can
# fast-track a submission straight to the shortlist or selection; any open film can be declined or
# withdrawn, and a declined or withdrawn film can be reopened into review.
ALLOWED_MOVES: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.SHORTLISTED, Status.SELECTED,
                                 Status.DECLINED, Status.WITHDRAWN}),
    Status.IN_REVIEW: frozenset({Status.SUBMITTED, Status.SHORTLISTED, Status.SELECTED,
                                 Status.DECLINED, Status.WITHDRAWN}),
    Status.SHORTLISTED: frozenset({Status.IN_REVIEW, Status.SELECTED, Status.DECLINED, Status.WITHDRAWN}),
    Status.SELECTED: frozenset({Status.SHORTLISTED, Status.CONFIRMED, Status.DECLINED, Status.WITHDRAWN}),
    Status.CONFIRMED: frozenset({Status.SELECTED, Status.WITHDRAWN}),
    Status.DECLINED: frozenset({Status.IN_REVIEW}),
    Status.WITHDRAWN: frozenset({Status.IN_REVIEW}),
}


def parse_status(text: str) -> Status:
    """The Status named by `text` ("Shortlisted", "in review", "in-review", "in_review" all work).

    Raises ValueError naming the valid statuses.
    """
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Status(key)
    except ValueError:
        valid = ", ".join(ALL_STATUSES)
        raise ValueError(f"unknown status {text!r}; valid statuses: {valid}") from None


def can_move(current: str, target: str) -> bool:
    return Status(target) in ALLOWED_MOVES[Status(current)]


def allowed_targets(current: str) -> list[str]:
    """The statuses a film in `current` may move to, in workflow order."""
    allowed = ALLOWED_MOVES[Status(current)]
    return [s.value for s in Status if s in allowed]
