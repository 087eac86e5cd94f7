"""Registering, activating, logging in and out, and checking who is calling.

Registration is only open to people the fund already knows: the national code and birth date must match
the insured registry, the way the real portal checks identity before it sends a one-time code."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from chalicelib.domain import passwords, throttling, tokens
from chalicelib.domain.clock import Clock, iso, iso_precise
from chalicelib.domain.errors import Conflict, Forbidden, InvalidValue, Throttled, Unauthenticated
from chalicelib.domain.tokens import Principal

OTP_TTL_SECONDS = 300
MAX_OTP_FAILURES = 5


class AccountService:
    def __init__(self, users, registry, throttles, activity, sms, keys, clock: Clock, token_ttl: int):
        self.users = users
        self.registry = registry
        self.throttles = throttles
        self.activity = activity
        self.sms = sms
        self.keys = keys
        self.clock = clock
        self.token_ttl = token_ttl

    # --- registration -------------------------------------------------------------------------------
    def register(self, national_code: str, mobile: str, birth_date: str, password: str) -> dict:
        passwords.check_strength(password, national_code=national_code, mobile=mobile)
        insured = self.registry.get_profile(national_code)
        if not insured or insured.get("birth_date") != birth_date:
            # One answer for "unknown code" and "wrong birth date": no way to probe who is insured.
            raise InvalidValue("The national code and birth date do not match an insured person.",
                               code="identity_mismatch")
        existing = self.users.get_person(national_code)
        if existing and existing.get("status") == "active":
            raise Conflict("An account with this national code already exists; log in instead.",
                           code="already_registered")
        otp = f"{secrets.randbelow(10**6):06d}"
        now = self.clock.epoch()
        self.users.put_pending_person({
            "national_code": national_code,
            "mobile": mobile,
            "birth_date": birth_date,
            "password_hash": passwords.hash_password(password),
            "status": "pending_activation",
            "otp_hash": self._otp_hash(national_code, otp),
            "otp_expires_at": now + OTP_TTL_SECONDS,
            "otp_failures": 0,
            "registered_at": iso(now),
        })
        self.sms.send(mobile, f"سابقه: کد فعال‌سازی شما {otp} است. این کد تا ۵ دقیقه معتبر است.")
        return {"status": "pending_activation", "otp_expires_in": OTP_TTL_SECONDS}

    def activate(self, national_code: str, otp: str) -> dict:
        person = self.users.get_person(national_code)
        if not person or person.get("status") != "pending_activation":
            raise InvalidValue("The code is wrong or has expired.", code="invalid_otp")
        if person.get("otp_failures", 0) >= MAX_OTP_FAILURES:
            raise InvalidValue("Too many wrong codes; register again to get a new one.", code="otp_locked")
        try:
            self.users.activate(national_code, self._otp_hash(national_code, otp), self.clock.epoch())
        except InvalidValue:
            self.users.count_otp_failure(national_code)
            raise
        self._timeline(national_code, "registered", {})
        return {"status": "active"}

    def _otp_hash(self, national_code: str, otp: str) -> str:
        return hmac.new(self.keys.key("otp_key"), f"{national_code}:{otp}".encode(), hashlib.sha256).hexdigest()

    # --- login --------------------------------------------------------------------------------------
    def login(self, national_code: str, password: str, client_ip: str) -> dict:
        pair = f"{national_code}|{client_ip}"
        self._refuse_if_throttled([(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, pair),
                                   (throttling.LOGIN_PER_ACCOUNT, national_code)])
        person = self.users.get_person(national_code)
        ok = passwords.verify_password(person.get("password_hash") if person else None, password)
        if not ok:
            now = self.clock.epoch()
            self.throttles.record_failure(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, pair, now)
            self.throttles.record_failure(throttling.LOGIN_PER_ACCOUNT, national_code, now)
            if person:
                self._timeline(national_code, "login_failed", {"client_ip": client_ip})
            raise Unauthenticated("The national code or password is wrong.", code="invalid_credentials")
        if person.get("status") != "active":
            raise Forbidden("The account is not active yet: enter the code sent by SMS.", code="not_activated")
        self.throttles.clear(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, pair)
        answer = self._open_session(national_code, "insured")
        self._timeline(national_code, "login", {"client_ip": client_ip})
        return answer

    def staff_login(self, username: str, password: str, client_ip: str) -> dict:
        key = f"{username}|{client_ip}"
        self._refuse_if_throttled([(throttling.STAFF_LOGIN, key)])
        staff = self.users.get_staff(username)
        if not passwords.verify_password(staff.get("password_hash") if staff else None, password):
            self.throttles.record_failure(throttling.STAFF_LOGIN, key, self.clock.epoch())
            raise Unauthenticated("The username or password is wrong.", code="invalid_credentials")
        self.throttles.clear(throttling.STAFF_LOGIN, key)
        return self._open_session(username, "staff")

    def _refuse_if_throttled(self, checks) -> None:
        now = self.clock.epoch()
        wait = max(self.throttles.retry_after(policy, key, now) for policy, key in checks)
        if wait:
            raise Throttled("Too many failed attempts; try again later.", retry_after=wait, code="too_many_attempts")

    def _open_session(self, subject: str, role: str) -> dict:
        now = self.clock.epoch()
        principal = Principal(subject, role, tokens.new_session_id(), now + self.token_ttl)
        self.users.put_session(principal.session_id, subject, role, principal.expires_at, now)
        return {"token": tokens.issue(self.keys.key("token_key"), principal), "expires_at": iso(principal.expires_at),
                "expires_in": self.token_ttl}

    # --- every authenticated call -------------------------------------------------------------------
    def authenticate(self, token: str, role: str) -> Principal:
        now = self.clock.epoch()
        principal = tokens.verify(self.keys.key("token_key"), token, now)
        session = self.users.get_session(principal.session_id)
        # The session item outlives nothing: TTL may not have removed it yet, so its expiry is checked too.
        if not session or session.get("subject") != principal.subject or session.get("expires_at_epoch", 0) <= now:
            raise Unauthenticated("The session has ended; log in again.", code="session_ended")
        if principal.role != role:
            raise Forbidden("This account may not use this route.", code="wrong_role")
        return principal

    def logout(self, principal: Principal) -> None:
        self.users.delete_session(principal.session_id)
        if principal.role == "insured":
            self._timeline(principal.subject, "logout", {})

    def profile(self, national_code: str) -> dict:
        person = self.users.get_person(national_code) or {}
        insured = self.registry.get_profile(national_code) or {}
        return {
            "national_code": national_code,
            "first_name": insured.get("first_name", ""),
            "last_name": insured.get("last_name", ""),
            "name": f"{insured.get('first_name', '')} {insured.get('last_name', '')}".strip(),
            "father_name": insured.get("father_name", ""),
            "birth_date": person.get("birth_date") or insured.get("birth_date"),
            "insurance_no": insured.get("insurance_no", ""),
            "mobile": person.get("mobile", ""),
            "email": person.get("email"),
        }

    def _timeline(self, national_code: str, kind: str, details: dict) -> None:
        self.activity.append(national_code, kind, iso_precise(self.clock.now()), details)
