"""Project titles and descriptions in the words AMIF projects use, for the similarity check to chew on."""

from __future__ import annotations

import datetime as dt
import random

WHAT = [
    "Job coaching",
    "Dutch language classes",
    "French language classes",
    "Housing support",
    "Legal aid",
    "Psychosocial support",
    "Civic orientation",
    "Buddy programme",
    "Skills recognition",
    "Reception of unaccompanied minors",
    "Voluntary return counselling",
    "Digital skills training",
]
WHO = [
    "recognised refugees",
    "third-country nationals",
    "newcomer women",
    "young newcomers",
    "asylum seekers",
    "families with children",
    "unaccompanied minors",
    "low-skilled migrants",
]
WHERE = [
    "in Ghent",
    "in Antwerp",
    "in Brussels",
    "in Liège",
    "in Charleroi",
    "in Limburg",
    "in rural Wallonia",
]
SENTENCES = [
    "Participants follow an individual pathway with a coach who meets them every week.",
    "The project works with local employers who offer work placements and mentoring.",
    "Sessions take place in the evening so that working participants can attend.",
    "A social worker helps with housing, health insurance and school registration.",
    "Volunteers are trained to accompany newcomers to public services.",
    "Progress is measured with the common indicators of the programme.",
    "The partners meet every quarter to follow up on the participants' results.",
    "Childcare is offered during the classes so that parents can take part.",
]
LINES = {
    "staff": ["Project coordinator", "Job coaches", "Social workers", "Language teachers"],
    "travel": ["Visits to employers", "Travel of participants", "Field visits"],
    "equipment": ["Laptops for participants", "Classroom equipment"],
    "consumables": ["Course material", "Printing and stationery"],
    "subcontracting": ["External evaluation", "Translation and interpreting"],
    "other": ["Room rental", "Childcare during classes", "Communication"],
}


def title(rnd: random.Random) -> str:
    return f"{rnd.choice(WHAT)} for {rnd.choice(WHO)} {rnd.choice(WHERE)}"


def description(rnd: random.Random, sentences: int) -> str:
    return " ".join(rnd.sample(SENTENCES, sentences))


def line_description(rnd: random.Random, category: str) -> str:
    return rnd.choice(LINES[category])


def activity(rnd: random.Random, start: dt.date, end: dt.date) -> dict[str, str]:
    return {"name": rnd.choice(WHAT), "start": start.isoformat(), "end": end.isoformat(), "description": ""}
