"""The insured registry and monthly contributions in the records table.

One partition per person (`PERSON#<national code>`): the profile at sort key `PROFILE`, each contribution at
`C#<yyyymm>#<workshop code>`. The whole career comes back from a single Query (a 35-year, 3-workshop history
is about 1,300 items of ~150 bytes, far below the 1 MB a Query page holds). Each correction of a month (an accepted
objection, a corrected list) leaves its record of change at `AUDIT#<at>#<yyyymm>#<workshop code>`, which sorts
before `C#` and so stays out of the career's read."""
from __future__ import annotations

from dataclasses import asdict

from chalicelib.domain.model.accounts import InsuredProfile
from chalicelib.domain.model.employer_lists import RegistryBatch, WorkshopMonth
from chalicelib.domain.model.objections import RecordChange
from chalicelib.domain.ports import Registry
from chalicelib.domain.service_days import Contribution
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item, values

BATCH = 25  # BatchWriteItem's limit
KEYS_PER_READ = 100  # BatchGetItem's limit


class ProfileItem:
    @staticmethod
    def key(national_code: str) -> dict:
        return key_of(pk=f"PERSON#{national_code}", sk="PROFILE")

    @staticmethod
    def to_item(p: InsuredProfile) -> dict:
        return {"pk": f"PERSON#{p.national_code}", "sk": "PROFILE", **asdict(p)}

    @staticmethod
    def from_item(item: dict) -> InsuredProfile:
        fields = InsuredProfile.__dataclass_fields__
        return InsuredProfile(**{k: v for k, v in item.items() if k in fields})


class ContributionItem:
    PREFIX = "C#"

    @staticmethod
    def to_item(national_code: str, c: Contribution) -> dict:
        return {"pk": f"PERSON#{national_code}", "sk": f"C#{c.year:04d}{c.month:02d}#{c.workshop_code}",
                "year": c.year, "month": c.month, "workshop_code": c.workshop_code,
                "workshop_name": c.workshop_name, "days": c.days, "wage": c.wage,
                "insurable_wage": c.insurable_wage, "job": c.job, "source": c.source or None}

    @staticmethod
    def key(national_code: str, year: int, month: int, workshop_code: str) -> dict:
        return key_of(pk=f"PERSON#{national_code}", sk=f"C#{year:04d}{month:02d}#{workshop_code}")

    @staticmethod
    def from_item(item: dict) -> Contribution:
        return Contribution(year=item["year"], month=item["month"], workshop_code=item["workshop_code"],
                            workshop_name=item.get("workshop_name", ""), days=item["days"],
                            wage=item.get("wage", 0), insurable_wage=item.get("insurable_wage", 0),
                            job=item.get("job", ""), source=item.get("source", ""))


class RecordChangeItem:
    PREFIX = "AUDIT#"

    @staticmethod
    def to_item(c: RecordChange) -> dict:
        return {"pk": f"PERSON#{c.national_code}", "sk": f"AUDIT#{c.at}#{c.year:04d}{c.month:02d}#{c.workshop_code}",
                "year": c.year, "month": c.month, "workshop_code": c.workshop_code, "before": c.before,
                "after": c.after, "by": c.by, "at": c.at, "why": c.why, "source": c.source}

    @staticmethod
    def from_item(item: dict) -> RecordChange:
        return RecordChange(item["pk"].removeprefix("PERSON#"), int(item["year"]), int(item["month"]),
                            item["workshop_code"], item.get("before"), item.get("after"), item["by"], item["at"],
                            item["why"], item["source"])


class DynamoRegistry(Registry):
    def __init__(self, table: str):
        self.table = table

    def profile(self, national_code: str) -> InsuredProfile | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=ProfileItem.key(national_code))
        item = from_item(got.get("Item"))
        return ProfileItem.from_item(item) if item else None

    def career(self, national_code: str) -> tuple[InsuredProfile | None, list[Contribution]]:
        profile, contributions = None, []
        # From "C#" on: the contributions and the profile ("PROFILE"), not the records of change ("AUDIT#...").
        kwargs = {"TableName": self.table, "KeyConditionExpression": "pk = :pk AND sk >= :c",
                  "ExpressionAttributeValues": values(pk=f"PERSON#{national_code}", c="C#")}
        while True:
            page = client("dynamodb").query(**kwargs)
            for raw in page["Items"]:
                item = from_item(raw)
                if item["sk"] == "PROFILE":
                    profile = ProfileItem.from_item(item)
                elif item["sk"].startswith(ContributionItem.PREFIX):
                    contributions.append(ContributionItem.from_item(item))
            if "LastEvaluatedKey" not in page:
                return profile, contributions
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def add_profile(self, profile: InsuredProfile) -> None:
        client("dynamodb").put_item(TableName=self.table, Item=to_item(ProfileItem.to_item(profile)))

    def add_contributions(self, national_code: str, contributions: list[Contribution]) -> None:
        # One BatchWriteItem may not name an item twice: of a month and workshop given twice, the later row wins.
        latest = {(c.year, c.month, c.workshop_code): c for c in contributions}
        writes = [{"PutRequest": {"Item": to_item(ContributionItem.to_item(national_code, c))}}
                  for c in latest.values()]
        self._write(writes)

    def _write(self, writes: list[dict]) -> None:
        dynamodb = client("dynamodb")
        for start in range(0, len(writes), BATCH):
            pending = {self.table: writes[start:start + BATCH]}
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}

    def month_of(self, people: list[str], month: WorkshopMonth, profiles_of: list[str] | None = None
                 ) -> dict[str, tuple[InsuredProfile | None, Contribution | None]]:
        wanted = set(people if profiles_of is None else profiles_of)
        keys = []
        for code in dict.fromkeys(people):
            keys.append(ContributionItem.key(code, month.year, month.month, month.workshop_code))
            if code in wanted:
                keys.append(ProfileItem.key(code))
        found = {code: [None, None] for code in people}
        dynamodb = client("dynamodb")
        for start in range(0, len(keys), KEYS_PER_READ):
            pending = {self.table: {"Keys": keys[start:start + KEYS_PER_READ]}}
            while pending:
                answer = dynamodb.batch_get_item(RequestItems=pending)
                for raw in answer["Responses"].get(self.table, []):
                    item = from_item(raw)
                    code = item["pk"].removeprefix("PERSON#")
                    if item["sk"] == "PROFILE":
                        found[code][0] = ProfileItem.from_item(item)
                    else:
                        found[code][1] = ContributionItem.from_item(item)
                pending = answer.get("UnprocessedKeys") or {}
        return {code: (profile, row) for code, (profile, row) in found.items()}

    def write_batch(self, batch: RegistryBatch) -> None:
        # The records of change first: a retry that finds a row already written cannot tell what it was.
        self._write([{"PutRequest": {"Item": to_item(RecordChangeItem.to_item(c))}} for c in batch.changes])
        rows = {(code, c.year, c.month, c.workshop_code): to_item(ContributionItem.to_item(code, c))
                for code, c in batch.contributions}
        gone = {(code, m.year, m.month, m.workshop_code) for code, m in batch.removals} - rows.keys()
        profiles = {p.national_code: to_item(ProfileItem.to_item(p)) for p in batch.profiles}
        self._write([{"PutRequest": {"Item": item}} for item in rows.values()]
                    + [{"DeleteRequest": {"Key": ContributionItem.key(*k)}} for k in sorted(gone)]
                    + [{"PutRequest": {"Item": item}} for item in profiles.values()])

    def changes(self, national_code: str) -> list[RecordChange]:
        kwargs = {"TableName": self.table, "KeyConditionExpression": "pk = :pk AND begins_with(sk, :audit)",
                  "ExpressionAttributeValues": values(pk=f"PERSON#{national_code}", audit=RecordChangeItem.PREFIX)}
        out = []
        while True:
            page = client("dynamodb").query(**kwargs)
            out += [RecordChangeItem.from_item(from_item(i)) for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return out
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
