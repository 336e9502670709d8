"""The official school-year structures Prezent loads by default (`school_years_load_official`): Iași, from the OM
structura anului școlar and ISJ Iași for the February week.

The 2026–2027 February holiday week of Iași was not yet published when this was written: the third and fourth
modules below assume the week of 22–26 February 2027 (as in 2026). The county coordinator corrects the module
dates in the interface when the inspectorate publishes them.
"""

import datetime

D = datetime.date

IASI_CALENDARS: list[dict] = [
    {
        "county_code": "IS",
        "name": "2025-2026",
        "start": D(2025, 9, 8),
        "end": D(2026, 6, 19),
        "modules": [
            (D(2025, 9, 8), D(2025, 10, 24)),
            (D(2025, 11, 3), D(2025, 12, 19)),
            (D(2026, 1, 8), D(2026, 2, 13)),
            (D(2026, 2, 23), D(2026, 4, 3)),
            (D(2026, 4, 15), D(2026, 6, 19)),
        ],
        "days_off": [
            (D(2025, 12, 1), "Ziua Națională a României"),
            (D(2026, 5, 1), "Ziua Muncii"),
            (D(2026, 6, 1), "Ziua Copilului / Rusalii"),
        ],
    },
    {
        "county_code": "IS",
        "name": "2026-2027",
        "start": D(2026, 9, 7),
        "end": D(2027, 6, 18),
        "modules": [
            (D(2026, 9, 7), D(2026, 10, 23)),
            (D(2026, 11, 2), D(2026, 12, 22)),
            (D(2027, 1, 11), D(2027, 2, 19)),
            (D(2027, 3, 1), D(2027, 4, 23)),
            (D(2027, 5, 5), D(2027, 6, 18)),
        ],
        "days_off": [
            (D(2026, 10, 5), "Ziua Educației"),
            (D(2026, 11, 30), "Sfântul Andrei"),
            (D(2026, 12, 1), "Ziua Națională a României"),
            (D(2027, 6, 1), "Ziua Copilului"),
        ],
    },
]


# ---------------------------------------------------------------------------------------------------------------
# The national structure of a school year, for any county (`school_year_open`, `manage.py open_school_year`).
#
# The ministry's order sets the modules and the holidays for the whole country except one week: each county
# inspectorate chooses its February holiday week inside a window the order gives. A structure therefore holds the
# five modules with the third ending and the fourth starting "around the February week", the window of Mondays a
# county may choose from, and the week assumed when the county has not said yet (`february_default`): the third
# module ends on the Friday before the chosen Monday and the fourth starts on the Monday after its week.
#
# 2026–2027 is the order's structure (the same as Iași's shipped calendar above when the week is 22–26 February
# 2027). 2027–2028 is not published yet: it is assumed (`assumption=True`), the 2026–2027 pattern moved 52 weeks
# (start on 6 September 2027, a Monday), the spring holiday placed around the Orthodox Easter of 16 April 2028 as
# the order placed it around Easter in 2025–2026 (the fourth module ends on the Friday nine days before Easter, the
# fifth starts on the Wednesday after it), and the days off are the legal holidays (Labour Code art. 139) that fall
# on school days. Every date stays editable on the year's page (`schools:year_edit`).

NATIONAL_YEARS: dict[str, dict] = {
    "2026-2027": {
        "name": "2026-2027",
        "start": D(2026, 9, 7),
        "end": D(2027, 6, 18),
        "modules": [
            (D(2026, 9, 7), D(2026, 10, 23)),
            (D(2026, 11, 2), D(2026, 12, 22)),
            (D(2027, 1, 11), None),
            (None, D(2027, 4, 23)),
            (D(2027, 5, 5), D(2027, 6, 18)),
        ],
        "february_window": (D(2027, 2, 15), D(2027, 3, 7)),
        "february_default": D(2027, 2, 22),
        "days_off": [
            (D(2026, 10, 5), "Ziua Educației"),
            (D(2026, 11, 30), "Sfântul Andrei"),
            (D(2026, 12, 1), "Ziua Națională a României"),
            (D(2027, 6, 1), "Ziua Copilului"),
        ],
        "assumption": False,
        "note": "",
    },
    "2027-2028": {
        "name": "2027-2028",
        "start": D(2027, 9, 6),
        "end": D(2028, 6, 16),
        "modules": [
            (D(2027, 9, 6), D(2027, 10, 22)),
            (D(2027, 11, 1), D(2027, 12, 21)),
            (D(2028, 1, 10), None),
            (None, D(2028, 4, 7)),
            (D(2028, 4, 19), D(2028, 6, 16)),
        ],
        "february_window": (D(2028, 2, 14), D(2028, 3, 5)),
        "february_default": D(2028, 2, 21),
        "days_off": [
            (D(2027, 11, 30), "Sfântul Andrei"),
            (D(2027, 12, 1), "Ziua Națională a României"),
            (D(2028, 1, 24), "Ziua Unirii Principatelor Române"),
            (D(2028, 5, 1), "Ziua Muncii"),
            (D(2028, 6, 1), "Ziua Copilului"),
            (D(2028, 6, 5), "A doua zi de Rusalii"),
        ],
        "assumption": True,
        "note": (
            "Structura anului școlar 2027–2028 nu a fost încă publicată de minister: modulele și vacanțele sunt "
            "presupuse după modelul anului 2026–2027 (vacanța de primăvară în jurul Paștelui din 16 aprilie 2028), "
            "iar zilele libere sunt sărbătorile legale din zilele de curs. Verificați-le când apare ordinul."
        ),
    },
}

# Romania's counties by the codes the Ministry's files and SIRUTA use (the car-plate letters; B is Bucharest).
COUNTIES: dict[str, str] = {
    "AB": "Alba", "AR": "Arad", "AG": "Argeș", "BC": "Bacău", "BH": "Bihor", "BN": "Bistrița-Năsăud",
    "BT": "Botoșani", "BV": "Brașov", "BR": "Brăila", "BZ": "Buzău", "CS": "Caraș-Severin", "CL": "Călărași",
    "CJ": "Cluj", "CT": "Constanța", "CV": "Covasna", "DB": "Dâmbovița", "DJ": "Dolj", "GL": "Galați",
    "GR": "Giurgiu", "GJ": "Gorj", "HR": "Harghita", "HD": "Hunedoara", "IL": "Ialomița", "IS": "Iași",
    "IF": "Ilfov", "MM": "Maramureș", "MH": "Mehedinți", "MS": "Mureș", "NT": "Neamț", "OT": "Olt",
    "PH": "Prahova", "SM": "Satu Mare", "SJ": "Sălaj", "SB": "Sibiu", "SV": "Suceava", "TR": "Teleorman",
    "TM": "Timiș", "TL": "Tulcea", "VS": "Vaslui", "VL": "Vâlcea", "VN": "Vrancea", "B": "București",
}  # fmt: skip
