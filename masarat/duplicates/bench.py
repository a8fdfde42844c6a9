"""How long the check of one new person against the persons in the database takes.

``python -m masarat.duplicates.bench --persons 20000 --checks 200`` fills an EMPTY database (the one
of ``DATABASE_URL``, migrated) with the synthetic population of the matching benchmark, encrypted
and indexed as the product stores it, then times the search for candidates of persons not yet
recorded (blind-index lookup, decryption of the candidates, scoring), as the case page runs it.
It refuses a database that already holds persons.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m masarat.duplicates.bench")
    parser.add_argument("--persons", type=int, default=20_000, help="persons of the synthetic population")
    parser.add_argument("--checks", type=int, default=200, help="new persons to check")
    arguments = parser.parse_args(argv)

    import django

    django.setup()
    from masarat.duplicates.services import find_candidates
    from masarat.matching.bench.datasets import synthetic
    from masarat.matching.bench.train import to_records
    from masarat.matching.records import MatchRecord
    from masarat.people.models import Person, PersonNationality
    from masarat.people.search import persons_index_refresh

    if Person.objects.exists():
        sys.exit("This database already holds persons: give an empty one (DATABASE_URL).")
    arabic = re.compile("[\u0600-\u06ff]")
    records = to_records(synthetic(arguments.persons, seed=5))
    stored, queries = records[: len(records) - arguments.checks], records[len(records) - arguments.checks:]

    def person_of(record: MatchRecord) -> Person:
        names: dict[str, str] = {}
        for part, values in (("given", record.given_names), ("family", record.family_names)):
            for value in values:
                names[f"{part}_name_{'arabic' if arabic.search(value) else 'latin'}"] = value
        return Person(sex={"m": "male", "f": "female"}.get(record.sex, "unknown"),
                      birth_precision="year" if record.birth.year else "unknown",
                      birth_year=record.birth.year, birth_month=record.birth.month, birth_day=record.birth.day,
                      phone=record.phone, **names)

    started = time.perf_counter()
    for start in range(0, len(stored), 2000):
        batch = Person.objects.bulk_create([person_of(record) for record in stored[start:start + 2000]])
        PersonNationality.objects.bulk_create(
            PersonNationality(person=person, country=record.nationality)
            for person, record in zip(batch, stored[start:start + 2000], strict=True) if record.nationality)
        persons_index_refresh(Person.objects.filter(pk__in=[p.pk for p in batch])
                              .prefetch_related("documents", "nationalities"))
    print(f"{len(stored)} persons stored and indexed in {time.perf_counter() - started:.0f} s")

    timings, found = [], 0
    for record in queries:
        person = person_of(record)
        person.save()
        person = Person.objects.prefetch_related("documents", "nationalities").get(pk=person.pk)
        begin = time.perf_counter()
        found += len(find_candidates(person)[1])
        timings.append((time.perf_counter() - begin) * 1000)
        person.delete()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{len(timings)} checks against {len(stored)} persons: median {statistics.median(timings):.0f} ms, "
          f"95th percentile {p95:.0f} ms, max {timings[-1]:.0f} ms; {found} candidates found")


if __name__ == "__main__":
    main()
