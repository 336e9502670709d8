"""The default catalogues: the ten types of non-formal activity the programme ran and the four kinds of campaign
event (DOMAIN.md "The programme"). The data migration 0002 holds a frozen copy of these lists."""

ACTIVITY_TYPES = [
    ("atelier-creativ", "Atelier creativ (desen, pictură, lucru manual)", "children"),
    ("lectura", "Club de lectură și povești", "children"),
    ("sport", "Activitate sportivă și jocuri în aer liber", "children"),
    ("educatie-sanatate", "Educație pentru sănătate și igienă", "children"),
    ("educatie-civica", "Educație civică și drepturile copilului", "children"),
    ("teatru-muzica", "Teatru, muzică și dans", "children"),
    ("excursie", "Excursie sau vizită tematică", "mixed"),
    ("orientare", "Orientare școlară și profesională", "children"),
    ("scoala-parintilor", "Întâlnire cu părinții (școala părinților)", "parents"),
    ("activitate-comuna", "Activitate comună copii–părinți–profesori", "mixed"),
]

CAMPAIGN_KINDS = [
    ("intalnire", "Întâlnire de informare"),
    ("pliante", "Distribuire de pliante"),
    ("afis", "Afișe"),
    ("media-locala", "Presă și media locală"),
]
