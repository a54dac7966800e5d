"""Shortening a pull quote in the desk as a programmer does: in place in the quote list (double-click,
type, Enter), or through "Approve shortened…" with the verdict shown while typing; a rewrite is
refused with the reason; in the desk each change is one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlmodel import select

from festival_desk.actions.reviews import film_reviews
from festival_desk.gui.reviews import ReviewsPanel
from festival_desk.store.models import PullQuote, Review

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot, demo_db):
    with demo_db.reading() as session:
        quote = session.exec(select(PullQuote).where(PullQuote.approved)).first()
        film_id = session.get(Review, quote.review_id).film_id
    widget = ReviewsPanel(demo_db)
    qtbot.addWidget(widget)
    widget.resize(700, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.film_id = film_id
    widget.show_reviews(film_reviews(demo_db, film_id), quote.review_id)
    widget.quote = quote
    return widget


def stored(database, quote_id) -> PullQuote:
    with database.reading() as session:
        return session.get(PullQuote, quote_id)


def item_of(panel, quote_id):
    return next(panel.quotes.item(r) for r in range(panel.quotes.count())
                if panel.quotes.item(r).data(Qt.ItemDataRole.UserRole) == quote_id)


def edit_in_place(qtbot, panel, quote_id, text) -> None:
    """Double-click the quote, replace its text, press Enter."""
    item = item_of(panel, quote_id)
    rect = panel.quotes.visualItemRect(item)
    qtbot.mouseClick(panel.quotes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.quotes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = panel.quotes.findChild(QLineEdit)
    assert editor is not None and editor.isVisible() and editor.text() == item.text()
    editor.setText(text)  # non-ASCII safe; key by key typing is tested in the dialog below
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def cut(text: str) -> str:
    words = text.split()
    return " ".join(words[:3]) + " … " + " ".join(words[-2:])


def test_shorten_in_place_keeps_the_approval(qtbot, panel, demo_db):
    quote = panel.quote
    with qtbot.waitSignal(panel.changed, timeout=5000) as changed:
        edit_in_place(qtbot, panel, quote.id, cut(quote.text))
    assert changed.args[0].description == f"Shorten quote to “{cut(quote.text)}”"
    assert (stored(demo_db, quote.id).text, stored(demo_db, quote.id).approved) == (cut(quote.text), True)
    item = item_of(panel, quote.id)
    assert item.text() == cut(quote.text) and quote.original_text in item.toolTip()


def test_a_rewrite_in_place_is_refused_with_the_reason(qtbot, panel, demo_db):
    quote = panel.quote
    words = quote.text.split()
    edit_in_place(qtbot, panel, quote.id, " ".join(words[:2] + ["brilliantly"] + words[2:]))
    qtbot.waitUntil(lambda: "“brilliantly” is not in the original" in panel.quote_message.text(), timeout=5000)
    assert stored(demo_db, quote.id).text == quote.text
    assert item_of(panel, quote.id).text() == quote.text  # shown as stored again


def test_approve_shortened_shows_the_verdict_while_typing(qtbot, panel, demo_db):
    quote = panel.quote
    with demo_db.transaction() as session:  # start from an unapproved quote
        session.get(PullQuote, quote.id).approved = False
    panel.refresh()
    panel.quotes.setCurrentItem(item_of(panel, quote.id))
    qtbot.mouseClick(panel.shorten_button, Qt.MouseButton.LeftButton)
    dialog = panel.shorten_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.approve_button.isEnabled()  # the whole quote is fine
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "Nothing like it")
    assert not dialog.approve_button.isEnabled() and "“Nothing”, “like” and “it” are not in the original" \
        in dialog.verdict.text()
    words = quote.original_text.split()
    dialog.editor.setPlainText(" ".join(words[:3] + words[-2:]))
    if len(words) > 5:
        assert not dialog.approve_button.isEnabled() and "without an ellipsis" in dialog.verdict.text()
    dialog.editor.setPlainText(cut(quote.original_text))
    assert dialog.approve_button.isEnabled() and "fine to print" in dialog.verdict.text()
    with qtbot.waitSignal(panel.changed, timeout=5000):
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    after = stored(demo_db, quote.id)
    assert (after.text, after.approved) == (cut(quote.original_text), True)


def test_in_the_desk_shortening_is_one_undo_step(qtbot, demo_db):
    from festival_desk.gui.desk import DeskContext
    from festival_desk.gui.reviews import film_reviews_panel

    with demo_db.reading() as session:
        quote = session.exec(select(PullQuote).where(PullQuote.approved)).first()
        film_id = session.get(Review, quote.review_id).film_id
    context = DeskContext()
    context.set_database(demo_db)
    panel = film_reviews_panel(context, None)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_film(film_id, quote.review_id)
    qtbot.waitUntil(lambda: panel.quotes.count() > 0, timeout=5000)
    with qtbot.waitSignal(context.changed, timeout=5000):
        edit_in_place(qtbot, panel, quote.id, cut(quote.text))
    assert context.undo.undo_text() == f"Undo Shorten quote to “{cut(quote.text)}”"
    assert stored(demo_db, quote.id).text == cut(quote.text)
    with qtbot.waitSignal(context.changed, timeout=5000):
        context.undo.undo()
    assert stored(demo_db, quote.id).text == quote.text
    qtbot.waitUntil(lambda: item_of(panel, quote.id).text() == quote.text, timeout=5000)
    context.runner.shutdown()
