"""A generated festival of any size, for benchmarks and stress tests (`festival-desk generate`).

Guarantees:
- Deterministic: the same `films` and `seed` write the same rows (every random choice comes from
  one `random.Random(seed)`; nothing depends on the clock, hash seeds or dictionary order).
- Realistic shape: submissions from many countries with names in Latin (with diacritics), Cyrillic,
  Greek, Arabic, Hebrew, Han, Hangul and Devanagari scripts; several ratings per film by 5–20
  programmers, about four notes per film, a critic's review for about one film in five with pull
  quotes (in the layout of shared/formats/reviews.md), and for the programmed films (about 300 at
  most) a still each and two public screenings on different days, conflict-free on their screens.
- Fast: rows are written with Core `executemany` inserts in one transaction, never one ORM object
  at a time; the search index is rebuilt once at the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import random
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from festival_desk.actions.artwork import make_cover, make_still
from festival_desk.actions.changes import Change
from festival_desk.actions.demo import clear_festival, has_festival_data
from festival_desk.core import codes
from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.text import fold_words, filing
from festival_desk.core.workflow import Status
from festival_desk.store import changelog
from festival_desk.store import models as m
from festival_desk.store.db import Database
from festival_desk.store.search import rebuild_index

MAX_FILMS = 100_000
MAX_PROGRAMMED = 300
# Generated stills are 10 cm wide at 300 dpi: print quality for a booklet column, and fast enough
# to make 300 of them in a few seconds.
STILL_SIZE = (1200, 675)
_CHUNK = 5_000
_STARTS_ON = dt.date(2027, 4, 14)

# --- name pools: (given names, surnames, country codes, language code, joiner) -------------------
# Surnames that change with gender are given as "male|female".


@dataclass(frozen=True)
class _Culture:
    given: tuple[str, ...]
    surnames: tuple[str, ...]
    countries: tuple[str, ...]
    language: str
    surname_first: bool = False
    joiner: str = " "


def _c(given: str, surnames: str, countries: str, language: str, *, surname_first: bool = False,
       joiner: str = " ") -> _Culture:
    return _Culture(tuple(given.split(",")), tuple(surnames.split(",")), tuple(countries.split(",")),
                    language, surname_first, joiner)


_CULTURES: tuple[_Culture, ...] = (
    _c("Maja,Tomaž,Nika,Urška,Žiga,Matej,Špela,Jure,Anže,Tjaša", "Kovačič,Horvat,Novak,Krajnc,Zupančič,Potočnik,"
       "Vidmar,Kos,Golob,Žagar", "SI", "slv"),
    _c("Elif,Ayşe,Mehmet,Çağla,Oğuz,Şule,İlker,Gökhan,Ümit,Yıldız", "Yılmaz,Kaya,Demir,Şahin,Çelik,Öztürk,Aydın,"
       "Arslan,Doğan,Kılıç", "TR", "tur"),
    _c("Ελένη,Δανάη,Κατερίνα,Σοφία,Γιώργος,Νίκος,Δημήτρης,Αλέξανδρος", "Παπαδόπουλος|Παπαδοπούλου,"
       "Γεωργίου,Νικολάου,Οικονόμου,Καραγιάννης|Καραγιάννη,Μαυρίδης|Μαυρίδου", "GR,CY", "ell"),
    _c("Анна,Мария,Ольга,Екатерина,Иван,Дмитрий,Алексей,Сергей", "Иванов|Иванова,Смирнов|Смирнова,"
       "Кузнецов|Кузнецова,Соколов|Соколова,Попов|Попова,Лебедев|Лебедева", "RU,KZ,LV", "rus"),
    _c("Олена,Тарас,Оксана,Богдан,Ірина,Андрій", "Шевченко,Коваленко,Бондаренко,Ткаченко,Кравчук,Мельник",
       "UA", "ukr"),
    _c("Јелена,Милош,Драгана,Никола,Марија,Стефан", "Петровић,Јовановић,Николић,Марковић,Ђорђевић,Стојановић",
       "RS,BA,ME", "srp"),
    _c("Ana,Ivan,Petra,Luka,Lucija,Marko,Ivana", "Horvat,Kovačević,Babić,Marić,Jurić,Perić,Vuković", "HR,BA",
       "hrv"),
    _c("Agnieszka,Małgorzata,Zofia,Łukasz,Paweł,Wojciech", "Nowak,Wróbel,Kowalczyk,Kowalski|Kowalska,"
       "Wiśniewski|Wiśniewska,Zieliński|Zielińska", "PL", "pol"),
    _c("Tereza,Kateřina,Eliška,Jiří,Lukáš,Ondřej", "Dvořák|Dvořáková,Černý|Černá,Procházka|Procházková,"
       "Novotný|Novotná,Svoboda|Svobodová", "CZ,SK", "ces"),
    _c("Zsófia,Ádám,Réka,Bence,Dóra,Levente", "Nagy,Szabó,Tóth,Kovács,Horváth,Varga", "HU", "hun",
       surname_first=True),
    _c("Ioana,Andrei,Mădălina,Ștefan,Irina,Radu", "Popescu,Ionescu,Dumitrescu,Păunescu,Stănescu,Munteanu",
       "RO,MD", "ron"),
    _c("Jürgen,Lena,Matthias,Anneliese,Jörg,Käthe", "Müller,Schröder,Weiß,Groß,Köhler,Fischer", "DE,AT,CH",
       "deu"),
    _c("Hélène,François,Amélie,Jérôme,Clémence,Loïc", "Lefèvre,Dubois,Moreau,Girard,Lemaître,Béranger",
       "FR,BE,CH,SN", "fra"),
    _c("Iñaki,María José,Begoña,Álvaro,Lucía,Sebastián", "García,Muñoz,Etxeberria,Peña,Domínguez,Ibáñez",
       "ES,MX,AR,CL,CO,PE", "spa"),
    _c("João,Conceição,Gonçalo,Inês,Thaís,Luíza", "Gonçalves,Araújo,Simões,Magalhães,Assunção", "PT,BR", "por"),
    _c("Søren,Åsa,Björn,Ingrid,Sigrún,Mikael", "Kjærgaard,Sørensen,Åberg,Lindqvist,Østergaard,Nyström",
       "DK,SE,NO", "dan"),
    _c("Guðrún,Þórður,Halldóra,Sigurður", "Jónsdóttir,Sigurðsson,Guðmundsdóttir,Þorsteinsson", "IS", "isl"),
    _c("Aoife,Siobhán,Niamh,Róisín,Seán,Pádraig", "Ó Briain|Ní Bhriain,Ó Súilleabháin|Ní Shúilleabháin,"
       "Mac Cárthaigh|Nic Cárthaigh,Ó Dónaill|Ní Dhónaill", "IE", "gle"),
    _c("Sarah,James,Emily,Daniel,Grace,Samuel", "Miller,O'Connor,Thompson,Okafor,Nguyen,Whitaker",
       "US,GB,CA,AU,NZ", "eng"),
    _c("ليلى,كريم,سلمى,يوسف,نور,عمر", "حداد,خوري,ناصر,صالح,منصور", "EG,LB,JO,PS,TN,MA,SY", "ara"),
    _c("Layla,Karim,Salma,Youssef,Nour,Omar", "Haddad,Khoury,Nasser,Saleh,Mansour,El-Amrani",
       "EG,LB,JO,PS,TN,MA", "ara"),
    _c("נועה,יונתן,מאיה,איתי", "כהן,לוי,מזרחי,פרץ", "IL", "heb"),
    _c("芳,伟,静,洋,敏,磊,婷", "王,李,张,刘,陈,杨", "CN,TW", "cmn", surname_first=True, joiner=""),
    _c("美咲,健太,陽菜,翔,さくら", "佐藤,鈴木,高橋,田中,渡辺", "JP", "jpn", surname_first=True, joiner=""),
    _c("민지,서준,지우,하은,도윤", "김,이,박,최,정", "KR", "kor", surname_first=True, joiner=""),
    _c("प्रिया,राहुल,अनन्या,अर्जुन", "शर्मा,वर्मा,गुप्ता,मेहता", "IN", "hin"),
    _c("Priya,Rahul,Ananya,Arjun,Kavya", "Sharma,Verma,Gupta,Mehta,Iyer", "IN", "hin"),
    _c("Nguyễn Thị Lan,Trần Văn Minh,Lê Thị Hằng,Phạm Quốc Bảo", "", "VN", "vie", joiner=""),
    _c("Chidi,Ngozi,Amara,Tunde,Folake", "Okafor,Adeyemi,Eze,Balogun,Nwosu", "NG,GH", "eng"),
)
# Cultures with a feminine surname form after "|": their first N given names are women's.
_FEMININE_FIRST = {"ell": 4, "rus": 4, "pol": 3, "ces": 3, "gle": 4}

_DOUBLE_SURNAMES = {"spa": " ", "por": " ", "eng": "-", "fra": "-", "deu": "-", "ara": "-"}

# --- titles --------------------------------------------------------------------------------
_MEANINGS = ("The Silent River", "The Last Winter", "Salt and Iron", "Night Shift", "Borderland",
             "Mother's House", "The Long Road Home", "Children of the Wind")
_NATIVE_TITLES: dict[str, tuple[str, ...]] = {
    "slv": ("Tiha reka", "Zadnja zima", "Sol in železo", "Nočna izmena", "Obmejje", "Mamina hiša",
            "Dolga pot domov", "Otroci vetra"),
    "rus": ("Тихая река", "Последняя зима", "Соль и железо", "Ночная смена", "Пограничье", "Мамин дом",
            "Долгая дорога домой", "Дети ветра"),
    "ukr": ("Тиха річка", "Остання зима", "Сіль і залізо", "Нічна зміна", "Прикордоння", "Мамин дім",
            "Довга дорога додому", "Діти вітру"),
    "srp": ("Тиха река", "Последња зима", "Со и гвожђе", "Ноћна смена", "Пограничје", "Мајчина кућа",
            "Дуг пут кући", "Деца ветра"),
    "ell": ("Το σιωπηλό ποτάμι", "Ο τελευταίος χειμώνας", "Αλάτι και σίδερο", "Νυχτερινή βάρδια", "Μεθόριος",
            "Το σπίτι της μητέρας", "Ο μακρύς δρόμος για το σπίτι", "Τα παιδιά του ανέμου"),
    "tur": ("Sessiz Nehir", "Son Kış", "Tuz ve Demir", "Gece Vardiyası", "Sınır Bölgesi", "Annemin Evi",
            "Eve Dönüş Yolu", "Rüzgârın Çocukları"),
    "fra": ("La Rivière silencieuse", "Le Dernier Hiver", "Le Sel et le Fer", "L'Équipe de nuit",
            "Terre frontière", "La Maison de ma mère", "Le Long Chemin du retour", "Les Enfants du vent"),
    "deu": ("Der stille Fluss", "Der letzte Winter", "Salz und Eisen", "Nachtschicht", "Grenzland",
            "Mutters Haus", "Der lange Weg nach Hause", "Kinder des Windes"),
    "spa": ("El río silencioso", "El último invierno", "Sal y hierro", "Turno de noche", "Tierra de frontera",
            "La casa de mi madre", "El largo camino a casa", "Los hijos del viento"),
    "pol": ("Cicha rzeka", "Ostatnia zima", "Sól i żelazo", "Nocna zmiana", "Pogranicze", "Dom matki",
            "Długa droga do domu", "Dzieci wiatru"),
    "ces": ("Tichá řeka", "Poslední zima", "Sůl a železo", "Noční směna", "Pohraničí", "Matčin dům",
            "Dlouhá cesta domů", "Děti větru"),
    "hun": ("A csendes folyó", "Az utolsó tél", "Só és vas", "Éjszakai műszak", "Határvidék", "Anyám háza",
            "A hosszú út hazafelé", "A szél gyermekei"),
    "ron": ("Râul tăcut", "Ultima iarnă", "Sare și fier", "Tura de noapte", "Ținut de graniță", "Casa mamei",
            "Drumul lung spre casă", "Copiii vântului"),
    "por": ("O rio silencioso", "O último inverno", "Sal e ferro", "Turno da noite", "Terra de fronteira",
            "A casa da minha mãe", "O longo caminho para casa", "Os filhos do vento"),
    "ara": ("النهر الصامت", "الشتاء الأخير", "ملح وحديد", "نوبة ليلية", "أرض الحدود", "بيت أمي",
            "الطريق الطويل إلى البيت", "أبناء الريح"),
    "heb": ("הנהר השקט", "החורף האחרון", "מלח וברזל", "משמרת לילה", "ארץ גבול", "הבית של אמא",
            "הדרך הארוכה הביתה", "ילדי הרוח"),
    "cmn": ("沉默的河", "最后的冬天", "盐与铁", "夜班", "边境", "母亲的房子", "回家的长路", "风之子"),
    "jpn": ("静かな川", "最後の冬", "塩と鉄", "夜勤", "国境地帯", "母の家", "家路", "風の子どもたち"),
}
_ADJECTIVES = ("Silent", "Last", "Distant", "Red", "Hidden", "Quiet", "Bitter", "Long", "Broken", "Golden",
               "Invisible", "Northern", "Frozen", "Burning", "Lost", "Small", "Wild", "Open", "Empty", "Second",
               "Borrowed", "Salt", "Iron", "Paper", "Glass", "Restless", "Sleeping", "Faraway", "Naked", "Blue")
_NOUNS = ("River", "Winter", "Harvest", "Border", "Mountain", "Factory", "Island", "Choir", "Archive", "Garden",
          "Shelter", "Harbour", "Village", "Mine", "Kitchen", "School", "Orchard", "Lighthouse", "Market",
          "Forest", "Desert", "Station", "Bridge", "Valley", "Circus", "Parliament", "Classroom", "Ferry",
          "Hospital", "Radio", "Theatre", "Shipyard", "Monastery", "Vineyard", "Steppe", "Delta", "Quarry")
_PLACES = ("Mariupol", "Tuzla", "Piran", "Vukovar", "Gdańsk", "Kraków", "Timișoara", "Plovdiv", "Thessaloniki",
           "İzmir", "Tbilisi", "Yerevan", "Ohrid", "Kotor", "Mostar", "Maribor", "Trieste", "Košice", "Brno",
           "Łódź", "Tromsø", "Reykjavík", "Valparaíso", "Oaxaca", "Dakar", "Beirut", "Hebron", "Osaka")
_TITLE_TEMPLATES = ("The {adj} {noun}", "{noun} of the {adj}", "A {noun} in {place}", "{number} Days in {place}",
                    "After the {noun}", "The {noun} Keepers", "{place}, {noun}", "Where the {noun} Ends",
                    "{adj} {noun}", "Letters from the {noun}", "The {noun} & the {noun2}", "Notes on a {noun}")

# --- synopses, notes, reviews: composed from our own phrases -----------------------------------
_SUBJECTS = ("a retired miner", "two sisters", "a village choir", "a night-shift nurse", "a ferry crew",
             "a young imam", "a family of beekeepers", "a school for deaf children", "an ageing boxer",
             "three generations of women", "a border guard", "a theatre troupe", "a lighthouse keeper",
             "a refugee football team", "a small-town radio station", "a shipyard welder", "a lonely archivist")
_ACTIONS = ("prepares for a last season", "waits for news that does not come", "fights to keep a building open",
            "rehearses a story nobody wants told", "tries to bring a son home", "records what the town forgets",
            "keeps a promise made decades ago", "learns to live with a new border", "looks for a missing brother")
_SETTINGS = ("in a town emptied by the mines", "on an island the ferry no longer serves",
             "in a city rebuilt twice in one lifetime", "on a farm at the edge of a reservoir",
             "in a valley divided by a new motorway", "in a suburb where every flat faces the same courtyard")
_STYLES = ("Observational and patient, the film", "With archive footage and home video, the film",
           "Shot over seven years, the film", "In long, still takes, the film", "Mixing staged and found scenes, the film")
_STYLE_ENDS = ("watches how a community decides what to remember.", "lets small gestures carry large histories.",
               "asks who gets to tell the story of a place.", "finds humour where nobody expected it.",
               "turns a private grief into a public question.")
_NOTE_OPENERS = ("Strong {aspect};", "Weak {aspect};", "Remarkable {aspect},", "Uneven {aspect};",
                 "Good {aspect} but")
_ASPECTS = ("access to the subject", "cinematography", "sound design", "editing in the second half",
            "archive work", "structure", "central character", "use of music", "final act")
_NOTE_MIDDLES = ("the ending drags.", "the voice-over explains too much.", "it needs a tighter cut.",
                 "the music is intrusive.", "subtitles have typos throughout.", "it never finds its focus.",
                 "the first twenty minutes are superb.", "it feels made for television.")
_NOTE_ENDS = ("Shortlist.", "Maybe for the regional strand.", "Not for us.", "Worth a second viewing.",
              "Q&A potential: the director lives nearby.", "Check the screener: the file is called \"<Untitled>\".",
              "Pair with a short?", "Ask the sales agent about a DCP & subtitles.", "Strong yes.", "No.")
_REVIEW_TAGS = ("MEMORY", "LABOUR", "FAMILY", "WAR", "MIGRATION", "ECOLOGY", "POLITICS", "CHILDHOOD", "FAITH",
                "MUSIC", "CITY", "BORDERS", "OLD AGE", "SPORT", "ARCHIVE")
_SUBHEADS = ("A patient eye.", "What is left out.", "The people.", "Form and feeling.", "A quiet ending.",
             "Too much explaining.", "The archive speaks.", "Small gestures.")
_REVIEW_SENTENCES = (
    "The director never raises her voice, and the film is stronger for it.",
    "It is a film about waiting, and it is not afraid to make us wait too.",
    "The best scenes are the ones in which nothing seems to happen.",
    "Some viewers will find the pace testing; I found it generous.",
    "The archive material is used sparingly and always to a purpose.",
    "What begins as a portrait slowly becomes a film about a whole town.",
    "There is one shot near the end that I will not forget.",
    "The music, used only twice, arrives exactly when it is needed.",
    "It is rare to see a camera this close to people who trust it.",
    "The film is at its weakest when it tries to explain itself.",
    "Humour keeps the film from sinking under the weight of its subject.",
    "The editing finds rhymes between faces that are decades apart.",
)
_OUTLETS = ("Kino Tjedan", "Ekran Daily", "Cahiers du Nord", "Filmowy Przegląd", "Doc Quarterly", "Sinema Günlüğü",
            "Φιλμ Επιθεώρηση", "Кино сегодня", "Nordic Screen", "Revista Cine Sur", "Balkan Film Review")


def _person_name(rng: random.Random, culture: _Culture) -> str:
    if not culture.surnames or culture.surnames == ("",):
        return rng.choice(culture.given)
    index = rng.randrange(len(culture.given))
    feminine = index < _FEMININE_FIRST.get(culture.language, 0)
    surname = rng.choice(culture.surnames)
    if "|" in surname:
        masculine, feminine_form = surname.split("|")
        surname = feminine_form if feminine else masculine
    given = culture.given[index]
    # Double surnames where they are customary multiply the pools, so that 25,000 submissions
    # share fewer directors: two surnames in Spanish and Portuguese, hyphenated ones elsewhere.
    joined = _DOUBLE_SURNAMES.get(culture.language)
    if joined is not None and rng.random() < 0.5:
        other = rng.choice(culture.surnames)
        if other != surname:
            surname = f"{surname}{joined}{other}"
    parts = (surname, given) if culture.surname_first else (given, surname)
    return culture.joiner.join(parts)


def _title(rng: random.Random) -> str:
    template = rng.choice(_TITLE_TEMPLATES)
    noun, noun2 = rng.sample(_NOUNS, 2)
    return template.format(adj=rng.choice(_ADJECTIVES), noun=noun, noun2=noun2, place=rng.choice(_PLACES),
                           number=rng.choice((3, 7, 12, 20, 40, 100, 365)))


def _synopsis(rng: random.Random, place: str) -> tuple[str, str]:
    subject, action, setting = rng.choice(_SUBJECTS), rng.choice(_ACTIONS), rng.choice(_SETTINGS)
    logline = f"In {place}, {subject} {action}."
    synopsis = (f"{subject[0].upper()}{subject[1:]} {action} {setting}. "
                f"{rng.choice(_STYLES)} {rng.choice(_STYLE_ENDS)}")
    return logline, synopsis


def _note(rng: random.Random) -> str:
    return " ".join((rng.choice(_NOTE_OPENERS).format(aspect=rng.choice(_ASPECTS)), rng.choice(_NOTE_MIDDLES),
                     rng.choice(_NOTE_ENDS)))


def _status_counts(films: int, programmed: int) -> list[str]:
    """Statuses for `films` submissions with `programmed` selected/confirmed, the rest spread as a
    season in progress: many submitted or in review, some shortlisted, many declined."""
    rest = films - programmed
    shares = ((Status.SUBMITTED, 0.30), (Status.IN_REVIEW, 0.30), (Status.SHORTLISTED, 0.06),
              (Status.DECLINED, 0.30), (Status.WITHDRAWN, 0.04))
    statuses: list[str] = []
    for status, share in shares[1:]:
        statuses += [status.value] * int(rest * share)
    statuses += [Status.SUBMITTED.value] * (rest - len(statuses))
    confirmed = programmed * 2 // 3
    statuses += [Status.CONFIRMED.value] * confirmed + [Status.SELECTED.value] * (programmed - confirmed)
    return statuses


@dataclass
class _Film:
    id: int
    title: str
    runtime: int
    status: str
    section: str
    premiere: str | None
    directors: list[str]
    year: int
    countries: list[str]


class _Generator:
    def __init__(self, session: Session, films: int, seed: int, progress: Progress) -> None:
        self.connection = session.connection()
        self.films_wanted = films
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress
        self.people: dict[str, int] = {}
        self.created = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)

    # -- helpers --------------------------------------------------------------------------------
    def _insert(self, model: type, rows: list[dict[str, Any]]) -> None:
        table = model.__table__
        for start in range(0, len(rows), _CHUNK):
            self.connection.execute(sa.insert(table), rows[start:start + _CHUNK])

    def _insert_returning_ids(self, model: type, rows: list[dict[str, Any]]) -> list[int]:
        table = model.__table__
        ids: list[int] = []
        for start in range(0, len(rows), _CHUNK):
            result = self.connection.execute(
                sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows[start:start + _CHUNK])
            ids += [row[0] for row in result]
        return ids

    def _people(self, names: Iterable[str]) -> None:
        """Create a Person row for every name not yet known (the same folded name is one person)."""
        new: dict[str, str] = {}
        for name in names:
            key = fold_words(name)
            if key not in self.people and key not in new:
                new[key] = name
        keys = list(new)
        ids = self._insert_returning_ids(m.Person, [{"name": new[key], "name_key": key} for key in keys])
        self.people.update(zip(keys, ids))

    def _person_id(self, name: str) -> int:
        return self.people[fold_words(name)]

    def _step(self, number: int, message: str) -> None:
        self.progress(number, 10, message)

    # -- the steps ------------------------------------------------------------------------------
    def run(self) -> list[int]:
        films = self.films_wanted
        self.programmed = min(MAX_PROGRAMMED, max(1, math.ceil(films * 0.3)))
        self.days = 10 if self.programmed > 120 else 5
        self._step(0, "Festival and sections")
        self._festival_and_sections()
        self._step(1, "Programmers and venues")
        self._programmers(min(20, 5 + films // 1500))
        self._venues()
        self._step(2, "Films")
        self._films(films)
        self._step(4, "Ratings and notes")
        self._ratings_and_notes()
        self._step(6, "Critics' reviews")
        self._reviews()
        self._step(7, "Stills")
        self._stills()
        self._step(8, "Screenings")
        self._screenings()
        self._step(9, "Search index")
        rebuild_index(self.connection)
        self._step(10, "Done")
        return [film.id for film in self.film_rows]

    def _festival_and_sections(self) -> None:
        name = f"Generated Documentary Festival #{self.seed}"
        self._insert(m.Festival, [{
            "name": name, "edition": f"{self.films_wanted:,} submissions, seed {self.seed}",
            "starts_on": _STARTS_ON, "ends_on": _STARTS_ON + dt.timedelta(days=self.days - 1),
            "timezone": "Europe/Ljubljana", "changeover_minutes": 15, "min_screenings": 2,
            "welcome_text": "A festival generated for benchmarks & stress tests: every name and text is invented.",
            "cover_image": make_cover(name),
        }])
        sections = (("MAIN", "International Competition", "#B03A2E"), ("NEW", "First Films", "#1E8449"),
                    ("REGION", "Regional Competition", "#1F618D"), ("PANORAMA", "Panorama", "#7D6608"),
                    ("FOCUS", "Focus: Borders", "#AF601A"), ("SHORTS", "Short Documentaries", "#6C3483"))
        ids = self._insert_returning_ids(m.Section, [
            {"code": code, "name": label, "colour": colour, "position": position, "description": f"{label}."}
            for position, (code, label, colour) in enumerate(sections)])
        self.sections = dict(zip((code for code, _, _ in sections), ids))
        tags = ("memory", "labour", "family", "war", "migration", "environment", "politics", "childhood",
                "music", "city", "animals", "sport")
        palette = ("#C0392B", "#2471A3", "#229954", "#B7950B", "#7D3C98", "#CA6F1E", "#17A589", "#5D6D7E",
                   "#A93226", "#1A5276", "#196F3D", "#9A7D0A")
        self.tag_ids = self._insert_returning_ids(m.Tag, [{"name": t, "colour": c} for t, c in zip(tags, palette)])

    def _programmers(self, count: int) -> None:
        names: list[str] = []
        while len(names) < count:
            name = _person_name(self.rng, self.rng.choice(_CULTURES))
            if name not in names:
                names.append(name)
        self.programmer_ids = self._insert_returning_ids(m.Programmer, [
            {"name": name, "email": f"programmer{number}@festival.example", "active": True}
            for number, name in enumerate(names, start=1)])

    def _venues(self) -> None:
        features = self.programmed
        needed = 2 * features
        screens = max(2, min(24, math.ceil(needed / (self.days * 4.5))))
        venue_names = ("Kino Ribnik", "Dom kulture Žabjak", "Kinoteka na Bregu", "Čolnarna", "Kino Šumnik",
                       "Hiša filma", "Dvorana Tivoli", "Kino Ljubljanica")
        venue_count = math.ceil(screens / 3)
        venue_ids = self._insert_returning_ids(m.Venue, [
            {"name": venue_names[i % len(venue_names)] + ("" if i < len(venue_names) else f" {i // len(venue_names) + 1}"),
             "address": f"Trubarjeva cesta {10 + i}, 1000 Ljubljana", "accessibility": "Step-free entrance.",
             "position": i} for i in range(venue_count)])
        rows = []
        for number in range(screens):
            rows.append({"venue_id": venue_ids[number % venue_count], "name": f"Dvorana {number // venue_count + 1}",
                         "capacity": self.rng.choice((60, 96, 140, 220, 320, 480)), "position": number // venue_count,
                         "opens_at": dt.time(10, 0), "closes_at": dt.time(23, 59)})
        self.screen_ids = self._insert_returning_ids(m.Screen, rows)

    def _films(self, count: int) -> None:
        rng = self.rng
        statuses = _status_counts(count, self.programmed)
        rng.shuffle(statuses)
        rows, extra = [], []
        sections = list(self.sections)
        feature_sections = [code for code in sections if code != "SHORTS"]
        for number, status in enumerate(statuses):
            culture = rng.choice(_CULTURES)
            country = rng.choice(culture.countries)
            countries = [country] + rng.sample(["FR", "DE", "NL", "BE", "DK", "NO", "SE", "FI", "CH", "AT", "IT",
                                                "US", "GB", "QA", "CZ"], rng.choice((0, 0, 0, 1, 2)))
            countries = list(dict.fromkeys(countries))
            directors = [_person_name(rng, culture)]
            if rng.random() < 0.12:
                directors.append(_person_name(rng, rng.choice(_CULTURES)))
            directors = list(dict.fromkeys(directors))
            short = rng.random() < 0.15
            runtime = rng.randint(3, 40) if short else max(41, min(218, int(rng.gauss(88, 18))))
            native = _NATIVE_TITLES.get(culture.language)
            if native and rng.random() < 0.25:
                meaning = rng.randrange(len(_MEANINGS))
                title, original_title, original_language = _MEANINGS[meaning], native[meaning], culture.language
            else:
                title, original_title, original_language = _title(rng), None, None
            logline, synopsis = _synopsis(rng, rng.choice(_PLACES))
            section = "SHORTS" if short else rng.choice(feature_sections)
            programmed = status in (Status.SELECTED, Status.CONFIRMED)
            premiere = None
            if programmed:
                premiere = rng.choice(("world", "international", "european", "national", "national", None))
            year = rng.choice((2025, 2026, 2026, 2026)) if programmed else rng.choice((2024, 2025, 2025, 2026))
            sorted_title, sorted_key = filing(title)
            rows.append({
                "title": title, "original_title": original_title, "original_language": original_language,
                "sort_title": sorted_title, "sort_key": sorted_key, "year": year,
                "runtime_minutes": runtime, "logline": logline, "synopsis": synopsis, "premiere": premiere,
                "section_id": self.sections[section], "status": status, "is_external": False,
                "submission_source": "generated", "submission_id": f"G{self.seed}-{number + 1:06d}",
                "tracking_number": f"T{number + 1:06d}", "extra": {}, "source_values": {},
                "created_at": self.created + dt.timedelta(minutes=7 * number),
                "updated_at": self.created + dt.timedelta(minutes=7 * number), "version": 1,
            })
            extra.append((section, directors, countries, culture.language, premiere))
        ids = self._insert_returning_ids(m.Film, rows)
        self.film_rows = [
            _Film(id=film_id, title=row["title"], runtime=row["runtime_minutes"], status=row["status"],
                  section=section, premiere=premiere, directors=directors, year=row["year"], countries=countries)
            for film_id, row, (section, directors, countries, _, premiere) in zip(ids, rows, extra)]
        self._people(name for film in self.film_rows for name in film.directors)
        credits, countries_rows, languages, tags, history = [], [], [], [], []
        for film, (_, directors, countries, language, _) in zip(self.film_rows, extra):
            credits += [{"film_id": film.id, "person_id": self._person_id(name), "role": "director",
                         "position": position} for position, name in enumerate(directors)]
            countries_rows += [{"film_id": film.id, "position": position, "code": code,
                                "label": codes.country_name(code) or code} for position, code in enumerate(countries)]
            languages.append({"film_id": film.id, "position": 0, "code": language,
                              "label": codes.language_name(language) or language})
            for tag_id in rng.sample(self.tag_ids, rng.choice((0, 1, 1, 2, 3))):
                tags.append({"film_id": film.id, "tag_id": tag_id})
            history += self._history(film)
        self._step(3, "Credits, countries and history")
        self._insert(m.FilmCredit, credits)
        self._insert(m.FilmCountry, countries_rows)
        self._insert(m.FilmLanguage, languages)
        self._insert(m.FilmTag, tags)
        self._insert(m.StatusChange, history)

    def _history(self, film: _Film) -> list[dict[str, Any]]:
        path = [Status.SUBMITTED]
        target = Status(film.status)
        main_line = (Status.SUBMITTED, Status.IN_REVIEW, Status.SHORTLISTED, Status.SELECTED, Status.CONFIRMED)
        if target in main_line:
            path = list(main_line[: main_line.index(target) + 1])
        else:
            path = [Status.SUBMITTED, Status.IN_REVIEW, target]
        at = self.created + dt.timedelta(minutes=7 * film.id)
        rows = [{"film_id": film.id, "programmer_id": None, "at": at, "from_status": None,
                 "to_status": Status.SUBMITTED.value, "comment": "Submitted"}]
        for step, (before, after) in enumerate(zip(path, path[1:]), start=1):
            rows.append({"film_id": film.id, "programmer_id": self.programmer_ids[film.id % len(self.programmer_ids)],
                         "at": at + dt.timedelta(days=6 * step), "from_status": before.value,
                         "to_status": after.value, "comment": ""})
        return rows

    def _ratings_and_notes(self) -> None:
        rng = self.rng
        mean = {"submitted": 2.9, "in_review": 3.0, "shortlisted": 3.8, "selected": 4.1, "confirmed": 4.3,
                "declined": 2.1, "withdrawn": 3.0}
        ratings, notes = [], []
        for film in self.film_rows:
            count = 0 if film.status == "submitted" and rng.random() < 0.3 else rng.randint(2, 5)
            raters = rng.sample(self.programmer_ids, min(count, len(self.programmer_ids)))
            when = self.created + dt.timedelta(days=10, minutes=7 * film.id)
            for programmer_id in raters:
                score = max(1, min(5, round(rng.gauss(mean[film.status], 0.8))))
                ratings.append({"film_id": film.id, "programmer_id": programmer_id, "score": score, "rated_at": when})
            for _ in range(rng.choice((2, 3, 4, 4, 5, 6)) if raters else 0):
                notes.append({"film_id": film.id, "programmer_id": rng.choice(raters), "text": _note(rng),
                              "created_at": when, "updated_at": when})
        self._insert(m.Rating, ratings)
        self._step(5, "Notes")
        self._insert(m.Note, notes)

    def _reviews(self) -> None:
        rng = self.rng
        reviewed = rng.sample(self.film_rows, max(1, len(self.film_rows) // 5))
        reviewed.sort(key=lambda film: film.id)
        critic_count = max(10, min(400, len(reviewed) // 12))
        critics: dict[str, str] = {}
        while len(critics) < critic_count:
            name = _person_name(rng, rng.choice(_CULTURES))
            critics.setdefault(fold_words(name), name)
        critic_rows = [{"name": name, "name_key": key, "outlet": rng.choice(_OUTLETS),
                        "bio": f"{name.split()[-1]} writes about documentary cinema."}
                       for key, name in critics.items()]
        for row in critic_rows:
            row["bio"] = f"{row['name'].split()[-1]} writes about documentary cinema for {row['outlet']}."
        critic_ids = self._insert_returning_ids(m.Critic, critic_rows)
        review_rows, quotes_per_review = [], []
        for number, film in enumerate(reviewed):
            critic = rng.randrange(len(critic_rows))
            review, quotes = self._review(number, film, critic_rows[critic])
            review["critic_id"] = critic_ids[critic]
            review_rows.append(review)
            quotes_per_review.append(quotes)
        review_ids = self._insert_returning_ids(m.Review, review_rows)
        self._insert(m.PullQuote, [
            {"review_id": review_id, "text": quote, "original_text": f"«{quote}»", "approved": position == 0 and
             rng.random() < 0.5, "position": position}
            for review_id, quotes in zip(review_ids, quotes_per_review) for position, quote in enumerate(quotes)])

    def _review(self, number: int, film: _Film, critic: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """One review in the layout of shared/formats/reviews.md, and its pull quotes."""
        rng = self.rng
        sentences = rng.sample(_REVIEW_SENTENCES, 6)
        headings = rng.sample(_SUBHEADS, 2)
        paragraphs = [" ".join(sentences[0:2]), " ".join(sentences[2:4]), " ".join(sentences[4:6])]
        sections = [{"heading": None, "paragraphs": [paragraphs[0]]},
                    {"heading": headings[0], "paragraphs": [paragraphs[1]]},
                    {"heading": headings[1], "paragraphs": [paragraphs[2]]}]
        quotes = [sentences[rng.choice((1, 2, 3))]] + ([sentences[5]] if rng.random() < 0.5 else [])
        tags = rng.sample(_REVIEW_TAGS, 2)
        standfirst = f"{film.title} {rng.choice(_STYLE_ENDS)}"
        caption = f"Photo: Festival press office. A scene from {film.title} (picture RDD-{number + 1:06d})."
        countries = ", ".join(codes.country_name(code) or code for code in film.countries)
        lines = [critic["name"], critic["bio"], "", f"{', '.join(tags)}: {standfirst}", "", film.title, "",
                 ", ".join(film.directors), "", f"{countries}, {film.year}", "", paragraphs[0], "",
                 f"«{quotes[0]}»", "", f"{headings[0]} {paragraphs[1]}", "", caption, "",
                 f"{headings[1]} {paragraphs[2]}"]
        if len(quotes) > 1:
            lines += ["", f"«{quotes[1]}»"]
        raw_text = "\n".join(lines) + "\n"
        review = {"film_id": film.id, "standfirst": standfirst, "tags": tags, "sections": sections,
                  "captions": [caption], "body_text": "\n\n".join(paragraphs), "raw_text": raw_text,
                  "source_name": f"generated-review-{number + 1:06d}.txt",
                  "content_hash": hashlib.sha256(raw_text.encode("utf-8")).hexdigest(),
                  "imported_at": self.created + dt.timedelta(days=30)}
        return review, quotes

    def _programmed(self) -> list[_Film]:
        return [film for film in self.film_rows if film.status in (Status.SELECTED, Status.CONFIRMED)]

    def _stills(self) -> None:
        films = self._programmed()

        def still(film: _Film) -> bytes:
            return make_still(f"{self.seed}-{film.id}", film.title, *STILL_SIZE)

        # Pillow drops the GIL while it resizes and encodes: threads use every core, and map()
        # keeps the order, so the result does not depend on which thread finished first.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            images = list(pool.map(still, films))
        self._insert(m.Still, [
            {"film_id": film.id, "position": 0, "filename": f"still-{film.id}.jpg", "mime_type": "image/jpeg",
             "width_px": STILL_SIZE[0], "height_px": STILL_SIZE[1], "credit": "Generated still", "data": data}
            for film, data in zip(films, images)])

    def _screenings(self) -> None:
        """Two public screenings per programmed feature on different days, shorts in programmes of
        3–5; packed onto the screens in order, 15 minutes apart, within opening hours."""
        rng = self.rng
        programmed = self._programmed()
        features = [film for film in programmed if film.section != "SHORTS"]
        shorts = [film for film in programmed if film.section == "SHORTS"]
        programmes: list[list[_Film]] = []
        if len(shorts) >= 3:
            count = max(1, round(len(shorts) / 4))  # keeps every programme at 3 to 5 films
            programmes = [shorts[number::count] for number in range(count)]
            shorts = []
        features += shorts  # one or two shorts left over screen on their own
        cursor = {(screen, day): dt.time(10, 0) for screen in self.screen_ids for day in range(self.days)}
        closing = dt.datetime.combine(_STARTS_ON, dt.time(23, 59))
        slots: list[tuple[list[_Film], int, str | None]] = []
        for film in features:
            slots.append(([film], 5 + film.runtime + (20 if rng.random() < 0.3 else 0), None))
        for number, programme in enumerate(programmes, start=1):
            slots.append((programme, 5 + sum(f.runtime for f in programme), f"Shorts {number}"))
        screening_rows, items, day_used = [], [], {}
        for index, (films, minutes, title) in enumerate(slots):
            first_day = index % max(1, self.days - 2)
            for repeat in range(2):
                day = self._free_day(first_day + 2 * repeat, day_used.get(index, set()))
                placed = self._place(cursor, day, minutes + 15, closing)
                if placed is None:
                    for other in range(self.days):
                        if other not in day_used.get(index, set()):
                            placed = self._place(cursor, other, minutes + 15, closing)
                            if placed is not None:
                                day = other
                                break
                if placed is None:
                    raise UserError(f"cannot fit {len(slots)} screenings on {len(self.screen_ids)} screens")
                screen_id, start = placed
                day_used.setdefault(index, set()).add(day)
                qa = minutes - 5 - sum(f.runtime for f in films)
                screening_rows.append({
                    "screen_id": screen_id, "starts_at": start, "ends_at": start + dt.timedelta(minutes=minutes + 15),
                    "end_is_manual": False, "title": title, "kind": "public", "premiere": None,
                    "intro_minutes": 5, "qa_minutes": qa, "notes": ""})
                items.append(films)
        # A premiere belongs to a film's first public screening.
        order = sorted(range(len(screening_rows)), key=lambda i: screening_rows[i]["starts_at"])
        seen: set[int] = set()
        for i in order:
            films = items[i]
            if len(films) == 1 and films[0].id not in seen:
                screening_rows[i]["premiere"] = films[0].premiere
            seen.update(f.id for f in films)
        ids = self._insert_returning_ids(m.Screening, screening_rows)
        self._insert(m.ScreeningItem, [{"screening_id": screening_id, "film_id": film.id, "position": position}
                                       for screening_id, films in zip(ids, items)
                                       for position, film in enumerate(films)])

    def _free_day(self, wanted: int, used: set[int]) -> int:
        for offset in range(self.days):
            day = (wanted + offset) % self.days
            if day not in used:
                return day
        raise UserError("a film cannot screen twice on different days in a one-day festival")

    def _place(self, cursor: dict[tuple[int, int], dt.time], day: int, minutes: int,
               closing: dt.datetime) -> tuple[int, dt.datetime] | None:
        """The screen with the earliest free time on `day` that fits `minutes` (changeover included)
        before closing; advances that screen's cursor."""
        best = None
        for screen_id in self.screen_ids:
            start = dt.datetime.combine(_STARTS_ON, cursor[(screen_id, day)])
            if start + dt.timedelta(minutes=minutes) <= closing and (best is None or start < best[1]):
                best = (screen_id, start)
        if best is None:
            return None
        screen_id, start = best
        end = start + dt.timedelta(minutes=minutes)
        quarter = (end.minute + 14) // 15 * 15
        end = end.replace(minute=0) + dt.timedelta(minutes=quarter)
        cursor[(screen_id, day)] = end.time() if end.date() == start.date() else dt.time(23, 59)
        return screen_id, start + dt.timedelta(days=day)


def generate_festival(database: Database, films: int, seed: int, progress: Progress = no_progress, *,
                      replace: bool = False) -> Change:
    """Write a generated festival of `films` submissions into `database`, in one transaction.

    Refuses (UserError) when the database already holds a festival unless `replace`, in which case
    the old content is deleted in the same transaction. `progress` may raise Cancelled: nothing is
    written then.
    """
    if not 1 <= films <= MAX_FILMS:
        raise UserError(f"--films must be between 1 and {MAX_FILMS} (got {films})")
    if has_festival_data(database) and not replace:
        raise UserError(f"{database.label} already holds a festival; use --force to replace it")
    with database.transaction() as session:
        if replace:
            clear_festival(session)
        film_ids = _Generator(session, films, seed, progress).run()
        changelog.note(session, "festival", "replaced", ["festival"])
        changelog.describe(session, f"Generate a festival of {films} films")
    return Change(description=f"Generate a festival of {films} films", films_added=set(film_ids))

