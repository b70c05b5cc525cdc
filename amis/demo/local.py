"""The beneficiaries of the 2021-2027 programme's local integration call (`amis.demo.history`,
`local_story`): fifteen public social welfare centres, cities and non-profit organisations across
Belgium, running twenty-two one-year projects (the public bodies two each), so that the accounting
year the audit authority audits has some ninety payment claims (issue 19: a population large enough
for a sample to be a sample).

Entered by the responsible authority (approved at once) through `organisations.organisation_create`,
each with one person holding the beneficiary role (`accounts.user_create`, `role_assign`), who fills
in, imports and submits the reports. Enterprise numbers and IBANs are fictitious but pass the real
checks. Safe to run again: what exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from schwifty import IBAN

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.accounts.roles import Role
from amis.demo.expenditure import enterprise_number
from amis.organisations import services as organisations
from amis.organisations.models import Organisation


@dataclass(frozen=True)
class Local:
    short: str
    name: str
    kind: str
    street: str
    postcode: str
    city: str
    person: str
    # its projects' titles (in the organisation's language)
    titles: tuple[str, ...]

    @property
    def email(self) -> str:
        return "projecten@" + self.short.lower().replace(" ", "-").replace("'", "") + ".example"


LOCALS = (
    Local("OCMW Gent", "OCMW Gent", "local_public_body", "Onderbergen 86", "9000", "Gent", "Lies Maes",
          ("Onthaaltraject naar werk", "Brugfiguren in de basisschool")),
    Local("CPAS Liège", "CPAS de Liège", "local_public_body", "Place Saint-Jacques 13", "4000", "Liège",
          "Julien Renard", ("Français et emploi", "Parents et école")),
    Local("CPAS Charleroi", "CPAS de Charleroi", "local_public_body", "Boulevard Joseph II 13", "6000",
          "Charleroi", "Nadia Belkacem", ("Parcours vers l'emploi", "Logement et voisinage")),
    Local("OCMW Leuven", "OCMW Leuven", "local_public_body", "Andreas Vesaliusstraat 47", "3000", "Leuven",
          "Bram Peeters", ("Werkplekleren voor nieuwkomers", "Buddy's voor jongeren")),
    Local("Stad Genk", "Stad Genk", "local_public_body", "Stadsplein 1", "3600", "Genk", "Ayse Yilmaz",
          ("Oriëntatie op de arbeidsmarkt", "Ontmoeting in de wijk")),
    Local("CPAS Namur", "CPAS de Namur", "local_public_body", "Rue de Dave 165", "5100", "Namur",
          "Claire Dubois", ("Alphabétisation et citoyenneté", "Accompagnement santé")),
    Local("Nieuwkomers Antwerpen", "Atelier Nieuwkomers Antwerpen vzw", "ngo", "Lange Lozanastraat 14",
          "2018", "Antwerpen", "Karim El Idrissi", ("Taal en werk",)),
    Local("Intégration Bruxelles", "Maison de l'intégration Bruxelles asbl", "ngo", "Rue du Midi 36",
          "1000", "Bruxelles", "Sarah Van den Broeck", ("Premiers pas à Bruxelles",)),
    Local("Taalpunt Kortrijk", "Taalpunt Kortrijk vzw", "ngo", "Budastraat 27", "8500", "Kortrijk",
          "Ward Vandamme", ("Oefenkansen Nederlands",)),
    Local("Accueil Verviers", "Accueil Migrants Verviers asbl", "ngo", "Rue de la Montagne 22", "4800",
          "Verviers", "Amina Diallo", ("Accueil et orientation",)),
    Local("Brugfiguren Oostende", "Brugfiguren Oostende vzw", "ngo", "Vindictivelaan 1", "8400",
          "Oostende", "Evi Declercq", ("School en gezin",)),
    Local("Intégration Arlon", "Intégration Luxembourg asbl", "ngo", "Place Léopold 1", "6700", "Arlon",
          "Marc Lejeune", ("Français langue étrangère",)),
    Local("Werkwinkel Hasselt", "Werkwinkel Nieuwkomers Hasselt vzw", "ngo", "Maastrichterstraat 19",
          "3500", "Hasselt", "Yusuf Demir", ("Competenties in beeld",)),
    Local("Accueil Tournai", "Centre d'accueil Tournai asbl", "ngo", "Rue Royale 65", "7500", "Tournai",
          "Sophie Lambert", ("Citoyenneté active",)),
    Local("OCMW Mechelen", "OCMW Mechelen", "local_public_body", "Lange Schipstraat 27", "2800",
          "Mechelen", "Joris Wouters", ("Samen aan het werk", "Thuis in de buurt")),
)  # fmt: skip


def load_locals() -> list[Local]:
    """The organisations and their beneficiaries, each only if missing."""
    for n, local in enumerate(LOCALS):
        organisation = Organisation.objects.filter(short_name=local.short).first()
        if organisation is None:
            iban = IBAN.generate("BE", bank_code="068", account_code=f"{9200000 + 37 * n:07d}")
            organisation = organisations.organisation_create(
                actor=None,
                data={
                    "kind": local.kind,
                    "name": local.name,
                    "short_name": local.short,
                    "enterprise_number": enterprise_number(2870000 + 1009 * n),
                    "street": local.street,
                    "postcode": local.postcode,
                    "city": local.city,
                    "email": local.email,
                    "iban": str(iban),
                    "bic": "GKCCBEBB",
                },
            )
        if not User.objects.filter(email=local.email).exists():
            first, last = local.person.split(" ", 1)
            user = accounts.user_create(
                email=local.email,
                password=f"demo-{local.short.lower().replace(' ', '-')}-2014",
                first_name=first,
                last_name=last,
                actor_label="amis demo",
            )
            accounts.role_assign(
                user=user, role=Role.BENEFICIARY, organisation=organisation, actor_label="amis demo"
            )
    return list(LOCALS)
