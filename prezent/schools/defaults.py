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
