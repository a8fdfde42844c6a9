"""Names of the demo persons, in the spellings that Moroccan agencies actually write.

A name is a pair ``(Latin spelling, Arabic spelling)``. Moroccan names use the French-style
Maghreb transliteration (ou for و, ch for ش, kh for خ, -a for ة, El/Ben/Ait particles) and
both spellings are filled in. Migrants' names are written in Latin script; an Arabic spelling is
given only where Moroccan officers commonly write one, and is empty otherwise. Some Arabic names
appear under two Latin spellings (Mohamed and Mohammed are both محمد), as in real referrals.
"""

from __future__ import annotations

from dataclasses import dataclass

Name = tuple[str, str]


@dataclass(frozen=True)
class NamePool:
    female: tuple[Name, ...]
    male: tuple[Name, ...]
    family: tuple[Name, ...]
    # Family names that only women carry (Akter, Begum in Bangladesh); empty when women take ``family``.
    female_family: tuple[Name, ...] = ()


MOROCCAN = NamePool(
    female=(
        ("Fatima Zahra", "فاطمة الزهراء"), ("Khadija", "خديجة"), ("Salma", "سلمى"), ("Hanane", "حنان"),
        ("Meryem", "مريم"), ("Zineb", "زينب"), ("Hafsa", "حفصة"), ("Ikram", "إكرام"), ("Siham", "سهام"),
        ("Samira", "سميرة"), ("Loubna", "لبنى"), ("Imane", "إيمان"), ("Ouiam", "وئام"), ("Rachida", "رشيدة"),
        ("Malika", "مليكة"), ("Itto", "إيطو"), ("Hasna", "حسناء"), ("Naima", "نعيمة"), ("Soukaina", "سكينة"),
        ("Ghizlane", "غزلان"), ("Chaimae", "شيماء"), ("Aicha", "عائشة"), ("Kawtar", "كوثر"), ("Oumaima", "أميمة"),
    ),
    male=(
        ("Youssef", "يوسف"), ("Mohamed", "محمد"), ("Mohammed", "محمد"), ("Ahmed", "أحمد"), ("Rachid", "رشيد"),
        ("Lahcen", "لحسن"), ("Lahoucine", "الحسين"), ("Abderrahmane", "عبد الرحمن"), ("Hamza", "حمزة"),
        ("Ayoub", "أيوب"), ("Anass", "أنس"), ("Othmane", "عثمان"), ("Mehdi", "مهدي"), ("Brahim", "إبراهيم"),
        ("Said", "سعيد"), ("Omar", "عمر"), ("Ilyas", "إلياس"), ("Zakaria", "زكرياء"), ("Khalid", "خالد"),
        ("Abdelghani", "عبد الغني"), ("Hicham", "هشام"), ("Driss", "إدريس"), ("Soufiane", "سفيان"),
    ),
    family=(
        ("El Idrissi", "الإدريسي"), ("Benali", "بنعلي"), ("Ait Ouahmane", "آيت وحمان"), ("El Amrani", "العمراني"),
        ("Bennani", "بناني"), ("Alaoui", "العلوي"), ("Tazi", "التازي"), ("Ouahbi", "وهبي"), ("Essaadi", "السعدي"),
        ("Chraibi", "الشرايبي"), ("Bouzidi", "البوزيدي"), ("El Ouardi", "الوردي"), ("Amzil", "أمزيل"),
        ("Ouchen", "أوشن"), ("El Khattabi", "الخطابي"), ("Boukhari", "البخاري"), ("Lahlou", "لحلو"),
        ("Benjelloun", "بنجلون"), ("Ghazouani", "الغزواني"), ("Zerouali", "الزروالي"), ("Ait Lhaj", "آيت الحاج"),
        ("Ouazzani", "الوزاني"), ("Berrada", "برادة"), ("El Fassi", "الفاسي"), ("Naciri", "الناصري"),
        ("Moussaoui", "الموساوي"), ("Jebli", "الجبلي"), ("Ait Brahim", "آيت إبراهيم"),
    ),
)

# West African given names of Muslim families, shared across Guinea, Mali, Senegal and Côte d'Ivoire.
_SAHEL_FEMALE: tuple[Name, ...] = (
    ("Aminata", "أميناتا"), ("Mariama", "مريامة"), ("Fatoumata", "فاطوماتا"), ("Kadiatou", "كادياتو"),
    ("Aïssatou", "عيساتو"), ("Awa", "عوا"), ("Hawa", "حواء"), ("Oumou", ""), ("Djénéba", ""), ("Ramatoulaye", ""),
)
_SAHEL_MALE: tuple[Name, ...] = (
    ("Ibrahima", "إبراهيما"), ("Mamadou", "مامادو"), ("Moussa", "موسى"), ("Ousmane", "عثمان"),
    ("Abdoulaye", "عبد الله"), ("Sékou", ""), ("Boubacar", "بوبكر"), ("Lamine", "الأمين"), ("Alpha", ""),
    ("Souleymane", "سليمان"),
)

GUINEAN = NamePool(
    female=_SAHEL_FEMALE, male=_SAHEL_MALE,
    family=(("Diallo", "ديالو"), ("Camara", "كامارا"), ("Barry", "باري"), ("Bah", "باه"), ("Sow", "سو"),
            ("Condé", "كوندي"), ("Soumah", ""), ("Keïta", "كيتا")),
)
MALIAN = NamePool(
    female=_SAHEL_FEMALE, male=_SAHEL_MALE,
    family=(("Traoré", "تراوري"), ("Keïta", "كيتا"), ("Coulibaly", "كوليبالي"), ("Diarra", "ديارا"),
            ("Sissoko", ""), ("Konaté", "كوناتي"), ("Dembélé", "")),
)
SENEGALESE = NamePool(
    female=(*_SAHEL_FEMALE, ("Ndèye", ""), ("Khady", ""), ("Coumba", "")),
    male=(*_SAHEL_MALE, ("Cheikh", "الشيخ"), ("Modou", ""), ("Pape", "")),
    family=(("Ndiaye", "انجاي"), ("Diop", "ديوب"), ("Fall", "فال"), ("Sarr", "سار"), ("Gueye", "غاي"),
            ("Faye", ""), ("Seck", "سك")),
)
IVORIAN = NamePool(
    female=(("Adjoua", ""), ("Akissi", ""), ("Christelle", ""), ("Aya", ""), ("Mariam", "مريم"),
            ("Awa", "عوا"), ("Affoué", "")),
    male=(("Jean-Baptiste", ""), ("Serge", ""), ("Kouadio", ""), ("Yao", ""), ("Moussa", "موسى"),
          ("Adama", "آدم"), ("Franck", "")),
    family=(("Kouassi", "كواسي"), ("Koné", "كوني"), ("Kouamé", ""), ("Ouattara", "واتارا"), ("Bamba", "بامبا"),
            ("Touré", "توري"), ("N'Guessan", ""), ("Yao", "")),
)
NIGERIAN = NamePool(
    female=(("Blessing", "بليسينغ"), ("Joy", "جوي"), ("Precious", ""), ("Favour", ""), ("Esther", "إستير"),
            ("Gift", ""), ("Chioma", ""), ("Ngozi", ""), ("Osas", ""), ("Mercy", "ميرسي")),
    male=(("Emeka", ""), ("Chinedu", ""), ("Samuel", "صامويل"), ("Godwin", ""), ("Tunde", ""), ("Osagie", "")),
    family=(("Okafor", "أوكافور"), ("Okonkwo", ""), ("Eze", ""), ("Adeyemi", ""), ("Okoro", ""), ("Nwosu", ""),
            ("Osagie", ""), ("Igbinedion", ""), ("Omoregie", ""), ("Obi", "أوبي")),
)
GHANAIAN = NamePool(
    female=(("Akosua", ""), ("Abena", ""), ("Ama", ""), ("Efua", "")),
    male=(("Kwame", ""), ("Kofi", ""), ("Yaw", ""), ("Kwabena", "")),
    family=(("Mensah", "منساه"), ("Owusu", ""), ("Boateng", ""), ("Asante", "")),
)
CAMEROONIAN = NamePool(
    female=(("Christelle", ""), ("Brigitte", ""), ("Larissa", ""), ("Sandrine", ""), ("Carine", "")),
    male=(("Jean-Pierre", ""), ("Hervé", ""), ("Patrick", ""), ("Landry", "")),
    family=(("Nkoulou", ""), ("Mbarga", ""), ("Fotso", ""), ("Ngono", ""), ("Essomba", ""), ("Tchoupo", "")),
)
CONGOLESE = NamePool(
    female=(("Patience", ""), ("Grâce", ""), ("Merveille", ""), ("Nadège", ""), ("Chancelle", "")),
    male=(("Jean-Paul", "جون بول"), ("Christian", ""), ("Junior", ""), ("Trésor", "")),
    family=(("Mbemba", "مبيمبا"), ("Mukendi", ""), ("Tshibangu", ""), ("Kalala", ""), ("Ilunga", ""),
            ("Kabeya", "")),
)
FILIPINO = NamePool(
    female=(("Maria Luisa", ""), ("Rowena", ""), ("Marites", ""), ("Jocelyn", ""), ("Analyn", ""),
            ("Cristina", ""), ("Rosalie", "")),
    male=(("Jose", ""), ("Ramon", ""), ("Mark Anthony", "")),
    family=(("Santos", "سانتوس"), ("Reyes", ""), ("Dela Cruz", ""), ("Bautista", ""), ("Villanueva", ""),
            ("Garcia", "غارسيا"), ("Mendoza", "")),
)
BANGLADESHI = NamePool(
    female=(("Nasima", "نسيمة"), ("Rokeya", "رقية"), ("Shirin", "شيرين")),
    male=(("Mohammad Rahim", "محمد رحيم"), ("Abdul Karim", "عبد الكريم"), ("Shahidul", ""), ("Rafiqul", ""),
          ("Jamal", "جمال"), ("Anwar", "أنور")),
    family=(("Hossain", "حسين"), ("Rahman", "رحمان"), ("Islam", "إسلام"), ("Uddin", ""), ("Miah", "")),
    female_family=(("Akter", ""), ("Begum", "بيغوم")),
)
# Syrians write their names in Arabic; the Latin spelling is the English-style one of their passports.
SYRIAN = NamePool(
    female=(("Rasha", "رشا"), ("Lama", "لمى"), ("Hala", "هلا"), ("Rim", "ريم"), ("Nour", "نور")),
    male=(("Ahmad", "أحمد"), ("Omar", "عمر"), ("Khaled", "خالد"), ("Mahmoud", "محمود"), ("Yamen", "يامن")),
    family=(("Al-Halabi", "الحلبي"), ("Al-Hamwi", "الحموي"), ("Haddad", "حداد"), ("Al-Khatib", "الخطيب"),
            ("Darwish", "درويش")),
)

POOLS: dict[str, NamePool] = {
    "MA": MOROCCAN, "GN": GUINEAN, "ML": MALIAN, "SN": SENEGALESE, "CI": IVORIAN, "NG": NIGERIAN,
    "GH": GHANAIAN, "CM": CAMEROONIAN, "CD": CONGOLESE, "PH": FILIPINO, "BD": BANGLADESHI, "SY": SYRIAN,
}

# Nationalities whose names agencies write first in Arabic script.
ARABIC_SCRIPT_NATIONALITIES = frozenset({"MA", "SY"})
