"""How big each generated dataset is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    # 0: a city bureau is the root (one city); otherwise the province bureau over this
    # many cities of Jilin.
    cities: int
    counties_per_city: int
    centres_per_county: int
    stations_per_centre: int
    # One welfare home (社会福利院) per city, doing institutional casework.
    institutions: bool
    service_users: int
    cases: int
    service_records: int
    help_requests: int
    groups_per_unit: float

    @property
    def estimated_rows(self) -> int:
        """Roughly how many rows a run writes, for the progress bar."""
        return (
            self.service_users * 2
            + self.cases * 9
            + self.service_records
            + self.help_requests * 4
            + int(self.cases * 0.05)
        )


SCALES: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        Scale(
            name="station",
            cities=0,
            counties_per_city=1,
            centres_per_county=1,
            stations_per_centre=2,
            institutions=False,
            service_users=60,
            cases=200,
            service_records=600,
            help_requests=30,
            groups_per_unit=1.5,
        ),
        Scale(
            name="city",
            cities=0,
            counties_per_city=5,
            centres_per_county=5,
            stations_per_centre=4,
            institutions=True,
            service_users=30_000,
            cases=100_000,
            service_records=300_000,
            help_requests=10_000,
            groups_per_unit=3,
        ),
        Scale(
            name="province",
            cities=9,
            counties_per_city=5,
            centres_per_county=6,
            stations_per_centre=4,
            institutions=True,
            service_users=300_000,
            cases=1_000_000,
            service_records=3_000_000,
            help_requests=100_000,
            groups_per_unit=3,
        ),
    )
}

# Every generated staff account has this password; generated databases are for testing and
# benchmarks only, never for real work.
STAFF_PASSWORD = "casework-bench"  # noqa: S105  (documented test password)
