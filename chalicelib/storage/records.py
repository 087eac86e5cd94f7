"""Insured people's registry profile and monthly contributions in the records table.

One partition per person (`PERSON#<national code>`): the profile at sort key `PROFILE`, each contribution at
`C#<yyyymm>#<workshop code>`. The whole career comes back from a single Query (a 35-year, 3-workshop history
is about 1,300 items of ~150 bytes, far below the 1 MB a Query page holds)."""
from __future__ import annotations

from chalicelib.domain.service_days import Contribution
from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import from_item, to_item, values


def contribution_sort_key(c: Contribution) -> str:
    return f"C#{c.year:04d}{c.month:02d}#{c.workshop_code}"


class RecordStore:
    def __init__(self, table: str):
        self.table = table
        self.round_trips = 0  # read by bench/ to show what one records read costs

    def read_person(self, national_code: str) -> tuple[dict | None, list[Contribution]]:
        profile, contributions = None, []
        kwargs = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": values(pk=f"PERSON#{national_code}"),
        }
        while True:
            page = client("dynamodb").query(**kwargs)
            self.round_trips += 1
            for raw in page["Items"]:
                item = from_item(raw)
                if item["sk"] == "PROFILE":
                    profile = item
                elif item["sk"].startswith("C#"):
                    contributions.append(_contribution(item))
            if "LastEvaluatedKey" not in page:
                return profile, contributions
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def get_profile(self, national_code: str) -> dict | None:
        got = client("dynamodb").get_item(
            TableName=self.table, Key={"pk": {"S": f"PERSON#{national_code}"}, "sk": {"S": "PROFILE"}}
        )
        return from_item(got.get("Item"))

    def put_profile(self, profile: dict) -> None:
        client("dynamodb").put_item(
            TableName=self.table,
            Item=to_item({"pk": f"PERSON#{profile['national_code']}", "sk": "PROFILE", **profile}),
        )

    def put_contributions(self, national_code: str, contributions: list[Contribution]) -> None:
        """Write (or replace) contributions; a month reported again by the same workshop replaces the old row."""
        requests = [
            {"PutRequest": {"Item": to_item({
                "pk": f"PERSON#{national_code}", "sk": contribution_sort_key(c),
                "year": c.year, "month": c.month, "workshop_code": c.workshop_code, "workshop_name": c.workshop_name,
                "days": c.days, "wage": c.wage, "insurable_wage": c.insurable_wage, "job": c.job,
            })}}
            for c in contributions
        ]
        dynamodb = client("dynamodb")
        for start in range(0, len(requests), 25):
            pending = {self.table: requests[start:start + 25]}
            while pending:
                answer = dynamodb.batch_write_item(RequestItems=pending)
                pending = answer.get("UnprocessedItems") or {}


def _contribution(item: dict) -> Contribution:
    return Contribution(
        year=item["year"], month=item["month"], workshop_code=item["workshop_code"],
        workshop_name=item.get("workshop_name", ""), days=item["days"], wage=item.get("wage", 0),
        insurable_wage=item.get("insurable_wage", 0), job=item.get("job", ""),
    )
