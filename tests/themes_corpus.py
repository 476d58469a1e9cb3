"""A generated set of complaints in nl, fr, de and en with planted subjects, for the themes
tests and ``bench/themes.py``. Each planted subject has its own phrases in each language;
the filler sentences and the unrelated complaints share the everyday words of any complaint."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

LANGUAGES = ("nl", "fr", "de", "en")

SUBJECTS: dict[str, dict[str, list[str]]] = {
    "phone": {
        "nl": [
            "de telefoonlijn is nooit bereikbaar",
            "na veertig minuten wachtmuziek werd de verbinding verbroken",
            "niemand neemt de telefoon op",
            "het callcenter hangt telkens op",
        ],
        "fr": [
            "la ligne téléphonique est toujours injoignable",
            "après quarante minutes de musique d'attente la communication a été coupée",
            "personne ne décroche le téléphone",
        ],
        "de": [
            "die Telefonleitung ist nie erreichbar",
            "nach vierzig Minuten Wartemusik wurde die Verbindung unterbrochen",
            "niemand nimmt das Telefon ab",
            "das Callcenter legt jedes Mal auf",
        ],
        "en": [
            "the telephone line is never reachable",
            "after forty minutes of hold music the call was cut off",
            "nobody picks up the phone",
            "the call centre hangs up every time",
        ],
    },
    "payment": {
        "nl": [
            "mijn leefloon is deze maand niet gestort",
            "de betaling van het leefloon is opnieuw te laat",
            "zonder leefloon kan ik de huur niet betalen",
        ],
        "fr": [
            "mon revenu d'intégration n'a pas été versé ce mois",
            "le paiement du revenu d'intégration est encore en retard",
            "sans revenu d'intégration je ne peux pas payer le loyer",
        ],
        "de": [
            "mein Eingliederungseinkommen wurde diesen Monat nicht überwiesen",
            "die Zahlung des Eingliederungseinkommens ist wieder verspätet",
            "ohne Eingliederungseinkommen kann ich die Miete nicht bezahlen",
        ],
        "en": [
            "my integration income was not paid this month",
            "the payment of the integration income is late again",
            "without integration income I cannot pay the rent",
        ],
    },
    "website": {
        "nl": [
            "het elektronisch formulier op de website geeft een foutmelding",
            "inloggen met itsme lukt niet op de website",
            "de website blokkeert bij de laatste stap van het formulier",
        ],
        "fr": [
            "le formulaire électronique du site web affiche un message d'erreur",
            "la connexion avec itsme échoue sur le site web",
            "le site web bloque à la dernière étape du formulaire",
        ],
        "de": [
            "das elektronische Formular auf der Webseite zeigt eine Fehlermeldung",
            "die Anmeldung mit itsme funktioniert auf der Webseite nicht",
            "die Webseite blockiert beim letzten Schritt des Formulars",
        ],
        "en": [
            "the electronic form on the website shows an error message",
            "logging in with itsme fails on the website",
            "the website freezes at the last step of the form",
        ],
    },
    "counter": {
        "nl": [
            "de medewerker aan het loket was onbeleefd en schreeuwde",
            "aan het onthaal werd ik uitgelachen door de bediende",
            "de loketbediende weigerde mij te woord te staan",
        ],
        "fr": [
            "l'agent au guichet a été impoli et a crié",
            "à l'accueil l'employé s'est moqué de moi",
            "l'employé du guichet a refusé de me parler",
        ],
        "de": [
            "der Mitarbeiter am Schalter war unhöflich und hat geschrien",
            "am Empfang hat mich der Angestellte ausgelacht",
            "der Schalterbeamte hat sich geweigert mit mir zu sprechen",
        ],
        "en": [
            "the officer at the counter was rude and shouted",
            "at the reception desk the clerk laughed at me",
            "the counter clerk refused to speak to me",
        ],
    },
    "wheelchair": {
        "nl": [
            "het gebouw is niet toegankelijk met een rolstoel",
            "de lift naar de wachtzaal is al weken defect en ik zit in een rolstoel",
            "er is geen hellend vlak voor rolstoelgebruikers",
        ],
        "fr": [
            "le bâtiment n'est pas accessible en fauteuil roulant",
            "l'ascenseur vers la "
            "salle d'attente est en panne depuis des semaines et je suis en fauteuil "
            "roulant",
            "il n'y a pas de rampe pour les fauteuils roulants",
        ],
        "de": [
            "das Gebäude ist mit dem Rollstuhl nicht zugänglich",
            "der Aufzug zum Wartesaal ist seit Wochen defekt und ich sitze im Rollstuhl",
            "es gibt keine Rampe für Rollstuhlfahrer",
        ],
        "en": [
            "the building is not accessible in a wheelchair",
            "the lift to the waiting room has been broken for weeks and I use a wheelchair",
            "there is no ramp for wheelchair users",
        ],
    },
}

# The formulas any complaint may end with: each in about a quarter of a language's complaints.
FILLER = {
    "nl": [
        "Ik vind dit onaanvaardbaar.",
        "Ik verwacht een snelle oplossing.",
        "Dit is al de tweede keer.",
        "Met vriendelijke groeten.",
    ],
    "fr": [
        "Je trouve cela inacceptable.",
        "J'attends une solution rapide.",
        "C'est déjà la deuxième fois.",
        "Salutations distinguées.",
    ],
    "de": [
        "Ich finde das inakzeptabel.",
        "Ich erwarte eine schnelle Lösung.",
        "Das ist schon das zweite Mal.",
        "Mit freundlichen Grüßen.",
    ],
    "en": [
        "I find this unacceptable.",
        "I expect a quick solution.",
        "This is already the second time.",
        "Kind regards.",
    ],
}

# Words for the unrelated complaints: each draws its own handful, so no two share a subject.
UNRELATED = {
    language: words.split()
    for language, words in {
        "nl": "parkeerplaats koffie brochure vertaling kalender printer enveloppe postzegel "
        "vergadering statistiek archief sleutel verwarming verlichting fiets trein boekhouding "
        "verzekering notaris kinderbijslag pensioen studiebeurs huisdier belasting rijbewijs "
        "zwembad bibliotheek",
        "fr": "stationnement café brochure traduction calendrier imprimante enveloppe timbre "
        "réunion statistique archives clé chauffage éclairage vélo train comptabilité assurance "
        "notaire allocations pension bourse animal impôt permis piscine bibliothèque",
        "de": "Parkplatz Kaffee Broschüre Übersetzung Kalender Drucker Umschlag Briefmarke "
        "Sitzung Statistik Archiv Schlüssel Heizung Beleuchtung Fahrrad Zug Buchhaltung "
        "Versicherung Notar Kindergeld Rente Stipendium Haustier Steuer Führerschein Schwimmbad "
        "Bibliothek",
        "en": "parking coffee brochure translation calendar printer envelope stamp meeting "
        "statistics archive key heating lighting bicycle train accounting insurance notary "
        "allowance pension scholarship pet tax licence pool library",
    }.items()
}


@dataclass(frozen=True)
class Generated:
    text: str
    language: str
    subject: str  # "" for an unrelated complaint


def generate(count: int, planted_share: float = 0.6, seed: int = 7) -> list[Generated]:
    """``count`` complaints, ``planted_share`` of them on one of the planted subjects, the
    rest each about a few unrelated words; languages in turn."""
    rng = random.Random(seed)
    subjects = sorted(SUBJECTS)
    out = []
    for index in range(count):
        language = LANGUAGES[index % len(LANGUAGES)]
        filler = rng.choice(FILLER[language])
        if rng.random() < planted_share:
            subject = subjects[rng.randrange(len(subjects))]
            phrases = rng.sample(SUBJECTS[subject][language], 2)
            sentences = [f"{phrases[0].capitalize()}.", f"{phrases[1].capitalize()}.", filler]
        else:
            subject = ""
            words = rng.sample(UNRELATED[language], 2) + [_pseudo_word(rng) for _ in range(4)]
            sentences = [" ".join(words).capitalize() + ".", filler]
        sentences.append(f"{rng.randrange(10_000, 99_999)}")
        out.append(Generated(" ".join(sentences), language, subject))
    return out


def _pseudo_word(rng: random.Random) -> str:
    """A word of no language (a name, a street): what makes an unrelated complaint its own."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


def store(items: list[Generated], received: datetime.datetime, prefix: str = "T") -> list[int]:
    """Stores ``items`` as web complaints received at ``received`` (straight into the
    database: these tests are about what comes after intake); returns their ids in order."""
    from complaints.models import Complaint
    from configuration.models import Category

    category = Category.objects.first()
    assert category is not None
    day = received.date()
    stored = Complaint.objects.bulk_create(
        [
            Complaint(
                reference=f"{prefix}{received:%Y}-{index:06d}",
                status="acknowledged",
                channel="web",
                complainant_kind="person",
                first_name="Test",
                last_name=f"Person{index}",
                language=item.language,
                category=category,
                facts_start=day,
                description=item.text,
                received_at=received,
                acknowledgement_due=day,
                answer_due=day,
            )
            for index, item in enumerate(items)
        ],
        batch_size=2000,
    )
    return [complaint.pk for complaint in stored]


@dataclass(frozen=True)
class Quality:
    purity: float  # share of themed complaints whose theme's most common subject is theirs
    recall: float  # share of planted complaints in the main theme of their subject
    unrelated: float  # share of unrelated complaints put in a theme
    languages: dict[str, set[str]]  # per subject, the languages of its main theme
    themes: int


def measure(items: list[Generated], theme_of: dict[int, int]) -> Quality:
    """How well ``theme_of`` (index of an item -> its theme) groups the planted subjects,
    across languages: an unrelated complaint counts as a subject of its own."""
    from collections import Counter

    members: dict[int, list[int]] = {}
    for index, theme in theme_of.items():
        members.setdefault(theme, []).append(index)
    label = [item.subject or f"unrelated {index}" for index, item in enumerate(items)]
    majority = sum(
        Counter(label[index] for index in indexes).most_common(1)[0][1]
        for indexes in members.values()
    )
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if item.subject:
            groups.setdefault(item.subject, []).append(index)
    together, languages = 0, {}
    for subject, indexes in groups.items():
        counts = Counter(theme_of[i] for i in indexes if i in theme_of)
        main = counts.most_common(1)[0][0] if counts else None
        together += counts[main] if main is not None else 0
        languages[subject] = {items[i].language for i in indexes if theme_of.get(i) == main}
    unrelated = [index for index, item in enumerate(items) if not item.subject]
    return Quality(
        purity=majority / max(len(theme_of), 1),
        recall=together / max(sum(len(g) for g in groups.values()), 1),
        unrelated=sum(index in theme_of for index in unrelated) / max(len(unrelated), 1),
        languages=languages,
        themes=len(members),
    )
