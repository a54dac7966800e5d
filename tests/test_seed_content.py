"""The demo festival in db/seeds/ holds what issue 2 promises a first-time user.

These tests read the seed files directly (not through the loader), so that a broken seed is
reported against the file that has to be fixed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pycountry
import pytest

from festival_desk.core.workflow import ALL_STATUSES, PROGRAMMED_STATUSES

SEEDS = Path(__file__).resolve().parents[1] / "db" / "seeds"
PREMIERES = {"world", "international", "european", "national", "regional"}
KINDS = {"public", "press", "industry", "school"}
CREDIT_ROLES = {"producer", "cinematography", "editing", "music"}
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@pytest.fixture(scope="module")
def seed() -> dict:
    return json.loads((SEEDS / "festival.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def films(seed) -> dict[str, dict]:
    return {film["key"]: film for film in seed["films"]}


def _screen_hours(seed) -> dict[str, tuple[dt.time, dt.time]]:
    return {
        f"{venue['name']} / {screen['name']}": (dt.time.fromisoformat(screen["opens"]),
                                                 dt.time.fromisoformat(screen["closes"]))
        for venue in seed["venues"] for screen in venue["screens"]
    }


def _duration(screening: dict, films: dict[str, dict]) -> int:
    return sum(films[key]["runtime"] for key in screening["films"]) + screening["intro"] + screening["qa"]


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


def _has_diacritics(text: str) -> bool:
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text)) or any(
        ch in "ıłøđæœßÐÞ" for ch in text)


# ---------------------------------------------------------------- festival, sections, venues


def test_festival_is_five_spring_days_in_2027(seed):
    festival = seed["festival"]
    starts, ends = dt.date.fromisoformat(festival["starts_on"]), dt.date.fromisoformat(festival["ends_on"])
    assert starts.year == 2027 and 3 <= starts.month <= 5
    assert (ends - starts).days + 1 == 5
    assert festival["timezone"] == "Europe/Ljubljana"
    assert festival["changeover_minutes"] == 15
    assert festival["min_screenings"] == 2
    assert festival["name"] and festival["edition"] and len(festival["welcome_text"]) > 100


def test_sections_are_distinct_with_colours(seed):
    codes = [section["code"] for section in seed["sections"]]
    assert len(codes) >= 3 and len(set(codes)) == len(codes)
    assert all(HEX_COLOUR.match(section["colour"]) and section["description"] for section in seed["sections"])


def test_four_venues_with_six_screens_and_sane_hours(seed):
    assert len(seed["venues"]) == 4
    screens = [screen for venue in seed["venues"] for screen in venue["screens"]]
    assert len(screens) == 6
    for venue in seed["venues"]:
        assert venue["address"] and venue["accessibility"]
    for screen in screens:
        assert screen["capacity"] > 0
        assert dt.time.fromisoformat(screen["opens"]) < dt.time.fromisoformat(screen["closes"])


# ---------------------------------------------------------------- films


def test_at_least_44_documentaries_with_unique_keys(seed, films):
    assert len(seed["films"]) >= 44
    assert len(films) == len(seed["films"])


def test_the_red_soul_is_there_with_its_facts(films):
    film = films["red-soul"]
    assert film["title"] == "The Red Soul"
    assert film["original_title"] == "Красная душа"
    assert film["original_language"] == "rus"
    assert film["directors"] == ["Jessica Gorter"]
    assert film["countries"] == ["NL"]
    assert film["year"] == 2017


def test_every_film_is_complete_and_consistent(seed, films):
    sections = {section["code"] for section in seed["sections"]}
    tags = {tag["name"] for tag in seed["tags"]}
    for key, film in films.items():
        where = f"film {key}"
        assert film["title"].strip() == film["title"] and film["title"], where
        assert film["directors"] and all(name.strip() for name in film["directors"]), where
        assert set(film["credits"]) == CREDIT_ROLES, where
        assert 1890 <= film["year"] <= 2026, where
        assert 3 <= film["runtime"] <= 218, where
        assert film["section"] in sections, where
        assert film["status"] in ALL_STATUSES, where
        assert film["premiere"] is None or film["premiere"] in PREMIERES, where
        assert len(film["logline"]) > 20 and len(film["synopsis"]) > len(film["logline"]), where
        assert set(film["tags"]) <= tags, where
        assert film["still"]["credit"], where
        assert (film["original_title"] is None) == (film["original_language"] is None), where
        assert film["original_title"] != film["title"], where


def test_country_and_language_codes_are_iso(films):
    for key, film in films.items():
        assert film["countries"], key
        for code in film["countries"]:
            assert pycountry.countries.get(alpha_2=code) is not None, f"{key}: country {code}"
        for code in film["languages"] + ([film["original_language"]] if film["original_language"] else []):
            assert len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None, f"{key}: language {code}"


def test_about_a_third_of_the_films_still_need_a_decision(films):
    statuses = Counter(film["status"] for film in films.values())
    not_programmed = sum(n for status, n in statuses.items() if status not in PROGRAMMED_STATUSES)
    assert 0.25 <= not_programmed / len(films) <= 0.40
    # The workflow has something to do in every state.
    assert set(statuses) == set(ALL_STATUSES)


def test_short_documentaries_are_short(seed, films):
    shorts = [film for film in films.values() if film["section"] == "SHORTS"]
    assert len(shorts) >= 6
    assert all(film["runtime"] <= 40 for film in shorts)


def test_the_awkward_cases_are_exercised(seed, films):
    everything = list(films.values())
    assert any(_has_diacritics(f["title"]) for f in everything), "a title with diacritics"
    assert any(_has_diacritics(name) for f in everything for name in f["directors"]), "a director with diacritics"
    assert any("CYRILLIC" in _scripts(f["original_title"] or "") for f in everything), "a Cyrillic original title"
    assert any(len(f["countries"]) == 3 for f in everything), "a three-country co-production"
    assert any(len(f["directors"]) == 2 for f in everything), "a film with two directors"
    assert sum(f["title"].startswith("The ") for f in everything) >= 3, "titles beginning with The"
    names = [p["name"] for p in seed["programmers"]] + _critic_names()
    assert any("GREEK" in _scripts(name) for name in names), "a Greek name"
    assert any(_has_diacritics(name) for name in names)
    assert any("TURKISH" in name or "ı" in name or "ş" in name for name in names), "a Turkish name"
    notes = [r["note"] for r in seed["ratings"] if r["note"]]
    texts = notes + [seed["festival"]["welcome_text"]] + [s["title"] or "" for s in seed["screenings"]]
    assert any("&" in text for text in texts), "an ampersand in user text"
    assert any("<" in text and ">" in text for text in notes), "angle brackets in a note"
    assert any("Q&A" in text for text in texts)


def test_tags_are_named_and_coloured(seed):
    names = [tag["name"] for tag in seed["tags"]]
    assert len(set(names)) == len(names)
    assert all(HEX_COLOUR.match(tag["colour"]) for tag in seed["tags"])


# ---------------------------------------------------------------- programmers and ratings


def test_five_programmers_rate_and_annotate_films_in_every_stage(seed, films):
    programmers = {p["name"] for p in seed["programmers"]}
    assert len(programmers) == 5
    assert all("@" in p["email"] for p in seed["programmers"])
    pairs = Counter((r["programmer"], r["film"]) for r in seed["ratings"])
    assert max(pairs.values()) == 1, "a programmer rates a film once"
    for rating in seed["ratings"]:
        assert rating["programmer"] in programmers
        assert rating["film"] in films
        assert rating["score"] in range(1, 6)
    rated = {r["film"] for r in seed["ratings"]}
    assert rated == set(films), "every film has at least one rating"
    noted_statuses = {films[r["film"]]["status"] for r in seed["ratings"] if r["note"]}
    assert {"submitted", "in_review", "shortlisted", "declined", "selected", "confirmed"} <= noted_statuses
    assert {r["programmer"] for r in seed["ratings"] if r["note"]} == programmers


# ---------------------------------------------------------------- schedule


def test_at_least_80_screenings_over_the_five_days(seed):
    festival = seed["festival"]
    first, last = dt.date.fromisoformat(festival["starts_on"]), dt.date.fromisoformat(festival["ends_on"])
    days = {dt.datetime.fromisoformat(s["start"]).date() for s in seed["screenings"]}
    assert len(seed["screenings"]) >= 80
    assert days == {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


def test_every_screening_is_well_formed(seed, films):
    hours = _screen_hours(seed)
    for screening in seed["screenings"]:
        where = f"screening {screening['screen']} {screening['start']}"
        assert screening["screen"] in hours, where
        assert screening["films"] and all(key in films for key in screening["films"]), where
        assert all(films[key]["status"] in PROGRAMMED_STATUSES for key in screening["films"]), where
        assert screening["kind"] in KINDS, where
        assert screening["premiere"] is None or screening["premiere"] in PREMIERES, where
        assert screening["intro"] >= 0 and screening["qa"] >= 0, where
        if len(screening["films"]) > 1:
            assert screening["title"], f"{where}: a shorts programme needs its name"


def test_screenings_stay_within_opening_hours(seed, films):
    hours = _screen_hours(seed)
    for screening in seed["screenings"]:
        start = dt.datetime.fromisoformat(screening["start"])
        end = start + dt.timedelta(minutes=_duration(screening, films))
        opens, closes = hours[screening["screen"]]
        assert start.time() >= opens, screening
        assert end.date() == start.date() and end.time() <= closes, screening


def test_no_two_screenings_overlap_on_a_screen_including_changeover(seed, films):
    changeover = dt.timedelta(minutes=seed["festival"]["changeover_minutes"])
    by_screen = defaultdict(list)
    for screening in seed["screenings"]:
        start = dt.datetime.fromisoformat(screening["start"])
        by_screen[screening["screen"]].append((start, start + dt.timedelta(minutes=_duration(screening, films))))
    for screen, slots in by_screen.items():
        slots.sort()
        for (_, earlier_end), (later_start, _) in zip(slots, slots[1:]):
            assert later_start >= earlier_end + changeover, f"{screen}: {later_start} too close to {earlier_end}"


def test_each_programmed_film_screens_about_twice_on_different_days(seed, films):
    public_days = defaultdict(list)
    for screening in seed["screenings"]:
        if screening["kind"] == "public":
            for key in screening["films"]:
                public_days[key].append(screening["start"][:10])
    programmed = {key for key, film in films.items() if film["status"] in PROGRAMMED_STATUSES}
    assert set(public_days) == programmed
    for key, days in public_days.items():
        assert 2 <= len(days) <= 3, key
        assert len(set(days)) == len(days), f"{key} screens twice on one day"


def test_two_shorts_programmes_of_three_to_five_films(seed, films):
    programmes = defaultdict(set)
    for screening in seed["screenings"]:
        if len(screening["films"]) > 1:
            programmes[screening["title"]].add(tuple(screening["films"]))
    assert len(programmes) == 2
    for title, versions in programmes.items():
        assert len(versions) == 1, f"{title} changes its films between screenings"
        (members,) = versions
        assert 3 <= len(members) <= 5
        assert all(films[key]["section"] == "SHORTS" for key in members)


def test_premieres_fall_on_the_first_public_screening(seed, films):
    public = sorted((s for s in seed["screenings"] if s["kind"] == "public"), key=lambda s: s["start"])
    seen: set[str] = set()
    for screening in public:
        first_time = [key for key in screening["films"] if key not in seen]
        if screening["premiere"]:
            assert len(screening["films"]) == 1 and first_time, screening
            assert screening["premiere"] == films[screening["films"][0]]["premiere"]
        seen.update(screening["films"])
    for screening in seed["screenings"]:
        if screening["kind"] != "public":
            assert screening["premiere"] is None
    premiered = {s["films"][0] for s in public if s["premiere"]}
    assert premiered == {key for key, film in films.items()
                         if film["premiere"] and film["status"] in PROGRAMMED_STATUSES and film["section"] != "SHORTS"}


# ---------------------------------------------------------------- reviews


def _review_files() -> list[Path]:
    return sorted((SEEDS / "reviews").glob("*.txt"))


def _read_layout(path: Path) -> dict:
    """Split a review in the reviews.md layout into its parts (enough to check the layout)."""
    blocks = [block.strip("\n") for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip()]
    name, bio = blocks[0].split("\n")
    tags, _, standfirst = blocks[1].partition(": ")
    countries, _, year = blocks[4].rpartition(", ")
    body = blocks[5:]
    quotes = [b for b in body if b[0] in "«“" and b.rstrip()[-1] in "»”"]
    captions = [b for b in body if re.search(r"(^|\. )Photo: |Courtesy of |©", b)]
    paragraphs = [b for b in body if b not in quotes and b not in captions]
    return {"name": name, "bio": bio, "tags": tags, "standfirst": standfirst, "title": blocks[2],
            "directors": blocks[3].split(", "), "countries": countries.split(", "), "year": int(year),
            "quotes": [q.strip()[1:-1] for q in quotes], "captions": captions, "paragraphs": paragraphs}


def _critic_names() -> list[str]:
    return [_read_layout(path)["name"] for path in _review_files()]


def test_ten_reviews_listed_and_present(seed):
    listed = [entry["file"] for entry in seed["reviews"]]
    assert len(listed) == 10 and len(set(listed)) == 10
    assert sorted(f"reviews/{path.name}" for path in _review_files()) == sorted(listed)


def test_ten_different_invented_critics(seed):
    names = _critic_names()
    assert len(set(names)) == 10
    assert sum(_has_diacritics(name) for name in names) >= 5


@pytest.mark.parametrize("path", _review_files(), ids=lambda p: p.name)
def test_review_follows_the_layout(path, films):
    review = _read_layout(path)
    # The bio opens with the critic's surname ("Ní Bhriain is ...", "Zupančič writes ...").
    assert review["bio"].split()[0] in review["name"].split()[1:]
    assert review["tags"] == review["tags"].upper() and review["standfirst"].endswith(".")
    # About a film of the demo: the title (or "Original (Translation)") and its facts match.
    match = re.fullmatch(r"(.+?) \((.+)\)", review["title"])
    candidates = {review["title"]} | (set(match.groups()) if match else set())
    film = next(f for f in films.values() if candidates & {f["title"], f["original_title"]})
    assert review["directors"] == film["directors"]
    assert review["year"] == film["year"]
    assert [pycountry.countries.lookup(name).alpha_2 for name in review["countries"]] == film["countries"]
    # In-line subheads: a short phrase ending in a full stop opens a paragraph.
    assert sum(bool(re.match(r"^[A-Z][^.!?]{2,40}\. [A-Z]", p)) for p in review["paragraphs"]) >= 2
    # Pull quotes repeat a sentence of the body (hard wraps joined with a space).
    body = " ".join(p.replace("\n", " ") for p in review["paragraphs"])
    assert review["quotes"]
    for quote in review["quotes"]:
        assert quote in body, quote
        assert re.search(r"(^|[.!?] )" + re.escape(quote) + r"($| )", body), f"not a whole sentence: {quote}"
    assert len(review["captions"]) == 1
    assert sum("\n" in p for p in review["paragraphs"]) == 1, "exactly one hard-wrapped line"


def test_approved_quotes_point_at_real_quotes(seed):
    for entry in seed["reviews"]:
        quotes = _read_layout(SEEDS / entry["file"])["quotes"]
        assert all(0 <= index < len(quotes) for index in entry["approve_quotes"]), entry
    assert any(entry["approve_quotes"] for entry in seed["reviews"])
    assert any(not entry["approve_quotes"] for entry in seed["reviews"]), "one review with nothing approved yet"


def test_one_review_has_a_cyrillic_title_with_translation():
    titles = [_read_layout(path)["title"] for path in _review_files()]
    assert any(re.fullmatch(r"[^()]*[А-Яа-я][^()]* \([A-Za-z' ]+\)", title) for title in titles)


def test_quote_styles_vary_between_guillemets_and_curly_quotes():
    text = "\n".join(path.read_text(encoding="utf-8") for path in _review_files())
    assert re.search(r"^«.+»$", text, re.MULTILINE) and re.search(r"^“.+”$", text, re.MULTILINE)


def test_the_schedule_passes_the_desks_own_conflict_rules(seed, films):
    """The same rules the desk applies when a programmer drags a screening must find nothing."""
    from festival_desk.core import schedule as rules

    festival = seed["festival"]
    zone = rules.zone_info(festival["timezone"])
    film_ids = {key: number for number, key in enumerate(films, start=1)}
    screens, screen_ids = {}, {}
    for venue_id, venue in enumerate(seed["venues"], start=1):
        for screen in venue["screens"]:
            screen_id = len(screens) + 1
            screens[screen_id] = rules.Screen(
                id=screen_id, name=screen["name"], venue_id=venue_id, venue_name=venue["name"],
                capacity=screen["capacity"], opens=dt.time.fromisoformat(screen["opens"]),
                closes=dt.time.fromisoformat(screen["closes"]))
            screen_ids[f"{venue['name']} / {screen['name']}"] = screen_id
    schedule = rules.Schedule(
        festival=rules.Festival(
            first_day=dt.date.fromisoformat(festival["starts_on"]), last_day=dt.date.fromisoformat(festival["ends_on"]),
            time_zone=festival["timezone"], changeover_minutes=festival["changeover_minutes"],
            min_screenings=festival["min_screenings"]),
        screens=screens,
        films={film_ids[key]: rules.Film(id=film_ids[key], title=film["title"], runtime_minutes=film["runtime"],
                                         status=film["status"], premiere=film["premiere"])
               for key, film in films.items()},
        screenings=[
            rules.Screening(
                id=number, screen_id=screen_ids[item["screen"]],
                start=dt.datetime.fromisoformat(item["start"]).replace(tzinfo=zone),
                items=tuple(rules.ScreeningItem(film_ids[key], films[key]["runtime"]) for key in item["films"]),
                intro_minutes=item["intro"], qa_minutes=item["qa"], kind=item["kind"], premiere=item["premiere"],
                guests=tuple(rules.Guest(rules_key, rules_key) for rules_key in item["guests"]), title=item["title"])
            for number, item in enumerate(seed["screenings"], start=1)
        ],
    )
    findings = rules.check_schedule(schedule)
    assert [finding.message for finding in findings] == []
