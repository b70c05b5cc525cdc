"""The desk-verification checklist AMIS starts from when a programme has not set its own (the items
of Implementing Regulation (EU) 2015/840 Art. 3(2) and Regulation (EU) 2021/1060 Art. 74(1)(a) as
authorities word them), in the four languages."""

from __future__ import annotations

DEFAULT_ITEMS: list[tuple[str, dict[str, str]]] = [
    (
        "period",
        {
            "en": "The expenditure was incurred and paid within the eligibility period.",
            "nl": "De uitgaven zijn binnen de subsidiabiliteitsperiode gedaan en betaald.",
            "fr": "Les dépenses ont été engagées et payées pendant la période d'éligibilité.",
            "de": "Die Ausgaben wurden im Förderzeitraum getätigt und bezahlt.",
        },
    ),
    (
        "category",
        {
            "en": "Each line belongs to a cost category of the agreement's budget.",
            "nl": "Elke lijn hoort bij een kostencategorie van het budget van de overeenkomst.",
            "fr": "Chaque ligne relève d'une catégorie de coûts du budget de la convention.",
            "de": "Jede Zeile gehört zu einer Kostenkategorie des Budgets der Vereinbarung.",
        },
    ),
    (
        "documents",
        {
            "en": "Supporting documents are present for every line (invoice and proof of payment).",
            "nl": "Voor elke lijn zijn bewijsstukken aanwezig (factuur en betalingsbewijs).",
            "fr": "Des pièces justificatives existent pour chaque ligne (facture et preuve de paiement).",
            "de": "Für jede Zeile liegen Belege vor (Rechnung und Zahlungsnachweis).",
        },
    ),
    (
        "procurement",
        {
            "en": "Public procurement rules were respected.",
            "nl": "De regels inzake overheidsopdrachten zijn nageleefd.",
            "fr": "Les règles des marchés publics ont été respectées.",
            "de": "Die Vergabevorschriften wurden eingehalten.",
        },
    ),
    (
        "cofinancing",
        {
            "en": "The co-financing sources are those of the agreement and are confirmed.",
            "nl": "De cofinancieringsbronnen zijn die van de overeenkomst en zijn bevestigd.",
            "fr": "Les sources de cofinancement sont celles de la convention et sont confirmées.",
            "de": "Die Kofinanzierungsquellen entsprechen der Vereinbarung und sind bestätigt.",
        },
    ),
    (
        "double_funding",
        {
            "en": "No expenditure is funded twice (other funds, other projects, the same invoice twice).",
            "nl": "Geen uitgave wordt dubbel gefinancierd (andere fondsen of projecten, dezelfde factuur).",
            "fr": "Aucune dépense n'est financée deux fois (autres fonds, autres projets, même facture).",
            "de": "Keine Ausgabe wird doppelt finanziert (andere Fonds, andere Projekte, dieselbe Rechnung).",
        },
    ),
    (
        "indicators",
        {
            "en": "The indicator values reported are evidenced.",
            "nl": "De gerapporteerde indicatorwaarden zijn gestaafd.",
            "fr": "Les valeurs des indicateurs déclarées sont étayées.",
            "de": "Die gemeldeten Indikatorwerte sind belegt.",
        },
    ),
]
ANSWERS = ("yes", "no", "na")
