"""A labelled synthetic population for measuring the matching, in the batch command's CSV columns.

Persons are drawn with realistic skews (a few very common given and family names), grouped in
households whose members share a family name, a phone and an address (the hard negatives), then
each is recorded one to four times by different agencies: in Arabic or Latin script, with the
spellings of the table of names, typos, swapped name fields, joined or split particles, partial or
swapped dates of birth, phones in local or international form, nationalities as codes or names in
French, English or Arabic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from masarat.matching.names import NAMES_FILE, TableEntry, table_entries

COLUMNS = ("record_id", "first_name", "last_name", "sex", "birth_date", "nationality", "phone",
           "document_number", "address", "source_agency")
AGENCIES = ("police", "gendarmerie", "ngo", "hospital", "labour_inspection", "consulate", "social_services")
CITIES = (("Rabat", "الرباط"), ("Casablanca", "الدار البيضاء"), ("Tanger", "طنجة"), ("Fes", "فاس"),
          ("Marrakech", "مراكش"), ("Agadir", "أكادير"), ("Oujda", "وجدة"), ("Nador", "الناظور"),
          ("Tetouan", "تطوان"), ("Laayoune", "العيون"), ("Meknes", "مكناس"), ("Beni Mellal", "بني ملال"))
STREETS = ("Hassan II", "Mohammed V", "des FAR", "Ibn Sina", "Al Massira", "Zerktouni", "Moulay Ismail",
           "Al Qods", "Oued Sebou", "Atlas", "Al Amal", "Ennakhil")
NATIONALITIES: dict[str, tuple[str, str, str]] = {  # code: French, English, Arabic
    "MA": ("Maroc", "Morocco", "المغرب"), "SN": ("Sénégal", "Senegal", "السنغال"),
    "CI": ("Côte d'Ivoire", "Ivory Coast", "ساحل العاج"), "GN": ("Guinée", "Guinea", "غينيا"),
    "NG": ("Nigéria", "Nigeria", "نيجيريا"), "DZ": ("Algérie", "Algeria", "الجزائر"),
    "SY": ("Syrie", "Syria", "سوريا"), "CM": ("Cameroun", "Cameroon", "الكاميرون"),
    "ML": ("Mali", "Mali", "مالي"), "PH": ("Philippines", "Philippines", "الفلبين"),
}
NATIONALITY_WEIGHTS = {"MA": 70, "SN": 5, "CI": 5, "GN": 4, "NG": 4, "DZ": 3, "SY": 3, "CM": 3, "ML": 2, "PH": 1}
# Syllables of rare family names, spelled in both scripts (French spelling; English spelling second).
SYLLABLES = (("ka", "ka", "كا"), ("ri", "ri", "ري"), ("mou", "mu", "مو"), ("za", "za", "زا"), ("ba", "ba", "با"),
             ("ni", "ni", "ني"), ("la", "la", "لا"), ("ha", "ha", "ها"), ("di", "di", "دي"), ("ssa", "sa", "سا"),
             ("tou", "tu", "تو"), ("ra", "ra", "را"), ("fi", "fi", "في"), ("chi", "shi", "شي"), ("kha", "kha", "خا"),
             ("ja", "ja", "جا"), ("ghou", "ghu", "غو"), ("na", "na", "نا"), ("ta", "ta", "طا"), ("bou", "bu", "بو"),
             ("ma", "ma", "ما"), ("wa", "wa", "وا"), ("fa", "fa", "فا"), ("jou", "ju", "جو"), ("zi", "zi", "زي"))
USUAL_GIVEN_NAMES = (
    "muhammad", "fatima", "ahmad", "khadija", "yusuf", "aisha", "said", "zahra", "abd_allah", "maryam", "hasan",
    "zaynab", "ali", "naima", "umar", "malika", "rashid", "amina", "khalid", "latifa", "mustafa", "hanan",
    "ibrahim", "nadiya", "abd_al_rahim", "salma", "hamza", "sara", "karim", "imane", "mehdi", "huda",
)
PARTICLES = ((("Ben ", "Ben", "Bin ", "Ibn "), "بن "), (("Ait ", "Aït ", "Ait-"), "آيت "),
             (("Ould ", "Ould-"), "ولد "))


@dataclass
class Name:
    latin: tuple[str, ...]  # spellings, the usual first
    arabic: tuple[str, ...]


@dataclass
class Person:
    entity: str
    sex: str
    given: Name
    family: Name
    birth: tuple[int, int, int]
    nationality: str
    phone: str  # local digits, e.g. "0612345678", or ""
    document: str
    address: tuple[str, str, str]  # number, street, city index


def _zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    return [1 / (rank ** exponent) for rank in range(1, count + 1)]


class Generator:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        entries = table_entries(NAMES_FILE.read_text(encoding="utf-8"))
        self.given: dict[str, list[Name]] = {"m": [], "f": []}
        usual = {name: rank for rank, name in enumerate(USUAL_GIVEN_NAMES)}
        for entry in sorted(entries, key=lambda e: usual.get(e.canonical, len(usual))):
            if entry.kind in {"g", "b"} and entry.latin and entry.arabic:
                self.given[_guess_sex(entry)].append(Name(entry.latin, entry.arabic))
        self.family = [Name(e.latin, e.arabic) for e in entries if e.kind in {"f", "b"} and e.latin and e.arabic]
        # Mohamed about one man in seven, Fatima one woman in ten; the table's family names are the common ones.
        self.given_weights = {sex: _zipf_weights(len(names), 0.95) for sex, names in self.given.items()}
        self.family_weights = _zipf_weights(len(self.family), 0.8)
        self._next_document = 100_000

    # --- persons ---------------------------------------------------------------------------------

    def person(self, entity: str, household: Person | None = None) -> Person:
        rng = self.rng
        sex = rng.choice("mf")
        given = rng.choices(self.given[sex], self.given_weights[sex])[0]
        if household is not None:
            if rng.random() < 0.03:  # a son named after his father
                given, sex = household.given, household.sex
            family, phone, address, nationality = household.family, household.phone, household.address, \
                household.nationality
            gap = rng.choice([-1, 1]) * rng.randint(2, 30)
            year = min(2012, max(1950, household.birth[0] + gap))
        else:
            family = self._family_name()
            phone = rng.choice(["06", "07"]) + "".join(rng.choice("0123456789") for _ in range(8)) \
                if rng.random() < 0.7 else ""
            address = (str(rng.randint(1, 250)), rng.choice(STREETS), str(rng.randrange(len(CITIES))))
            nationality = rng.choices(list(NATIONALITY_WEIGHTS), list(NATIONALITY_WEIGHTS.values()))[0]
            year = rng.randint(1960, 2010)
        self._next_document += rng.randint(1, 50)
        document = rng.choice(["AB", "BE", "CD", "G", "K"]) + str(self._next_document) if rng.random() < 0.5 else ""
        birth = (year, rng.randint(1, 12), rng.randint(1, 28))
        return Person(entity, sex, given, family, birth, nationality, phone, document, address)

    def _family_name(self) -> Name:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return rng.choices(self.family, self.family_weights)[0]
        if roll < 0.6:  # a particle and a given name: Ben Youssef, Ait Brahim, Ould Ahmed
            latin_particles, arabic_particle = rng.choice(PARTICLES)
            base = rng.choice(self.given["m"])
            latin = tuple(p + base.latin[0].capitalize() for p in latin_particles)
            return Name(latin, (arabic_particle + base.arabic[0],))
        syllables = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))]
        french = "".join(s[0] for s in syllables) + "i"
        english = "".join(s[1] for s in syllables) + "i"
        arabic = "".join(s[2] for s in syllables) + "ي"
        return Name((french, english) if english != french else (french,), (arabic,))

    def population(self, persons: int) -> list[Person]:
        result: list[Person] = []
        while len(result) < persons:
            head = self.person(f"p{len(result)}")
            result.append(head)
            if self.rng.random() < 0.35:
                for _ in range(self.rng.randint(1, 3)):
                    if len(result) < persons:
                        result.append(self.person(f"p{len(result)}", household=head))
        return result

    # --- records ---------------------------------------------------------------------------------

    def records(self, persons: int) -> list[tuple[dict[str, str], str]]:
        """(CSV row, true person) pairs, shuffled; about 1.8 records a person."""
        rows = []
        for person in self.population(persons):
            copies = self.rng.choices([1, 2, 3, 4], [45, 35, 15, 5])[0]
            for _ in range(copies):
                rows.append((self.record(person), person.entity))
        self.rng.shuffle(rows)
        for number, (row, _entity) in enumerate(rows, start=1):
            row["record_id"] = f"r{number}"
        return rows

    def record(self, person: Person) -> dict[str, str]:
        rng = self.rng
        arabic = rng.random() < 0.4
        given = self._spell(person.given, arabic)
        family = self._spell(person.family, arabic)
        if rng.random() < 0.05:
            given, family = family, given
        year, month, day = person.birth
        if rng.random() < 0.02:
            year += rng.choice([-1, 1])
        roll = rng.random()
        if roll < 0.55:
            birth = f"{year:04d}-{month:02d}-{day:02d}"
        elif roll < 0.6 and day <= 12:
            birth = f"{year:04d}-{day:02d}-{month:02d}"
        elif roll < 0.7:
            birth = f"{year:04d}-{month:02d}"
        elif roll < 0.92:
            birth = f"{year:04d}"
        else:
            birth = ""
        return {
            "record_id": "", "first_name": given, "last_name": family,
            "sex": ("" if rng.random() < 0.05 else rng.choice({"m": ["M", "m", "H"], "f": ["F", "f"]}[person.sex])),
            "birth_date": birth, "nationality": self._nationality(person.nationality),
            "phone": self._phone(person.phone), "document_number": self._document(person.document),
            "address": self._address(person.address, arabic), "source_agency": rng.choice(AGENCIES),
        }

    def _spell(self, name: Name, arabic: bool) -> str:
        rng = self.rng
        if arabic:
            text = rng.choice(name.arabic)
            return _typo(rng, text, "ابتثجحخدذرزسشصضطظعغفقكلمنهوي") if rng.random() < 0.1 else text
        weights = _zipf_weights(len(name.latin), 1.0)
        text = rng.choices(name.latin, weights)[0]
        text = " ".join(part.capitalize() for part in text.split(" "))
        if rng.random() < 0.12:
            text = _typo(rng, text, "abcdefghijklmnopqrstuvwxyz")
        if rng.random() < 0.2:
            text = text.upper()
        return text

    def _nationality(self, code: str) -> str:
        french, english, arabic = NATIONALITIES[code]
        return self.rng.choices([code, french, english, arabic, ""], [40, 20, 17, 18, 5])[0]

    def _phone(self, phone: str) -> str:
        if not phone or self.rng.random() < 0.35:
            return ""
        rest = phone[1:]
        return self.rng.choice([phone, f"+212 {rest[0]} {rest[1:3]} {rest[3:5]} {rest[5:7]} {rest[7:]}",
                                f"00212{rest}", f"{phone[:2]}-{phone[2:4]}-{phone[4:6]}-{phone[6:8]}-{phone[8:]}"])

    def _document(self, document: str) -> str:
        if not document or self.rng.random() < 0.5:
            return ""
        return _typo(self.rng, document, "0123456789") if self.rng.random() < 0.03 else document

    def _address(self, address: tuple[str, str, str], arabic: bool) -> str:
        if self.rng.random() < 0.5:
            return ""
        number, street, city = address
        latin_city, arabic_city = CITIES[int(city)]
        if arabic and self.rng.random() < 0.5:
            return f"{number} شارع {street}، {arabic_city}"
        prefix = self.rng.choice(["Rue", "Avenue", "Bd", "N°"])
        return f"{number} {prefix} {street}, {latin_city}"


def _typo(rng: random.Random, text: str, alphabet: str) -> str:
    if len(text) < 4:
        return text
    position = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.3:
        return text[:position] + text[position + 1:]
    if kind < 0.6:
        return text[:position] + rng.choice(alphabet) + text[position + 1:]
    if kind < 0.8:
        return text[:position] + rng.choice(alphabet) + text[position:]
    return text[:position - 1] + text[position] + text[position - 1] + text[position + 1:]


_FEMININE_ENDINGS = ("a", "ae", "aa", "e", "ia", "at", "et", "ane", "ine", "am")
_FEMININE_ARABIC = ("ة", "اء", "ى")


def _guess_sex(entry: TableEntry) -> str:
    arabic = entry.arabic[0]
    latin = entry.latin[0]
    if arabic.endswith(_FEMININE_ARABIC) or latin in {"meryem", "zineb", "hind", "maryam", "yasmine", "imane",
                                                     "nisrine", "hanane", "wiam", "siham", "ikram", "ilham",
                                                     "souad", "nawal", "hayat", "ghizlane", "jihane", "kaoutar",
                                                     "najat", "amal", "manal", "ibtissam", "touria", "itto",
                                                     "tamou", "hajar", "mouna", "bouchra", "mina", "dounia"}:
        return "f"
    return "m"
