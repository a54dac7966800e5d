"""The cover (the festival's name fitted to its box over the cover image) and the back cover."""

from __future__ import annotations

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from festival_desk.core.errors import UserError
from festival_desk.printing.parts.common import Marker, BookPara
from festival_desk.printing.parts.entry import readable_image
from festival_desk.printing.styles import markup


class CoverPart:
    """The front and back covers. A part of `BookletRenderer`: it uses the renderer's snapshot, options, styles,
    colours, labels and geometry."""

    def cover_story(self) -> list[Flowable]:
        """The festival's name set as large as its box allows (down to twice the body size), then
        edition and dates. A name that does not fit even then is refused: it would push the cover
        onto a second page."""
        festival = self.snapshot.festival
        subtitle = " · ".join(part for part in (festival.edition, self.labels.date_range(
            festival.starts_on, festival.ends_on)) if part)
        tail: list[Flowable] = []
        if subtitle:
            tail = [Spacer(1, 4), BookPara(markup(subtitle), self.styles.cover_subtitle)]
        g = self.geometry
        width, height = g.trim_width - 2 * g.outer, g.trim_height * 0.34 - g.bottom
        room = height - sum(part.wrap(width, height)[1] for part in tail)
        style = self.styles.cover_title
        smallest = self.styles.body.fontSize * 2
        size = style.fontSize
        while True:
            fitted = style.clone("cover_title_fitted", fontSize=size, leading=size * 1.12)
            title = BookPara(markup(festival.name), fitted)
            if title.wrap(width, height)[1] <= room and title.minWidth() <= width:
                return [title, *tail, NextPageTemplate("body")]
            if size <= smallest:
                raise UserError(f"cover: the festival name ({len(festival.name)} characters) does not fit the "
                                f"cover even at {smallest:g} pt; shorten it for the cover")
            size = max(smallest, size * 0.92)

    def draw_cover(self, canvas, doc) -> None:
        if not self.options.press:
            canvas.showOutline()  # the screen file opens with its bookmarks panel showing
        g = self.geometry
        festival = self.snapshot.festival
        x0, y0, x1, y1 = g.bleed_box
        image_bottom = g.offset + g.trim_height * 0.38
        canvas.saveState()
        canvas.setFillColor(self.colours.accent)
        canvas.rect(x0, image_bottom, x1 - x0, y1 - image_bottom, stroke=0, fill=1)
        cover = festival.cover_image
        if cover is not None and cover.data:
            reader, size, problem = readable_image(cover, self.press_stills, "of the cover")
            if reader is not None:
                box_width, box_height = x1 - x0, y1 - image_bottom
                scale = max(box_width / size[0], box_height / size[1])  # fill the box, crop the rest
                width, height = size[0] * scale, size[1] * scale
                path = canvas.beginPath()
                path.rect(x0, image_bottom, box_width, box_height)
                canvas.clipPath(path, stroke=0, fill=0)
                reader.draw_on(canvas, x0 + (box_width - width) / 2, image_bottom + (box_height - height) / 2,
                               width, height)
            elif problem and doc.page == 1:
                warning = f"The cover image cannot be read ({problem}); the cover prints without it."
                if warning not in self.warnings:
                    self.warnings.append(warning)
        canvas.restoreState()
        self.draw_marks(canvas, doc)

    def back_cover_story(self) -> list[Flowable]:
        festival = self.snapshot.festival
        return [NextPageTemplate("back"), PageBreak(), Marker(""),
                Spacer(1, self.geometry.frame_height * 0.75),
                BookPara(markup(festival.name), self.styles.subheading.clone(
                    "back_title", textColor=self.colours.paper)),
                BookPara(markup(self.labels.date_range(festival.starts_on, festival.ends_on)),
                          self.styles.body.clone("back_text", textColor=self.colours.paper))]

    def draw_back_cover(self, canvas, doc) -> None:
        x0, y0, x1, y1 = self.geometry.bleed_box
        canvas.saveState()
        canvas.setFillColor(self.colours.text)
        canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        canvas.restoreState()
