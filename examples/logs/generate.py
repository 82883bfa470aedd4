"""Generate the example decision logs (deterministic: same seed, same bytes).

    python examples/logs/generate.py            # writes chatbot.csv and segmentation.csv here

chatbot.csv — Value Inn's chatbot, one row per conversation. A disparity is injected on
purpose: guests writing in Polish ('pl') who ask for a person reach one far less often (about
45 % against 90 %), because the bot's escalation intent was only trained in English and
German. The few Polish speakers who do get through wait less for the person (about 140 s
against 240 s), because the one Polish-speaking receptionist answers those chats at once: an
advantage on waiting time, measured among those who reached a person, beside the
disadvantage on reaching one. A handful of Ukrainian ('uk') conversations form a group too
small to publish.

../value-inn-2027/chatbot.csv — the same chatbot a year later, after the fix.

segmentation.csv — a shop's customer segments (vip, standard, discount), assigned from spend
and visits only, so the same share of every language and age band lands in each segment.
Postcode goes with language (neighbourhoods), which the proxy warning points out.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def chatbot(rows: int = 4000, seed: int = 7, fixed: bool = False) -> list[dict[str, object]]:
    """Value Inn's chatbot; ``fixed`` is a year later, after the escalation intent was
    retrained in Polish (examples/value-inn-2027/chatbot.csv): Polish speakers who ask reach a
    person as often as everyone else."""
    rng = random.Random(seed)
    languages = [("en", 0.5), ("de", 0.3), ("pl", 0.2)]
    log = []
    for index in range(rows):
        language = rng.choices(
            [name for name, _ in languages], [weight for _, weight in languages]
        )[0]
        if index % 500 == 499:
            language = "uk"  # 8 conversations in all: below the suppression floor
        age_band = rng.choices(["18-34", "35-54", "55+"], [0.35, 0.4, 0.25])[0]
        channel = rng.choice(["web", "whatsapp"])
        requested = rng.random() < 0.35
        if requested:
            reached = rng.random() < (0.45 if language == "pl" and not fixed else 0.9)
        else:
            reached = rng.random() < 0.08
        resolved = rng.random() < (0.78 if reached else 0.62)
        satisfaction = (
            ""
            if rng.random() < 0.55
            else rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 4] if resolved else [4, 3, 2, 1, 1])[0]
        )
        person_wait = 140 if language == "pl" else 240
        wait = int(rng.expovariate(1 / (person_wait if reached else 20)))
        log.append(
            {
                "conversation_id": f"C-{100000 + index}",
                "customer_email": f"guest{rng.randrange(10**6):06d}@example.org",
                "language": language,
                "age_band": age_band,
                "channel": channel,
                "requested_human": str(requested).lower(),
                "reached_human": str(reached).lower(),
                "resolved": "yes" if resolved else "no",
                "satisfaction": satisfaction,
                "wait_time": wait,
            }
        )
    return log


def segmentation(rows: int = 3000, seed: int = 11) -> list[dict[str, object]]:
    rng = random.Random(seed)
    postcodes = {"en": ["1010", "1020"], "de": ["2010", "2020"], "tr": ["3010", "3020"]}
    log = []
    for index in range(rows):
        language = rng.choices(["en", "de", "tr"], [0.5, 0.3, 0.2])[0]
        age_band = rng.choices(["18-34", "35-54", "55+"], [0.35, 0.4, 0.25])[0]
        postcode = (
            rng.choice(postcodes[language])
            if rng.random() < 0.85
            else rng.choice([code for codes in postcodes.values() for code in codes])
        )
        spend = round(rng.lognormvariate(5, 0.8), 2)
        visits = rng.randint(1, 40)
        draw = rng.random()
        segment = "vip" if draw < 0.1 else ("discount" if draw < 0.35 else "standard")
        log.append(
            {
                "customer_id": f"K-{200000 + index}",
                "language": language,
                "age_band": age_band,
                "postcode": postcode,
                "yearly_spend": spend,
                "visits": visits,
                "segment": segment,
            }
        )
    return log


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


FOLLOW_UP = HERE.parent / "value-inn-2027" / "chatbot.csv"

if __name__ == "__main__":
    write(HERE / "chatbot.csv", chatbot())
    write(HERE / "segmentation.csv", segmentation())
    write(FOLLOW_UP, chatbot(seed=2027, fixed=True))
    print(f"wrote {HERE / 'chatbot.csv'}, {HERE / 'segmentation.csv'} and {FOLLOW_UP}")
