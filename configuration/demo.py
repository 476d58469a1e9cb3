"""POD Maatschappelijke Integratie's configuration, as demo data (``manage.py load_demo``).

Every row is looked up by its natural key, so loading again updates the rows instead of adding
new ones. A translated text is written as a tuple in the order of ``LANGUAGE_CODES`` (nl, fr,
de, en) and stored in the columns ``<field>_nl`` ... ``<field>_en``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from configuration.models import (
    LANGUAGE_CODES,
    Category,
    ClosingDay,
    CompetentBody,
    DayCount,
    DeadlineKind,
    DeadlinePolicy,
    Ground,
    Norm,
    Organisation,
    RecurringClosingDay,
    TriageQuestion,
    Unit,
)

type Row = dict[str, object]

PHONE = "+32 2 508 85 85"
WEBSITE = "www.mi-is.be"

ORGANISATION: Row = {
    "pk": 1,
    "name": (
        "POD Maatschappelijke Integratie",
        "SPP Intégration sociale",
        "ÖPD Sozialeingliederung",
        "FPS Social Integration",
    ),
    "short_name": "POD MI",
    "email": "klachten@mi-is.be",
    "phone": PHONE,
    "postal_address": (
        "Koning Albert II-laan 30, 1000 Brussel",
        "Boulevard du Roi Albert II 30, 1000 Bruxelles",
        "Boulevard du Roi Albert II 30, 1000 Brüssel",
        "Boulevard du Roi Albert II 30, 1000 Brussels",
    ),
    "website": f"https://{WEBSITE}",
    "privacy_email": "dpo@mi-is.be",
    "holiday_country": "BE",
    "ombudsman_name": (
        "de federale Ombudsman",
        "le Médiateur fédéral",
        "der Föderale Ombudsmann",
        "the Federal Ombudsman",
    ),
    # The Federal Ombudsman's published details, in each language.
    "ombudsman_website": (
        "https://www.federaalombudsman.be",
        "https://www.mediateurfederal.be",
        "https://www.federalombudsman.be/de",
        "https://www.federalombudsman.be/en",
    ),
    "ombudsman_address": (
        "Leuvenseweg 48 bus 6, 1000 Brussel",
        "rue de Louvain 48 boîte 6, 1000 Bruxelles",
        "Löwener Straße 48 Box 6, 1000 Brüssel",
        "Rue de Louvain 48 box 6, 1000 Brussels",
    ),
    "ombudsman_phone": "0800 99 961",
    "ombudsman_email": (
        "contact@federaalombudsman.be",
        "contact@mediateurfederal.be",
        "contact@federaalombudsman.be",
        "contact@federaalombudsman.be",
    ),
}

CATEGORIES: list[Row] = [
    {
        "code": "accessibility",
        "position": 10,
        "label": ("Bereikbaarheid", "Accessibilité", "Erreichbarkeit", "Reaching us"),
        "help": (
            "U kon ons moeilijk bereiken, bijvoorbeeld aan de telefoon, per e-mail of aan het "
            "onthaal.",
            "Vous avez eu du mal à nous joindre, par exemple par téléphone, par e-mail ou à "
            "l'accueil.",
            "Sie konnten uns nur schwer erreichen, zum Beispiel telefonisch, per E-Mail oder am "
            "Empfang.",
            "It was hard to reach us, for example by phone, by e-mail or at reception.",
        ),
    },
    {
        "code": "information",
        "position": 20,
        "label": ("Informatie", "Information", "Information", "Information"),
        "help": (
            "De informatie die u van ons kreeg, was onvolledig of onduidelijk.",
            "Les informations que vous avez reçues de notre part étaient incomplètes ou peu "
            "claires.",
            "Die Auskünfte, die Sie von uns erhalten haben, waren unvollständig oder unklar.",
            "The information you got from us was incomplete or unclear.",
        ),
    },
    {
        "code": "waiting-time",
        "position": 30,
        "label": ("Wachttijd", "Délai d'attente", "Wartezeit", "Waiting time"),
        "help": (
            "U moest te lang wachten op een antwoord van ons.",
            "Vous avez dû attendre trop longtemps une réponse de notre part.",
            "Sie mussten zu lange auf eine Antwort von uns warten.",
            "You had to wait too long for an answer from us.",
        ),
    },
    {
        "code": "behaviour",
        "position": 40,
        "label": (
            "Houding van een medewerker",
            "Attitude d'un collaborateur",
            "Verhalten eines Mitarbeiters",
            "Staff behaviour",
        ),
        "help": (
            "U bent niet tevreden over het gedrag of de houding van een van onze medewerkers, "
            "aan de telefoon, aan het onthaal of tijdens een bezoek.",
            "Vous n'êtes pas satisfait du comportement ou de l'attitude d'un de nos "
            "collaborateurs, au téléphone, à l'accueil ou lors d'une visite.",
            "Sie sind mit dem Verhalten oder der Haltung eines unserer Mitarbeiter nicht "
            "zufrieden, am Telefon, am Empfang oder bei einem Besuch.",
            "You are unhappy with the way one of our staff behaved towards you, on the phone, "
            "at reception or during a visit.",
        ),
    },
    {
        "code": "other",
        "position": 50,
        "label": ("Iets anders", "Autre", "Sonstiges", "Something else"),
        "help": (
            "Uw klacht gaat over een ander aspect van onze dienstverlening.",
            "Votre plainte porte sur un autre aspect de nos services.",
            "Ihre Beschwerde betrifft einen anderen Aspekt unserer Dienstleistungen.",
            "Your complaint is about another part of our service.",
        ),
    },
]

DEADLINES: list[Row] = [
    {"kind": kind, "days": days, "counting": counting, "remind_days_before": 1}
    for kind, days, counting in [
        (DeadlineKind.ACKNOWLEDGEMENT, 2, DayCount.WORKING),
        (DeadlineKind.ANSWER, 14, DayCount.CALENDAR),
        (DeadlineKind.OMBUDSMAN_REQUEST, 15, DayCount.CALENDAR),
    ]
]

RECURRING_CLOSING_DAYS: list[Row] = [
    {"month": 11, "day": 15, "label": "Feest van de Koning (federaal personeel)"},
]

# Bridge days between a public holiday and a weekend; staff add next year's themselves.
CLOSING_DAYS: list[Row] = [
    {"date": datetime.date(2026, 1, 2), "label": "Brugdag"},
    {"date": datetime.date(2026, 5, 15), "label": "Brugdag"},
    {"date": datetime.date(2026, 7, 20), "label": "Brugdag"},
    {"date": datetime.date(2027, 5, 7), "label": "Brugdag"},
    {"date": datetime.date(2027, 11, 12), "label": "Brugdag"},
]

TRIAGE_QUESTIONS: list[Row] = [
    {
        "code": "appeal",
        "position": 10,
        "ground": Ground.APPEAL_EXISTS,
        "question": (
            "Wilt u een beslissing betwisten die u hebt gekregen, bijvoorbeeld een beslissing "
            "over uw rechten of een inspectieverslag?",
            "Voulez-vous contester une décision que vous avez reçue, par exemple une décision "
            "sur vos droits ou un rapport d'inspection ?",
            "Möchten Sie eine Entscheidung anfechten, die Sie erhalten haben, zum Beispiel eine "
            "Entscheidung über Ihre Rechte oder einen Inspektionsbericht?",
            "Do you want to contest a decision you received, for example a decision on your "
            "rights or an inspection report?",
        ),
        "help": (
            "Een klacht gaat over de manier waarop wij u hebben geholpen, niet over de inhoud "
            "van een beslissing.",
            "Une plainte porte sur la manière dont nous vous avons aidé, pas sur le contenu "
            "d'une décision.",
            "Eine Beschwerde betrifft die Art und Weise, wie wir Ihnen geholfen haben, nicht den "
            "Inhalt einer Entscheidung.",
            "A complaint is about the way we dealt with you, not about what a decision says.",
        ),
        "advice": (
            "Dan moet u in beroep gaan; dat is iets anders dan een klacht. Hoe en binnen welke "
            "termijn dat kan, staat in de brief waarmee u de beslissing kreeg, en een klacht "
            "stopt die termijn niet. Vindt u dat het (ook) over de kwaliteit van onze "
            "dienstverlening gaat, dan kunt u wel een klacht indienen.",
            "Dans ce cas, vous devez introduire un recours : ce n'est pas la même chose qu'une "
            "plainte. La manière d'introduire un recours et le délai à respecter figurent dans "
            "la lettre qui vous a communiqué la décision, et une plainte ne suspend pas ce "
            "délai. Si vous estimez que votre problème concerne (aussi) la qualité de nos "
            "services, vous pouvez quand même introduire une plainte.",
            "Dann müssen Sie Einspruch einlegen; das ist etwas anderes als eine Beschwerde. Wie "
            "und bis wann das möglich ist, steht in dem Schreiben, mit dem Sie die Entscheidung "
            "erhalten haben, und eine Beschwerde hält diese Frist nicht an. Wenn Sie meinen, "
            "dass es (auch) um die Qualität unserer Dienstleistung geht, können Sie trotzdem "
            "eine Beschwerde einreichen.",
            "Then you need to appeal, which is not the same as making a complaint. The letter "
            "that gave you the decision explains how to appeal and by when, and making a "
            "complaint does not stop that time limit. If you think your problem is (also) about "
            "the quality of our service, you can still make a complaint.",
        ),
    },
    {
        "code": "other-body",
        "position": 20,
        "ground": Ground.NOT_COMPETENT,
        "question": (
            "Gaat het over een beslissing of de dienstverlening van een OCMW of van een andere "
            "instelling?",
            "Votre problème concerne-t-il une décision ou le service d'un CPAS ou d'un autre "
            "organisme ?",
            "Geht es um eine Entscheidung oder die Dienstleistung eines ÖSHZ oder einer anderen "
            "Einrichtung?",
            "Is it about a decision or the service of a public social welfare centre "
            "(OCMW/CPAS) or another organisation?",
        ),
        "help": (
            "Het OCMW van uw gemeente is een aparte instelling die zelf beslist, bijvoorbeeld "
            "over een leefloon.",
            "Le CPAS de votre commune est un organisme distinct qui prend lui-même ses "
            "décisions, par exemple sur le revenu d'intégration.",
            "Das Öffentliche Sozialhilfezentrum (ÖSHZ) Ihrer Gemeinde ist eine eigenständige "
            "Einrichtung, die selbst entscheidet, zum Beispiel über das Eingliederungseinkommen.",
            "The public social welfare centre (OCMW/CPAS) of your municipality is a separate "
            "body that makes its own decisions, for example on the integration income.",
        ),
        "advice": (
            "Neem dan contact op met dat OCMW of die instelling: zij kunnen uw vraag of klacht "
            "behandelen. Het OCMW heeft een eigen klachtenprocedure; vraag ernaar aan het "
            "onthaal of kijk op de website van uw gemeente. Vindt u dat het toch over de "
            "kwaliteit van onze eigen dienstverlening gaat, dan kunt u wel bij ons een klacht "
            "indienen.",
            "Dans ce cas, adressez-vous à ce CPAS ou à cet organisme : c'est lui qui peut "
            "traiter votre question ou votre plainte. Le CPAS a sa propre procédure de plainte ; "
            "renseignez-vous à l'accueil ou sur le site internet de votre commune. Si vous "
            "estimez que votre problème concerne malgré tout la qualité de nos propres services, "
            "vous pouvez quand même nous adresser une plainte.",
            "Wenden Sie sich dann bitte an dieses ÖSHZ oder diese Einrichtung: Dort kann Ihre "
            "Frage oder Beschwerde bearbeitet werden. Das ÖSHZ hat ein eigenes "
            "Beschwerdeverfahren; fragen Sie am Empfang danach oder sehen Sie auf der Website "
            "Ihrer Gemeinde nach. Wenn Sie meinen, dass es doch um die Qualität unserer eigenen "
            "Dienstleistung geht, können Sie trotzdem bei uns eine Beschwerde einreichen.",
            "Please contact that centre or organisation: they can deal with your question or "
            "complaint. The OCMW/CPAS has its own complaints procedure; ask at its reception or "
            "look on your municipality's website. If you think it is about the quality of our "
            "own service after all, you can still make a complaint to us.",
        ),
    },
    {
        "code": "information",
        "position": 30,
        "ground": "",
        "question": (
            "Hebt u alleen een vraag of zoekt u informatie?",
            "Avez-vous seulement une question ou besoin d'informations ?",
            "Haben Sie nur eine Frage oder brauchen Sie Informationen?",
            "Do you only have a question or need information?",
        ),
        "help": (
            "Een vraag die u rechtstreeks stelt, krijgt meestal sneller een antwoord dan een "
            "klacht.",
            "Une question posée directement reçoit généralement une réponse plus rapide qu'une "
            "plainte.",
            "Eine direkt gestellte Frage wird meist schneller beantwortet als eine Beschwerde.",
            "A question asked directly usually gets a faster answer than a complaint.",
        ),
        "advice": (
            f"Neem dan contact op met onze informatiedienst: bel naar {PHONE} of kijk op "
            f"{WEBSITE}. Zo krijgt u sneller een antwoord. Vindt u dat het over de kwaliteit "
            "van onze dienstverlening gaat, bijvoorbeeld omdat u geen antwoord kreeg op een "
            "eerdere vraag, dan kunt u wel een klacht indienen.",
            f"Dans ce cas, contactez notre service d'information : appelez le {PHONE} ou "
            f"consultez {WEBSITE}. Vous obtiendrez ainsi une réponse plus rapidement. Si vous "
            "estimez que votre problème concerne la qualité de nos services, par exemple parce "
            "que vous n'avez pas reçu de réponse à une question précédente, vous pouvez quand "
            "même introduire une plainte.",
            f"Wenden Sie sich dann an unseren Informationsdienst: Rufen Sie {PHONE} an oder "
            f"besuchen Sie {WEBSITE}. So erhalten Sie schneller eine Antwort. Wenn Sie meinen, "
            "dass es um die Qualität unserer Dienstleistung geht, zum Beispiel weil Sie auf eine "
            "frühere Frage keine Antwort erhalten haben, können Sie trotzdem eine Beschwerde "
            "einreichen.",
            f"Please contact our information desk: call {PHONE} or visit {WEBSITE}. That way "
            "you will get an answer sooner. If you think it is about the quality of our "
            "service, for example because you got no answer to an earlier question, you can "
            "still make a complaint.",
        ),
    },
    {
        "code": "court",
        "position": 40,
        "ground": Ground.IN_COURT,
        "question": (
            "Loopt er over deze zaak al een procedure bij een rechtbank?",
            "Une procédure judiciaire est-elle déjà en cours à ce sujet ?",
            "Läuft in dieser Sache bereits ein Gerichtsverfahren?",
            "Is this matter already before a court?",
        ),
        "help": (
            "Bijvoorbeeld omdat u of iemand anders een zaak bij de arbeidsrechtbank is begonnen.",
            "Par exemple parce que vous-même ou une autre personne avez saisi le tribunal du "
            "travail.",
            "Zum Beispiel, weil Sie oder eine andere Person Klage beim Arbeitsgericht erhoben "
            "haben.",
            "For example, because you or someone else has taken the matter to the labour court.",
        ),
        "advice": (
            "Zolang een rechter over de zaak oordeelt, kunnen wij er geen klacht over "
            "behandelen. Met vragen over de procedure kunt u terecht bij de rechtbank of bij uw "
            "advocaat. Vindt u dat het los daarvan over de kwaliteit van onze dienstverlening "
            "gaat, dan kunt u wel een klacht indienen.",
            "Tant qu'un juge examine l'affaire, nous ne pouvons pas traiter de plainte à ce "
            "sujet. Pour vos questions sur la procédure, adressez-vous au tribunal ou à votre "
            "avocat. Si vous estimez que votre problème concerne, indépendamment de cette "
            "procédure, la qualité de nos services, vous pouvez quand même introduire une "
            "plainte.",
            "Solange ein Gericht über die Sache entscheidet, können wir keine Beschwerde dazu "
            "bearbeiten. Mit Fragen zum Verfahren wenden Sie sich bitte an das Gericht oder an "
            "Ihren Anwalt. Wenn Sie meinen, dass es unabhängig davon um die Qualität unserer "
            "Dienstleistung geht, können Sie trotzdem eine Beschwerde einreichen.",
            "While a court is dealing with the matter, we cannot handle a complaint about it. "
            "For questions about the case, please contact the court or your lawyer. If you "
            "think your problem is about the quality of our service, apart from the court case, "
            "you can still make a complaint.",
        ),
    },
    {
        "code": "ombudsman",
        "position": 50,
        "ground": Ground.WITH_OMBUDSMAN,
        "question": (
            "Hebt u deze zaak al voorgelegd aan de federale Ombudsman?",
            "Avez-vous déjà soumis cette affaire au Médiateur fédéral ?",
            "Haben Sie diese Sache bereits dem Föderalen Ombudsmann vorgelegt?",
            "Have you already taken this matter to the Federal Ombudsman?",
        ),
        "help": (
            "De federale Ombudsman is een onafhankelijke instelling die klachten over federale "
            "overheidsdiensten behandelt.",
            "Le Médiateur fédéral est une institution indépendante qui traite les plaintes "
            "concernant les services publics fédéraux.",
            "Der Föderale Ombudsmann ist eine unabhängige Einrichtung, die Beschwerden über "
            "föderale Behörden bearbeitet.",
            "The Federal Ombudsman is an independent institution that deals with complaints "
            "about federal public services.",
        ),
        "advice": (
            "Dan behandelt de federale Ombudsman uw zaak, en kunnen wij er niet tegelijk een "
            "klacht over behandelen. Met vragen over uw dossier kunt u bij de Ombudsman terecht. "
            "Vindt u dat het over een ander punt in de kwaliteit van onze dienstverlening gaat, "
            "dan kunt u wel een klacht indienen.",
            "Dans ce cas, c'est le Médiateur fédéral qui examine votre dossier, et nous ne "
            "pouvons pas traiter en même temps une plainte sur le même sujet. Pour vos questions "
            "sur votre dossier, adressez-vous au Médiateur. Si vous estimez que votre problème "
            "concerne un autre aspect de la qualité de nos services, vous pouvez quand même "
            "introduire une plainte.",
            "Dann bearbeitet der Föderale Ombudsmann Ihre Sache, und wir können nicht "
            "gleichzeitig eine Beschwerde dazu bearbeiten. Mit Fragen zu Ihrer Akte wenden Sie "
            "sich bitte an den Ombudsmann. Wenn Sie meinen, dass es um einen anderen Punkt in "
            "der Qualität unserer Dienstleistung geht, können Sie trotzdem eine Beschwerde "
            "einreichen.",
            "In that case the Federal Ombudsman is dealing with your case, and we cannot handle "
            "a complaint about the same matter at the same time. For questions about your case, "
            "please contact the Ombudsman. If you think your problem is about another aspect of "
            "the quality of our service, you can still make a complaint.",
        ),
    },
    {
        "code": "policy",
        "position": 60,
        "ground": Ground.POLICY,
        "question": (
            "Gaat uw klacht over het beleid van de minister of de staatssecretaris?",
            "Votre plainte concerne-t-elle la politique menée par le ministre ou le secrétaire "
            "d'État ?",
            "Betrifft Ihre Beschwerde die Politik des Ministers oder des Staatssekretärs?",
            "Is your complaint about the policy of the Minister or the Secretary of State?",
        ),
        "help": (
            "Bijvoorbeeld over een politieke keuze of een plan van de regering.",
            "Par exemple un choix politique ou un projet du gouvernement.",
            "Zum Beispiel eine politische Entscheidung oder ein Vorhaben der Regierung.",
            "For example, a political choice or a plan of the government.",
        ),
        "advice": (
            "Het beleid wordt bepaald door de minister of de staatssecretaris, niet door onze "
            "dienst. U kunt uw mening laten weten aan het kabinet van de minister of de "
            "staatssecretaris, of aan de parlementsleden die u vertegenwoordigen. Vindt u dat "
            "het over de kwaliteit van onze dienstverlening gaat, dan kunt u wel een klacht "
            "indienen.",
            "La politique est décidée par le ministre ou le secrétaire d'État, pas par notre "
            "service. Vous pouvez faire part de votre avis au cabinet du ministre ou du "
            "secrétaire d'État, ou aux parlementaires qui vous représentent. Si vous estimez que "
            "votre problème concerne la qualité de nos services, vous pouvez quand même "
            "introduire une plainte.",
            "Die Politik legt der Minister oder der Staatssekretär fest, nicht unser Dienst. "
            "Ihre Meinung dazu können Sie dem Kabinett des Ministers oder des Staatssekretärs "
            "mitteilen oder den Abgeordneten, die Sie im Parlament vertreten. Wenn Sie meinen, "
            "dass es um die Qualität unserer Dienstleistung geht, können Sie trotzdem eine "
            "Beschwerde einreichen.",
            "Policy is set by the Minister or the Secretary of State, not by our service. You "
            "can share your view with the office (cabinet) of the Minister or the Secretary of "
            "State, or with the members of parliament who represent you. If you think your "
            "problem is about the quality of our service, you can still make a complaint.",
        ),
    },
    {
        "code": "regulations",
        "position": 70,
        "ground": Ground.REGULATIONS,
        "question": (
            "Gaat uw klacht over de wet of de regels zelf?",
            "Votre plainte concerne-t-elle la loi ou la réglementation elle-même ?",
            "Betrifft Ihre Beschwerde das Gesetz oder die Vorschriften selbst?",
            "Is your complaint about the law or the regulations themselves?",
        ),
        "help": (
            "Bijvoorbeeld omdat u een regel onrechtvaardig vindt, niet omdat wij u slecht "
            "hebben geholpen.",
            "Par exemple parce que vous trouvez une règle injuste, et non parce que nous vous "
            "avons mal aidé.",
            "Zum Beispiel, weil Sie eine Regel ungerecht finden, und nicht, weil wir Ihnen "
            "schlecht geholfen haben.",
            "For example, because you find a rule unfair, not because we helped you badly.",
        ),
        "advice": (
            "Wij moeten de wetten en regels toepassen zoals ze zijn; alleen het parlement en de "
            "regering kunnen ze veranderen. U kunt uw mening laten weten aan de parlementsleden "
            "die u vertegenwoordigen of aan het kabinet van de bevoegde minister. Vindt u dat "
            "het over de kwaliteit van onze dienstverlening gaat, dan kunt u wel een klacht "
            "indienen.",
            "Nous devons appliquer les lois et les règlements tels qu'ils sont ; seuls le "
            "Parlement et le gouvernement peuvent les modifier. Vous pouvez faire part de votre "
            "avis aux parlementaires qui vous représentent ou au cabinet du ministre compétent. "
            "Si vous estimez que votre problème concerne la qualité de nos services, vous "
            "pouvez quand même introduire une plainte.",
            "Wir müssen die Gesetze und Vorschriften so anwenden, wie sie sind; ändern können "
            "sie nur das Parlament und die Regierung. Ihre Meinung dazu können Sie den "
            "Abgeordneten, die Sie im Parlament vertreten, oder dem Kabinett des zuständigen "
            "Ministers mitteilen. Wenn Sie meinen, dass es um die Qualität unserer "
            "Dienstleistung geht, können Sie trotzdem eine Beschwerde einreichen.",
            "We have to apply the laws and regulations as they are; only Parliament and the "
            "government can change them. You can share your view with the members of "
            "parliament who represent you or with the office of the minister responsible. If "
            "you think your problem is about the quality of our service, you can still make a "
            "complaint.",
        ),
    },
]

COMPETENT_BODIES: list[Row] = [
    {
        "name": (
            "OCMW/CPAS van uw gemeente",
            "CPAS de votre commune",
            "ÖSHZ Ihrer Gemeinde",
            "Public social welfare centre (OCMW/CPAS) of your municipality",
        ),
        "website": "https://www.vvsg.be",
    },
    {
        "name": (
            "Federale Pensioendienst",
            "Service fédéral des Pensions",
            "Föderaler Pensionsdienst",
            "Federal Pensions Service",
        ),
        "website": "https://www.sfpd.fgov.be",
    },
    {
        "name": (
            "Rijksdienst voor Sociale Zekerheid",
            "Office national de sécurité sociale",
            "Landesamt für soziale Sicherheit",
            "National Social Security Office",
        ),
        "website": "https://www.rsz.fgov.be",
    },
]

UNITS: list[Row] = [
    {
        "code": "front-office",
        "name": (
            "Frontoffice en onthaal",
            "Front office et accueil",
            "Frontoffice und Empfang",
            "Front office and reception",
        ),
    },
    {
        "code": "social-integration",
        "name": (
            "Recht op maatschappelijke integratie",
            "Droit à l'intégration sociale",
            "Recht auf soziale Eingliederung",
            "Right to social integration",
        ),
    },
    {"code": "inspection", "name": ("Inspectie", "Inspection", "Inspektion", "Inspection")},
]

# The norms of good administration as the Federal Ombudsman names them (E8).
NORMS: list[Row] = [
    {
        "code": "reasonable-time",
        "position": 10,
        "label": (
            "Redelijke behandeltermijn",
            "Délai raisonnable",
            "Angemessene Frist",
            "Reasonable handling time",
        ),
    },
    {
        "code": "correct-treatment",
        "position": 20,
        "label": (
            "Correcte bejegening",
            "Traitement correct",
            "Korrekte Behandlung",
            "Correct treatment",
        ),
    },
    {
        "code": "accessibility",
        "position": 30,
        "label": ("Bereikbaarheid", "Accessibilité", "Erreichbarkeit", "Accessibility"),
    },
    {
        "code": "adequate-information",
        "position": 40,
        "label": (
            "Adequate informatieverstrekking",
            "Information adéquate",
            "Angemessene Information",
            "Adequate information",
        ),
    },
    {
        "code": "careful-correspondence",
        "position": 50,
        "label": (
            "Zorgvuldige correspondentie",
            "Correspondance soignée",
            "Sorgfältige Korrespondenz",
            "Careful correspondence",
        ),
    },
    {
        "code": "active-service",
        "position": 60,
        "label": (
            "Actieve dienstverlening",
            "Service actif",
            "Aktive Dienstleistung",
            "Active service",
        ),
    },
    {
        "code": "administrative-accuracy",
        "position": 70,
        "label": (
            "Administratieve nauwkeurigheid",
            "Précision administrative",
            "Administrative Genauigkeit",
            "Administrative accuracy",
        ),
    },
]


def _columns(row: Row) -> Row:
    """Spreads each translated text (a tuple) over its ``<field>_<language>`` columns."""
    columns: Row = {}
    for field, value in row.items():
        if isinstance(value, tuple):
            columns.update(
                (f"{field}_{code}", text) for code, text in zip(LANGUAGE_CODES, value, strict=True)
            )
        else:
            columns[field] = value
    return columns


def _put(manager: models.Manager[models.Model], keys: tuple[str, ...], rows: Iterable[Row]) -> None:
    for row in rows:
        values = _columns(row)
        lookup: dict[str, Any] = {key: values.pop(key) for key in keys}
        manager.update_or_create(defaults=values, **lookup)


@transaction.atomic
def load_demo_configuration() -> None:
    """Fills the configuration with POD Maatschappelijke Integratie's values."""
    _put(Organisation.objects, ("pk",), [ORGANISATION])
    _put(Category.objects, ("code",), CATEGORIES)
    _put(DeadlinePolicy.objects, ("kind",), DEADLINES)
    _put(RecurringClosingDay.objects, ("month", "day"), RECURRING_CLOSING_DAYS)
    _put(ClosingDay.objects, ("date",), CLOSING_DAYS)
    _put(TriageQuestion.objects, ("code",), TRIAGE_QUESTIONS)
    _put(CompetentBody.objects, ("name_nl",), COMPETENT_BODIES)
    _put(Unit.objects, ("code",), UNITS)
    _put(Norm.objects, ("code",), NORMS)
