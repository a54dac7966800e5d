"""Booklet snapshots for tests and the benchmark, in our own words: a small hand-made festival with
the awkward cases (markup characters, Cyrillic, Greek, Turkish, missing and broken stills, a shorts
programme) and a generator of large festivals with a still for every film."""

from __future__ import annotations

import datetime as dt
import io
import random

import pikepdf
from PIL import Image, ImageDraw

from festival_desk.printing.snapshot import (
    BookletSnapshot,
    FestivalInfo,
    FilmEntry,
    Place,
    Quote,
    ScreenInfo,
    Screening,
    SectionEntry,
    ShortsProgramme,
    StillImage,
    VenueInfo,
)

MARKUP_TITLE = "Lost & <Found> &amp; AT&T"
CYRILLIC_TITLE = "Ёлка в Жизни"
GREEK_DIRECTOR = "Αλέξης Παπαδόπουλος"


def embedded_images(pdf) -> list[tuple[int, int, str, bytes]]:
    """(width, height, colour space, raw stream) of every image the pages of `pdf` (a path or the
    PDF's bytes) draw, each image object once."""
    with pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as document:
        found = {}
        for page in document.pages:
            for image in page.get_images().values():
                found[image.objgen] = (int(image.Width), int(image.Height), str(image.ColorSpace),
                                       image.read_raw_bytes())
        return list(found.values())


def still(width: int = 1800, height: int = 1012, colour=(90, 120, 160), fmt: str = "JPEG",
          grain: float = 0.0) -> StillImage:
    """A test still; with `grain` (noise sigma) it compresses like a camera frame, not a flat card."""
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 8, height // 5, width // 2, height // 2), fill=(230, 200, 120))
    if grain:
        noise = Image.effect_noise((width, height), grain).convert("RGB")
        image = Image.blend(image, noise, 0.25)
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=80)
    return StillImage(buffer.getvalue(), width, height, "Photo: festival")


def small_festival() -> BookletSnapshot:
    day = dt.date(2025, 3, 14)

    def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour, minute))

    films = [
        FilmEntry(1, "The Red Soul", sort_title="Red Soul", original_title="Crvena duša",
                  directors=["Ana Kovač"], countries=[Place("SI"), Place("HR")], languages=[Place("slv")],
                  year=2024, runtime_minutes=92, premiere="world",
                  synopsis="A choir of miners sings through one long winter.\n\nWe follow three of them home.",
                  quote=Quote("Quietly devastating and very funny", "Mira Holt", "Reel Notes"),
                  still=still(), position=1),
        FilmEntry(2, MARKUP_TITLE, directors=["Jo <b>Bold</b> Smith"], countries=[Place("US")],
                  languages=[Place("eng")], year=2023, runtime_minutes=75,
                  synopsis="Text with <i>unclosed markup, an entity &eacute; and a URL "
                           "https://example.org/a/very/long/path/that/must/wrap/somewhere/in/the/column/okay",
                  still=still(400, 225), position=2),
        FilmEntry(3, CYRILLIC_TITLE, original_title=CYRILLIC_TITLE, directors=[GREEK_DIRECTOR, "Zeynep Işık"],
                  countries=[Place("GR"), Place("TR"), Place(None, "Atlantis")], languages=[Place("ell")],
                  year=2022, runtime_minutes=101, synopsis="", still=StillImage(b"not an image"), position=3),
        FilmEntry(4, "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                  directors=["Ana Kovač"], countries=[Place("SI")], year=2021, runtime_minutes=12,
                  still=None, position=4),
        FilmEntry(5, "Short Two", directors=["Lea Čeh"], countries=[Place("CZ")], runtime_minutes=15,
                  still=still(900, 900), position=5),
    ]
    sections = [
        SectionEntry("COMP", "Competition", "#1f4e79", "Films in competition for the main prize.",
                     films=films[:3]),
        SectionEntry("SHORT", "Shorts & <More>", "#f0c419", "Short forms.", films=films[3:],
                     programmes=[ShortsProgramme("shorts-1", "Shorts One", [4, 5], [4, 5])]),
    ]
    screenings = [
        Screening(1, at(0, 19, 30), at(0, 21, 15), "Kino Šiška", "Hall 1", [1], premiere="world",
                  qa_minutes=20, guests=["Ana Kovač"]),
        Screening(2, at(1, 14), at(1, 15, 30), "Kinodvor", "Main", [2]),
        Screening(3, at(1, 14, 30), at(1, 16), "Kino Šiška", "Hall 2", [1], kind="press"),
        Screening(4, at(1, 21), at(1, 22), "Kinodvor", "Main", [4, 5], title="Shorts One"),
        Screening(5, at(2, 11), at(2, 12), "Kinodvor", "Small", [4, 5], title="Shorts One"),
    ]
    venues = [VenueInfo("Kino Šiška", "Trg prekomorskih brigad 3, Ljubljana", "Step-free access",
                        [ScreenInfo("Hall 1", 240), ScreenInfo("Hall 2", 80)]),
              VenueInfo("Kinodvor", "Kolodvorska 13", "", [ScreenInfo("Main", 190), ScreenInfo("Small", 40)])]
    festival = FestivalInfo("Docs & <Days>", "12th edition", day, day + dt.timedelta(days=2),
                            welcome="Welcome to twelve days of films & talks.", cover_image=still(1200, 1600))
    return BookletSnapshot(festival, sections, screenings, venues)


def generated_festival(film_count: int = 300, seed: int = 7, still_size=(1200, 675), distinct_stills: int = 12,
                       grain: float = 0.0) -> BookletSnapshot:
    """A large festival: `film_count` films in 6 sections, each with a JPEG still and two screenings.
    `distinct_stills` different images are shared out among the films (as many as films for an
    honest benchmark: a PDF embeds a repeated image once)."""
    rng = random.Random(seed)
    words = ("river night mother border salt glass winter city house dream iron light song field "
             "letter echo harbour silence garden machine").split()
    names = ("Ana Kovač", "Jonas Berg", "Mira Holt", "Zeynep Işık", "Олег Петров", "Νίκος Ζαχαρίου",
             "Lucía Ortega", "Tomasz Wróbel", "Aiko Tanaka", "Kwame Mensah", "Ingrid Ødegård")
    countries = ("SI", "DE", "FR", "US", "GR", "TR", "UA", "PL", "JP", "GH", "NO", "BR", "IN", "CA")
    colours = ("#1f4e79", "#b3202a", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f")
    stills = [still(*still_size, colour=(rng.randrange(40, 200), rng.randrange(40, 200), rng.randrange(40, 200)),
                    grain=grain)
              for _ in range(distinct_stills)]
    sections = [SectionEntry(f"S{i}", f"Section {i + 1}", colours[i], "A strand of the programme.")
                for i in range(6)]
    venues = [VenueInfo(f"Venue {v}", f"Street {v}", "", [ScreenInfo(f"Screen {s}", 100 + s) for s in range(1, 3)])
              for v in range(1, 5)]
    start = dt.datetime(2025, 4, 1, 10)
    screenings = []
    for film_id in range(1, film_count + 1):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4))).title()
        synopsis = " ".join(rng.choice(words) for _ in range(rng.randint(40, 110))).capitalize() + "."
        image = stills[film_id % len(stills)]
        director = f"{rng.choice(names).split()[0]} {rng.choice(names).split()[-1]}-{film_id}"
        film = FilmEntry(film_id, f"{title} {film_id}", directors=[director],
                         countries=[Place(rng.choice(countries))], languages=[Place("eng")],
                         year=rng.randint(2018, 2025), runtime_minutes=rng.randint(60, 140),
                         premiere=rng.choice((None, None, "world", "international")), synopsis=synopsis,
                         quote=Quote("A film to see twice", rng.choice(names), "Daily Reel") if film_id % 3 == 0
                         else None,
                         still=StillImage(image.data, image.width_px, image.height_px), position=film_id)
        sections[film_id % 6].films.append(film)
        for repeat in range(2):
            slot = film_id * 2 + repeat
            begins = start + dt.timedelta(days=slot % 10, hours=(slot // 10) % 12)
            screenings.append(Screening(slot, begins, begins + dt.timedelta(minutes=100),
                                        venues[slot % 4].name, f"Screen {1 + slot % 2}", [film_id],
                                        qa_minutes=20 if repeat == 0 else 0))
    festival = FestivalInfo("Generated Documentary Days", "1st edition", start.date(),
                            start.date() + dt.timedelta(days=9), welcome="Welcome. " * 40)
    return BookletSnapshot(festival, sections, screenings, venues)


# A festival the project has never seen: titles, original titles and names in a dozen scripts.
WORLD_FILMS = [
    ("Waltz with Bashir", "ואלס עם באשיר", ["Ari Folman"], "IL"),
    ("The Cave", "الكهف", ["فراس فياض"], "SY"),
    ("A City of Sadness", "悲情城市", ["侯孝賢"], "TW"),
    ("Spirited Away", "千と千尋の神隠し", ["宮崎 駿"], "JP"),
    ("Memories of Murder", "살인의 추억", ["봉준호"], "KR"),
    ("Mumbai Story", "मुंबई की कहानी", ["आनंद पटवर्धन"], "IN"),
    ("Uncle Boonmee", "ลุงบุญมีระลึกชาติ", ["อภิชาติพงศ์ วีระเศรษฐกุล"], "TH"),
    ("In Bloom", "გრძელი ნათელი დღეები", ["ნანა ექვთიმიშვილი"], "GE"),
    ("The Color of Pomegranates", "Նռան գույնը", ["Սերգեյ Փարաջանով"], "AM"),
    ("Mirror", "Зеркало", ["Андрей Тарковский"], "RU"),
    ("Eternity and a Day", "Μια αιωνιότητα και μια μέρα", ["Θόδωρος Αγγελόπουλος"], "GR"),
    ("Once Upon a Time in Anatolia", "Bir Zamanlar Anadolu'da", ["Nuri Bilge Ceylan"], "TR"),
]


def world_festival() -> BookletSnapshot:
    """Twelve films, one per script, in two sections, each screened twice."""
    day = dt.date(2025, 4, 15)
    films = []
    screenings = []
    for number, (title, original, directors, country) in enumerate(WORLD_FILMS, 1):
        films.append(FilmEntry(number, title, original_title=original, directors=directors,
                               countries=[Place(country)], year=2000 + number, runtime_minutes=70 + number,
                               synopsis=f"{title} ({original}): a film about memory and place, told in "
                                        "long takes over several seasons.",
                               still=still(1600, 900), position=number))
        starts = dt.datetime.combine(day + dt.timedelta(days=number % 3), dt.time(10 + number, 0))
        screenings.append(Screening(number, starts, starts + dt.timedelta(minutes=100), "Kino Šiška", "Hall 1",
                                    [number], qa_minutes=20 if number % 2 else 0))
    sections = [SectionEntry("WORLD", "Around the World", "#1f4e79", "Twelve scripts.", films=films[:6]),
                SectionEntry("MASTERS", "Masters", "#b3202a", "Six more.", films=films[6:])]
    festival = FestivalInfo("Festival of Many Scripts", "1st edition", day, day + dt.timedelta(days=3),
                            welcome="Welcome.")
    return BookletSnapshot(festival, sections, screenings,
                           [VenueInfo("Kino Šiška", "Trg 3", "", [ScreenInfo("Hall 1", 200)])])
