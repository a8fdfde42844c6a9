"""Phone numbers, nationalities and partial dates of birth, read from whatever a list holds."""

from __future__ import annotations

import calendar
import gettext
import os
import re
from dataclasses import dataclass
from functools import cache

import phonenumbers

from masarat.matching.normalise import normalise_text
from masarat.matching.similarity import within_one_edit

DEFAULT_PHONE_REGION = "MA"


def normalise_phone(raw: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """E.164 form ("+212612345678") of "06 12 34 56 78", "+212 6...", "00212 6..." or "212 6...".

    Raises ValueError when the text is not a valid number.
    """
    text = raw.strip()
    if not text:
        raise ValueError("empty")
    digits = re.sub(r"\D", "", text)
    if text.startswith("00"):
        text = "+" + digits[2:]
    elif not text.startswith("+") and len(digits) > 10 and not digits.startswith("0"):
        text = "+" + digits  # an international number written without its "+"
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Arabic country names and demonyms (nationalities are often written "marocain", "مغربية").
_EXTRA_NATIONALITY_NAMES: dict[str, tuple[str, ...]] = {
    "MA": ("المغرب", "المملكة المغربية", "مغربي", "مغربية", "marocain", "marocaine", "moroccan", "maroc"),
    "DZ": ("الجزائر", "جزائري", "جزائرية", "algerien", "algerienne", "algerian"),
    "TN": ("تونس", "تونسي", "تونسية", "tunisien", "tunisienne", "tunisian"),
    "LY": ("ليبيا", "ليبي", "ليبية", "libyen", "libyenne", "libyan"),
    "EG": ("مصر", "مصري", "مصرية", "egyptien", "egyptienne", "egyptian"),
    "MR": ("موريتانيا", "موريتاني", "موريتانية", "mauritanien", "mauritanienne", "mauritanian"),
    "SN": ("السنغال", "سنغالي", "سنغالية", "senegalais", "senegalaise", "senegalese"),
    "ML": ("مالي", "مالية", "malien", "malienne", "malian"),
    "CI": ("ساحل العاج", "كوت ديفوار", "ايفواري", "ايفوارية", "ivoirien", "ivoirienne", "ivorian",
           "cote d ivoire", "ivory coast"),
    "GN": ("غينيا", "غيني", "غينية", "guineen", "guineenne", "guinean"),
    "NG": ("نيجيريا", "نيجيري", "نيجيرية", "nigerian", "nigeriane"),
    "NE": ("النيجر", "نيجري", "nigerien", "nigerienne"),
    "CM": ("الكاميرون", "كاميروني", "كاميرونية", "camerounais", "camerounaise", "cameroonian"),
    "IR": ("إيران", "ايران", "iran", "iranien", "iranienne", "iranian"),
    "RU": ("روسيا", "russie", "russia", "russe", "russian"),
    "TZ": ("تنزانيا", "tanzanie", "tanzania"),
    "VN": ("فيتنام", "vietnam", "viet nam"),
    "KR": ("كوريا الجنوبية", "coree du sud", "south korea"),
    "CD": ("الكونغو الديمقراطية", "جمهورية الكونغو الديمقراطية", "congolais rdc", "rdc", "drc"),
    "CG": ("الكونغو", "كونغولي", "congolais", "congolaise", "congolese"),
    "GH": ("غانا", "غاني", "ghaneen", "ghaneenne", "ghanaian"),
    "BF": ("بوركينا فاسو", "burkinabe"),
    "GM": ("غامبيا", "gambien", "gambienne", "gambian"),
    "LR": ("ليبيريا", "liberien", "liberienne", "liberian"),
    "SL": ("سيراليون", "sierra leonais", "sierra leonean"),
    "TD": ("تشاد", "تشادي", "tchadien", "tchadienne", "chadian"),
    "SD": ("السودان", "سوداني", "سودانية", "soudanais", "soudanaise", "sudanese"),
    "SY": ("سوريا", "سوري", "سورية", "syrien", "syrienne", "syrian", "syrie", "syria"),
    "YE": ("اليمن", "يمني", "يمنية", "yemenite", "yemeni"),
    "PS": ("فلسطين", "فلسطيني", "فلسطينية", "palestinien", "palestinienne", "palestinian"),
    "IQ": ("العراق", "عراقي", "عراقية", "irakien", "irakienne", "iraqi"),
    "SA": ("السعودية", "المملكة العربية السعودية", "سعودي", "سعودية", "saoudien", "saoudienne", "saudi"),
    "AE": ("الامارات", "الإمارات العربية المتحدة", "اماراتي", "emirati"),
    "FR": ("فرنسا", "فرنسي", "فرنسية", "francais", "francaise", "french"),
    "ES": ("اسبانيا", "إسبانيا", "اسباني", "اسبانية", "espagnol", "espagnole", "spanish"),
    "IT": ("ايطاليا", "إيطاليا", "ايطالي", "italien", "italienne", "italian"),
    "BE": ("بلجيكا", "بلجيكي", "belge", "belgian"),
    "PH": ("الفلبين", "فلبيني", "فلبينية", "philippin", "philippine", "filipino", "filipina"),
    "BD": ("بنغلاديش", "بنغالي", "bangladais", "bangladaise", "bangladeshi"),
    "PK": ("باكستان", "باكستاني", "pakistanais", "pakistanaise", "pakistani"),
    "IN": ("الهند", "هندي", "هندية", "indien", "indienne", "indian"),
    "CN": ("الصين", "صيني", "صينية", "chinois", "chinoise", "chinese"),
    "TR": ("تركيا", "تركي", "تركية", "turc", "turque", "turkish"),
}


@cache
def _nationality_names() -> dict[str, str]:
    """Normal text of every known name -> ISO code, from django-countries' catalogues and our additions."""
    import django_countries
    from django_countries.data import COUNTRIES

    names: dict[str, str] = {}
    locale_dir = os.path.join(os.path.dirname(django_countries.__file__), "locale")
    catalogues = [gettext.translation("django", locale_dir, languages=[lang], fallback=True) for lang in ("fr", "ar")]
    for code, lazy_name in COUNTRIES.items():
        english = str(getattr(lazy_name, "_args", (lazy_name,))[0])
        names[normalise_text(english)] = code
        for catalogue in catalogues:
            names.setdefault(normalise_text(catalogue.gettext(english)), code)
    for code, extra in _EXTRA_NATIONALITY_NAMES.items():
        for name in extra:
            names[normalise_text(name)] = code
    return names


@cache
def _alpha3() -> dict[str, str]:
    from django_countries.data import ALT_CODES

    return {alpha3: code for code, (alpha3, _numeric) in ALT_CODES.items() if alpha3}


def nationality_code(raw: str) -> str:
    """ISO 3166 alpha-2 code of "MA", "MAR", "Maroc", "Morocco", "المغرب" or "marocaine". Raises ValueError."""
    text = raw.strip()
    if not text:
        raise ValueError("empty")
    upper = text.upper()
    names = _nationality_names()
    if len(upper) == 2 and upper.isalpha() and upper in set(names.values()):
        return upper
    if len(upper) == 3 and upper in _alpha3():
        return _alpha3()[upper]
    code = names.get(normalise_text(text))
    if code is None:
        raise ValueError("unknown country")
    return code


@dataclass(frozen=True, slots=True)
class BirthParts:
    """A possibly partial date of birth, or an age estimated in a given year."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    estimated_age: int | None = None
    estimated_in: int | None = None  # year the age was estimated

    @property
    def is_known(self) -> bool:
        return self.year is not None or self.estimated_age is not None

    def year_range(self) -> tuple[int, int] | None:
        if self.year is not None:
            return self.year, self.year
        if self.estimated_age is not None and self.estimated_in is not None:
            # An estimated age is an estimate: two years either way.
            born = self.estimated_in - self.estimated_age
            return born - 3, born + 2
        return None


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_birth_date(raw: str) -> BirthParts:
    """YYYY-MM-DD, YYYY-MM or YYYY (empty: unknown). Raises ValueError on anything else."""
    text = raw.strip()
    if not text:
        return BirthParts()
    found = _DATE.match(text)
    if not found:
        raise ValueError("expected YYYY-MM-DD, YYYY-MM or YYYY")
    year = int(found.group(1))
    month = int(found.group(2)) if found.group(2) else None
    day = int(found.group(3)) if found.group(3) else None
    if not 1850 <= year <= 2200:
        raise ValueError("year out of range")
    if month is not None and not 1 <= month <= 12:
        raise ValueError("month out of range")
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError("day out of range")
    return BirthParts(year=year, month=month, day=day)


# Levels of two dates of birth. ONE_EDIT: two full dates one typing error apart (one digit changed, two
# neighbouring digits swapped, or the year one off with the same day and month), likelier a typo than
# a relative, who is not born on the same day of another year.
BIRTH_EXACT, BIRTH_SWAPPED, BIRTH_ONE_EDIT, BIRTH_SAME_MONTH, BIRTH_SAME_YEAR, BIRTH_NEAR, BIRTH_CONFLICT, \
    BIRTH_DIFFERENT = 7, 6, 5, 4, 3, 2, 1, 0


def birth_level(a: BirthParts, b: BirthParts) -> int | None:
    """Agreement of two dates of birth; None when one is unknown."""
    if not a.is_known or not b.is_known:
        return None
    if a.year is not None and b.year is not None:
        if _one_typing_error(a, b):
            return BIRTH_ONE_EDIT
        if a.year == b.year:
            if a.month is not None and b.month is not None and a.day is not None and b.day is not None:
                if (a.month, a.day) == (b.month, b.day):
                    return BIRTH_EXACT
                if (a.month, a.day) == (b.day, b.month):
                    return BIRTH_SWAPPED
                return BIRTH_CONFLICT
            if a.month is None or b.month is None:
                return BIRTH_SAME_YEAR
            if a.month == b.month:
                return BIRTH_SAME_MONTH
            if a.day is not None and b.day is None and a.day == b.month:
                return BIRTH_SWAPPED
            if b.day is not None and a.day is None and b.day == a.month:
                return BIRTH_SWAPPED
            return BIRTH_CONFLICT
        return BIRTH_NEAR if abs(a.year - b.year) == 1 else BIRTH_DIFFERENT
    ra, rb = a.year_range(), b.year_range()
    if ra is None or rb is None:
        return None
    return BIRTH_NEAR if ra[0] <= rb[1] and rb[0] <= ra[1] else BIRTH_DIFFERENT


def _one_typing_error(a: BirthParts, b: BirthParts) -> bool:
    if a.month is None or b.month is None or a.day is None or b.day is None or a == b:
        return False
    if (a.month, a.day) == (b.day, b.month):
        return False  # day and month swapped: a level of its own
    if (a.month, a.day) == (b.month, b.day) and abs((a.year or 0) - (b.year or 0)) == 1:
        return True
    return within_one_edit(f"{a.year:04d}{a.month:02d}{a.day:02d}", f"{b.year:04d}{b.month:02d}{b.day:02d}")
