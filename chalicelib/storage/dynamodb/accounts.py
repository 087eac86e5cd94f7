"""Accounts in the users table: `PERSON#<national code>` (an insured person), `STAFF#<username>`, and
`SESSION#<id>` (one login, deleted at logout and removed by TTL once its token has expired)."""
from __future__ import annotations

from chalicelib.domain.model.accounts import AccountStatus, Person, Role, Session, StaffMember
from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.ports import Accounts, Sessions
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item, values
from chalicelib.storage.dynamodb.activity import ActivityItem
from chalicelib.storage.dynamodb.transact import ConditionFailed, conditional_update, transact


class PersonItem:
    @staticmethod
    def key(national_code: str) -> dict:
        return key_of(pk=f"PERSON#{national_code}")

    @staticmethod
    def to_item(p: Person) -> dict:
        return {"pk": f"PERSON#{p.national_code}", "national_code": p.national_code, "mobile": p.mobile,
                "birth_date": p.birth_date, "password_hash": p.password_hash, "status": p.status.value,
                "email": p.email, "registered_at": p.registered_at, "activated_at": p.activated_at,
                "otp_hash": p.otp_hash, "otp_expires_at": p.otp_expires_at,
                "otp_failures": p.otp_failures if p.otp_hash else None, "activated_by": p.activated_by,
                "password_set_at": p.password_set_at or None, "reset_otp_hash": p.reset_otp_hash,
                "reset_expires_at": p.reset_expires_at, "reset_failures": p.reset_failures or None,
                "reset_by": p.reset_by}

    @staticmethod
    def from_item(item: dict) -> Person:
        return Person(national_code=item["national_code"], mobile=item.get("mobile", ""),
                      birth_date=item.get("birth_date", ""), password_hash=item.get("password_hash", ""),
                      status=AccountStatus(item["status"]), email=item.get("email"),
                      registered_at=item.get("registered_at"), activated_at=item.get("activated_at"),
                      otp_hash=item.get("otp_hash"), otp_expires_at=item.get("otp_expires_at"),
                      otp_failures=item.get("otp_failures", 0), activated_by=item.get("activated_by"),
                      password_set_at=item.get("password_set_at", 0), reset_otp_hash=item.get("reset_otp_hash"),
                      reset_expires_at=item.get("reset_expires_at"), reset_failures=item.get("reset_failures", 0),
                      reset_by=item.get("reset_by"))


class SessionCutItem:
    """When the subject's password was last reset: every session opened before it has ended."""

    @staticmethod
    def key(subject: str) -> dict:
        return key_of(pk=f"SESSIONCUT#{subject}")


class StaffItem:
    @staticmethod
    def key(username: str) -> dict:
        return key_of(pk=f"STAFF#{username}")

    @staticmethod
    def to_item(s: StaffMember) -> dict:
        return {"pk": f"STAFF#{s.username}", "username": s.username, "password_hash": s.password_hash,
                "display_name": s.display_name, "role": Role.STAFF.value}

    @staticmethod
    def from_item(item: dict) -> StaffMember:
        return StaffMember(item["username"], item["password_hash"], item.get("display_name", ""))


class SessionItem:
    @staticmethod
    def key(session_id: str) -> dict:
        return key_of(pk=f"SESSION#{session_id}")

    @staticmethod
    def to_item(s: Session) -> dict:
        return {"pk": f"SESSION#{s.session_id}", "subject": s.subject, "role": s.role.value,
                "created_at": s.created_at, "expires_at_epoch": s.expires_at}

    @staticmethod
    def from_item(item: dict) -> Session:
        return Session(item["pk"].split("#", 1)[1], item["subject"], Role(item["role"]), item.get("created_at", 0),
                       item.get("expires_at_epoch", 0))


class DynamoAccounts(Accounts):
    def __init__(self, table: str, activity_table: str = ""):
        self.table = table
        self.activity_table = activity_table

    def person(self, national_code: str) -> Person | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=PersonItem.key(national_code), ConsistentRead=True)
        item = from_item(got.get("Item"))
        return PersonItem.from_item(item) if item else None

    def register_pending(self, person: Person, now: int, replacing: str | None = None) -> bool:
        # An active account is never overwritten; a pending one only once its code has expired, so a person who
        # lost the code can register again but nobody can replace a registration whose code is on its way.
        dynamodb = client("dynamodb")
        try:
            dynamodb.put_item(TableName=self.table, Item=to_item(PersonItem.to_item(person)),
                              ConditionExpression=("attribute_not_exists(pk) OR (#s = :pending AND "
                                                   "(otp_expires_at <= :now OR otp_hash = :replacing))"),
                              ExpressionAttributeNames={"#s": "status"},
                              ExpressionAttributeValues=values(pending=AccountStatus.PENDING_ACTIVATION.value, now=now,
                                                               replacing=replacing or "-"))
            return True
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False

    def add_active(self, person: Person) -> None:
        client("dynamodb").put_item(TableName=self.table, Item=to_item(PersonItem.to_item(person)))

    def activate(self, national_code: str, otp_hash: str, at: int, entry: ActivityEntry | None = None) -> bool:
        update = {
            "TableName": self.table, "Key": PersonItem.key(national_code),
            "UpdateExpression": ("SET #s = :active, activated_at = :now, activated_by = :otp "
                                 "REMOVE otp_hash, otp_expires_at, otp_failures"),
            "ConditionExpression": "#s = :pending AND otp_hash = :otp AND otp_expires_at > :now",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": values(active=AccountStatus.ACTIVE.value,
                                                pending=AccountStatus.PENDING_ACTIVATION.value, otp=otp_hash, now=at),
        }
        if entry is None:
            return conditional_update(**update) is not None
        try:
            transact([{"Update": update}, ActivityItem.put(self.activity_table, entry)])
            return True
        except ConditionFailed:
            return False

    def count_otp_failure(self, national_code: str) -> int:
        got = conditional_update(TableName=self.table, Key=PersonItem.key(national_code),
                                 UpdateExpression="ADD otp_failures :one", ConditionExpression="attribute_exists(pk)",
                                 ExpressionAttributeValues=values(one=1), ReturnValues="UPDATED_NEW")
        return from_item(got)["otp_failures"] if got else 0

    def start_reset(self, national_code: str, otp_hash: str, expires_at: int) -> bool:
        return conditional_update(
            TableName=self.table, Key=PersonItem.key(national_code),
            UpdateExpression="SET reset_otp_hash = :otp, reset_expires_at = :exp, reset_failures = :zero",
            ConditionExpression="#s = :active", ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=values(otp=otp_hash, exp=expires_at, zero=0,
                                             active=AccountStatus.ACTIVE.value)) is not None

    def count_reset_failure(self, national_code: str) -> int:
        got = conditional_update(TableName=self.table, Key=PersonItem.key(national_code),
                                 UpdateExpression="ADD reset_failures :one",
                                 ConditionExpression="attribute_exists(reset_otp_hash)",
                                 ExpressionAttributeValues=values(one=1), ReturnValues="UPDATED_NEW")
        return from_item(got)["reset_failures"] if got else 0

    def reset_password(self, national_code: str, otp_hash: str, password_hash: str, at: float,
                       entry: ActivityEntry) -> bool:
        try:
            transact([
                {"Update": {"TableName": self.table, "Key": PersonItem.key(national_code),
                            "UpdateExpression": ("SET password_hash = :pw, password_set_at = :at, reset_by = :otp "
                                                 "REMOVE reset_otp_hash, reset_expires_at, reset_failures"),
                            "ConditionExpression": "#s = :active AND reset_otp_hash = :otp AND reset_expires_at > :at",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": values(pw=password_hash, at=int(at), otp=otp_hash,
                                                                active=AccountStatus.ACTIVE.value)}},
                {"Put": {"TableName": self.table,
                         "Item": to_item({"pk": f"SESSIONCUT#{national_code}", "cut_at": at})}},  # to the ms
                ActivityItem.put(self.activity_table, entry),
            ])
            return True
        except ConditionFailed:
            return False

    def change_password(self, national_code: str, old_hash: str, new_hash: str, at: float,
                        entry: ActivityEntry) -> bool:
        try:
            transact([
                {"Update": {"TableName": self.table, "Key": PersonItem.key(national_code),
                            "UpdateExpression": "SET password_hash = :new, password_set_at = :at",
                            "ConditionExpression": "#s = :active AND password_hash = :old",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": values(new=new_hash, old=old_hash, at=int(at),
                                                                active=AccountStatus.ACTIVE.value)}},
                {"Put": {"TableName": self.table,
                         "Item": to_item({"pk": f"SESSIONCUT#{national_code}", "cut_at": at})}},
                ActivityItem.put(self.activity_table, entry),
            ])
            return True
        except ConditionFailed:
            return False

    def staff_member(self, username: str) -> StaffMember | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=StaffItem.key(username), ConsistentRead=True)
        item = from_item(got.get("Item"))
        return StaffItem.from_item(item) if item else None

    def add_staff(self, staff: StaffMember) -> None:
        client("dynamodb").put_item(TableName=self.table, Item=to_item(StaffItem.to_item(staff)))


class DynamoSessions(Sessions):
    def __init__(self, table: str, activity_table: str = ""):
        self.table = table
        self.activity_table = activity_table

    def open(self, session: Session, entry: ActivityEntry | None = None) -> None:
        put = {"TableName": self.table, "Item": to_item(SessionItem.to_item(session)),
               "ConditionExpression": "attribute_not_exists(pk)"}
        if entry is None:
            client("dynamodb").put_item(**put)
        else:
            transact([{"Put": put}, ActivityItem.put(self.activity_table, entry)])

    def get(self, session_id: str, subject: str) -> Session | None:
        session_pk, cut_pk = SessionItem.key(session_id)["pk"]["S"], SessionCutItem.key(subject)["pk"]["S"]
        # One round trip for both; eventually consistent like the session read always was (a second at most).
        request = {self.table: {"Keys": [{"pk": {"S": session_pk}}, {"pk": {"S": cut_pk}}]}}
        found: dict[str, dict] = {}
        dynamodb = client("dynamodb")
        while request:
            answer = dynamodb.batch_get_item(RequestItems=request)
            for item in answer["Responses"].get(self.table, []):
                plain = from_item(item)
                found[plain["pk"]] = plain
            request = answer.get("UnprocessedKeys") or {}
        if session_pk not in found:
            return None
        session = SessionItem.from_item(found[session_pk])
        cut = found.get(cut_pk)
        return None if cut and session.created_at < cut["cut_at"] else session

    def end(self, session_id: str, entry: ActivityEntry | None = None) -> None:
        delete = {"TableName": self.table, "Key": SessionItem.key(session_id)}
        if entry is None:
            client("dynamodb").delete_item(**delete)
            return
        try:
            transact([{"Delete": {**delete, "ConditionExpression": "attribute_exists(pk)"}},
                      ActivityItem.put(self.activity_table, entry)])
        except ConditionFailed:
            pass  # ended already (a retried logout): one entry
