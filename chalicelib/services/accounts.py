"""Registering, activating, logging in and out, and checking who is calling.

Registration is only open to people the fund already knows: the national code and birth date must match
the insured registry, the way the real portal checks identity before it sends a one-time code."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from chalicelib.domain import passwords, throttling, tokens
from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidValue, Throttled, Unauthenticated
from chalicelib.domain.model.accounts import AccountStatus, Person, Role, Session
from chalicelib.domain.ports import Accounts, Keys, Registry, Sessions, Sms, Throttles, Timeline
from chalicelib.domain.tokens import Principal
from chalicelib.services.timeline import entry

OTP_TTL_SECONDS = 300
MAX_OTP_FAILURES = 5


class AccountService:
    def __init__(self, *, accounts: Accounts, sessions: Sessions, registry: Registry, throttles: Throttles,
                 timeline: Timeline, sms: Sms, keys: Keys, clock: Clock, token_ttl: int):
        self.accounts = accounts
        self.sessions = sessions
        self.registry = registry
        self.throttles = throttles
        self.timeline = timeline
        self.sms = sms
        self.keys = keys
        self.clock = clock
        self.token_ttl = token_ttl

    # --- registration -------------------------------------------------------------------------------
    def register(self, national_code: str, mobile: str, birth_date: str, password: str) -> dict:
        passwords.check_strength(password, national_code=national_code, mobile=mobile)
        insured = self.registry.profile(national_code)
        if not insured or insured.birth_date != birth_date:
            # One answer for "unknown code" and "wrong birth date": no way to probe who is insured.
            raise InvalidValue("The national code and birth date do not match an insured person.",
                               code="identity_mismatch")
        existing = self.accounts.person(national_code)
        if existing and existing.is_active:
            raise _already_registered()
        otp = f"{secrets.randbelow(10**6):06d}"
        now = self.clock.epoch()
        stored = self.accounts.register_pending(Person(
            national_code=national_code, mobile=mobile, birth_date=birth_date,
            password_hash=passwords.hash_password(password), status=AccountStatus.PENDING_ACTIVATION,
            otp_hash=self._otp_hash(national_code, otp), otp_expires_at=now + OTP_TTL_SECONDS, otp_failures=0,
            registered_at=iso(now)))
        if not stored:
            raise _already_registered()
        self.sms.send(mobile, f"سابقه: کد فعال‌سازی شما {otp} است. این کد تا ۵ دقیقه معتبر است.")
        return {"status": AccountStatus.PENDING_ACTIVATION.value, "otp_expires_in": OTP_TTL_SECONDS}

    def activate(self, national_code: str, otp: str) -> dict:
        person = self.accounts.person(national_code)
        if person and person.is_active and person.activated_by == self._otp_hash(national_code, otp):
            return {"status": AccountStatus.ACTIVE.value}  # a retry of the activation that worked: its answer again
        if not person or person.status is not AccountStatus.PENDING_ACTIVATION:
            raise _invalid_otp()
        if person.otp_failures >= MAX_OTP_FAILURES:
            raise InvalidValue("Too many wrong codes; register again to get a new one.", code="otp_locked")
        otp_hash = self._otp_hash(national_code, otp)
        if not self.accounts.activate(national_code, otp_hash, self.clock.epoch(),
                                      entry(self.clock, national_code, "registered")):
            again = self.accounts.person(national_code)
            if again and again.is_active and again.activated_by == otp_hash:
                return {"status": AccountStatus.ACTIVE.value}  # a retry of the activation that worked
            self.accounts.count_otp_failure(national_code)
            raise _invalid_otp()
        return {"status": AccountStatus.ACTIVE.value}

    def _otp_hash(self, national_code: str, otp: str) -> str:
        return hmac.new(self.keys.key("otp_key"), f"{national_code}:{otp}".encode(), hashlib.sha256).hexdigest()

    # --- login --------------------------------------------------------------------------------------
    def login(self, national_code: str, password: str, client_ip: str) -> dict:
        pair = f"{national_code}|{client_ip}"
        self._refuse_if_throttled([(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, pair),
                                   (throttling.LOGIN_PER_ACCOUNT, national_code)])
        person = self.accounts.person(national_code)
        if not passwords.verify_password(person.password_hash if person else None, password):
            now = self.clock.epoch()
            self.throttles.record_failure(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, pair, now)
            self.throttles.record_failure(throttling.LOGIN_PER_ACCOUNT, national_code, now)
            if person:
                self.timeline.append(entry(self.clock, national_code, "login_failed", client_ip=client_ip))
            raise Unauthenticated("The national code or password is wrong.", code="invalid_credentials")
        if not person.is_active:
            raise Forbidden("The account is not active yet: enter the code sent by SMS.", code="not_activated")
        self.throttles.clear(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, pair)
        return self._open_session(national_code, Role.INSURED, entry(self.clock, national_code, "login",
                                                                     client_ip=client_ip))

    def staff_login(self, username: str, password: str, client_ip: str) -> dict:
        key = f"{username}|{client_ip}"
        self._refuse_if_throttled([(throttling.STAFF_LOGIN, key)])
        staff = self.accounts.staff_member(username)
        if not passwords.verify_password(staff.password_hash if staff else None, password):
            self.throttles.record_failure(throttling.STAFF_LOGIN, key, self.clock.epoch())
            raise Unauthenticated("The username or password is wrong.", code="invalid_credentials")
        self.throttles.clear(throttling.STAFF_LOGIN, key)
        return self._open_session(username, Role.STAFF)

    def _refuse_if_throttled(self, checks) -> None:
        now = self.clock.epoch()
        wait = max(throttling.retry_after(policy, self.throttles.count(policy, key), now) for policy, key in checks)
        if wait:
            raise Throttled("Too many failed attempts; try again later.", retry_after=wait, code="too_many_attempts")

    def _open_session(self, subject: str, role: Role, opened=None) -> dict:
        now = self.clock.epoch()
        principal = Principal(subject, role.value, tokens.new_session_id(), now + self.token_ttl)
        self.sessions.open(Session(principal.session_id, subject, role, now, principal.expires_at), opened)
        return {"token": tokens.issue(self.keys.key("token_key"), principal), "expires_at": iso(principal.expires_at),
                "expires_in": self.token_ttl}

    # --- every authenticated call -------------------------------------------------------------------
    def authenticate(self, token: str, role: str) -> Principal:
        now = self.clock.epoch()
        principal = tokens.verify(self.keys.key("token_key"), token, now)
        session = self.sessions.get(principal.session_id)
        if not session or not session.is_open(principal.subject, now):
            raise Unauthenticated("The session has ended; log in again.", code="session_ended")
        if principal.role != role:
            raise Forbidden("This account may not use this route.", code="wrong_role")
        return principal

    def logout(self, principal: Principal) -> None:
        self.sessions.end(principal.session_id, entry(self.clock, principal.subject, "logout")
                          if principal.role == Role.INSURED.value else None)

    def profile(self, national_code: str) -> dict:
        person = self.accounts.person(national_code)
        insured = self.registry.profile(national_code)
        return {
            "national_code": national_code,
            "first_name": insured.first_name if insured else "",
            "last_name": insured.last_name if insured else "",
            "name": insured.name if insured else "",
            "father_name": insured.father_name if insured else "",
            "birth_date": (person.birth_date if person else None) or (insured.birth_date if insured else None),
            "insurance_no": insured.insurance_no if insured else "",
            "mobile": person.mobile if person else "",
            "email": person.email if person else None,
        }


def _already_registered() -> Conflict:
    return Conflict("An account with this national code already exists; log in instead.", code="already_registered")


def _invalid_otp() -> InvalidValue:
    return InvalidValue("The code is wrong or has expired.", code="invalid_otp")
