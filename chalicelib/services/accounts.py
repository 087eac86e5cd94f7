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
from chalicelib.domain.ports import Accounts, Keys, MobileOwnership, Registry, Sessions, Sms, Throttles, Timeline
from chalicelib.domain.tokens import Principal
from chalicelib.services.timeline import entry

OTP_TTL_SECONDS = 300
MAX_OTP_FAILURES = 5
DEVICE_ROLE = "device"  # a token that says "this browser logged in to this account before", never a bearer
DEVICE_TTL_SECONDS = 180 * 86400


class AccountService:
    def __init__(self, *, accounts: Accounts, sessions: Sessions, registry: Registry, ownership: MobileOwnership,
                 throttles: Throttles, timeline: Timeline, sms: Sms, keys: Keys, clock: Clock, token_ttl: int):
        self.accounts = accounts
        self.sessions = sessions
        self.registry = registry
        self.ownership = ownership
        self.throttles = throttles
        self.timeline = timeline
        self.sms = sms
        self.keys = keys
        self.clock = clock
        self.token_ttl = token_ttl

    # --- registration -------------------------------------------------------------------------------
    def register(self, national_code: str, mobile: str, birth_date: str, password: str, client_ip: str) -> dict:
        passwords.check_strength(password, national_code=national_code, mobile=mobile)
        self._take(throttling.CODES_PER_CLIENT, client_ip)
        insured = self.registry.profile(national_code)
        if not insured or insured.birth_date != birth_date:
            # One answer for "unknown code" and "wrong birth date": no way to probe who is insured.
            raise InvalidValue("The national code and birth date do not match an insured person.",
                               code="identity_mismatch")
        now = self.clock.epoch()
        existing = self.accounts.person(national_code)
        if existing and existing.is_active:
            raise _already_registered()
        # The fund, not the caller, decides where the code goes: only to a line in the person's own name.
        if not self._owns(national_code, mobile, insured.mobile):
            raise InvalidValue("This mobile number is not registered in your name; use a line in your own name.",
                               code="mobile_not_owned")
        self._take(throttling.HASHES_PER_CLIENT, client_ip)
        replacing = None
        if existing and (existing.otp_expires_at or 0) > now:
            # Its code still works. Only the one who registered it (their line, their password: a retry, or a code
            # that never arrived) gets a new code; anyone else waits for it to expire.
            if existing.mobile != mobile or not passwords.verify_password(existing.password_hash, password):
                raise _registration_pending(existing.otp_expires_at - now)
            replacing = existing.otp_hash
        self._spend_sms(national_code, mobile)
        otp = f"{secrets.randbelow(10**6):06d}"
        otp_hash = self._otp_hash(national_code, otp)
        stored = self.accounts.register_pending(Person(
            national_code=national_code, mobile=mobile, birth_date=birth_date,
            password_hash=passwords.hash_password(password), status=AccountStatus.PENDING_ACTIVATION,
            otp_hash=otp_hash, otp_expires_at=now + OTP_TTL_SECONDS, otp_failures=0,
            registered_at=iso(now)), now, replacing)
        if not stored:
            again = self.accounts.person(national_code)
            if again and again.is_active:
                raise _already_registered()
            if not again or again.otp_hash != otp_hash:  # else it was this call's own write, its answer lost
                raise _registration_pending(OTP_TTL_SECONDS)
        self.sms.send(mobile, f"سابقه: کد فعال‌سازی شما {otp} است. این کد تا ۵ دقیقه معتبر است. اگر شما ثبت‌نام "
                              f"نکرده‌اید، آن را به کسی ندهید.")
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

    # --- password reset by SMS ----------------------------------------------------------------------
    def start_password_reset(self, national_code: str, mobile: str, client_ip: str) -> dict:
        """The same answer whatever the inputs: nobody learns from it whose mobile is whose or who has an account."""
        self._take(throttling.CODES_PER_CLIENT, client_ip)
        answer = {"status": "code_sent_if_matched", "otp_expires_in": OTP_TTL_SECONDS}
        person = self.accounts.person(national_code)
        if not person or not person.is_active:
            return answer
        insured = self.registry.profile(national_code)
        if mobile != person.mobile or not self._owns(national_code, mobile, insured.mobile if insured else ""):
            return answer
        if self._sms_quota_spent(national_code, mobile):
            return answer  # refusing here would tell a stranger that the pair matched
        otp = f"{secrets.randbelow(10**6):06d}"
        if self.accounts.start_reset(national_code, self._otp_hash(national_code, "reset:" + otp),
                                     self.clock.epoch() + OTP_TTL_SECONDS):
            self.sms.send(mobile, f"سابقه: کد بازیابی گذرواژه شما {otp} است و تا ۵ دقیقه معتبر است. اگر شما "
                                  f"درخواست نکرده‌اید، آن را به کسی ندهید.")
        return answer

    def confirm_password_reset(self, national_code: str, otp: str, new_password: str, client_ip: str) -> dict:
        person = self.accounts.person(national_code)
        otp_hash = self._otp_hash(national_code, "reset:" + otp)
        if person and person.reset_by == otp_hash and passwords.verify_password(person.password_hash, new_password):
            return {"status": "reset"}  # a retry of the reset that worked: its answer again
        if not person or not person.is_active or not person.reset_otp_hash:
            raise _invalid_otp()
        if person.reset_failures >= MAX_OTP_FAILURES:
            raise InvalidValue("Too many wrong codes; ask for a new one.", code="otp_locked")
        passwords.check_strength(new_password, national_code=national_code, mobile=person.mobile)
        self._take(throttling.HASHES_PER_CLIENT, client_ip)
        now = round(self.clock.now(), 3)
        if not self.accounts.reset_password(national_code, otp_hash, passwords.hash_password(new_password), now,
                                            entry(self.clock, national_code, "password_reset", client_ip=client_ip)):
            self.accounts.count_reset_failure(national_code)
            raise _invalid_otp()
        # Login counters are keyed by when the password was set (_pair_key): whatever locks strangers put on the
        # account stay with the old password, and devices known before the reset are known no more.
        return {"status": "reset"}

    def change_password(self, principal: Principal, current: str, new_password: str, client_ip: str) -> dict:
        """The new password ends every other session (and devices known before); this one continues with a new
        token, which the answer carries."""
        national_code = principal.subject
        self._take(throttling.HASHES_PER_CLIENT, client_ip)
        self._take(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, _pair_key(national_code, 0, f"change:{client_ip}"))
        person = self.accounts.person(national_code)
        if not person or not passwords.verify_password(person.password_hash, current):
            raise Unauthenticated("The current password is wrong.", code="wrong_password")
        passwords.check_strength(new_password, national_code=national_code, mobile=person.mobile)
        at = round(self.clock.now(), 3)
        if not self.accounts.change_password(national_code, person.password_hash, passwords.hash_password(new_password),
                                             at, entry(self.clock, national_code, "password_changed",
                                                       client_ip=client_ip)):
            raise Conflict("The password changed meanwhile; log in again.", code="request_changed")
        self.sessions.end(principal.session_id)  # opened in the same millisecond as the cut, it would outlive it
        return {"status": "changed", **self._open_session(national_code, Role.INSURED)}

    def _owns(self, national_code: str, mobile: str, registry_mobile: str) -> bool:
        if registry_mobile:
            return registry_mobile == mobile
        return self.ownership.owns(national_code, mobile)

    def _spend_sms(self, national_code: str, mobile: str) -> None:
        spent = self._sms_quota_spent(national_code, mobile)
        if spent:
            raise spent

    def _sms_quota_spent(self, national_code: str, mobile: str) -> Throttled | None:
        now = self.clock.epoch()
        for policy, key in ((throttling.SMS_PER_PERSON, national_code), (throttling.SMS_PER_MOBILE, mobile)):
            taken, count = self.throttles.take(policy, key, now)
            if not taken:
                return Throttled("Too many codes were sent; try again later.",
                                 retry_after=throttling.retry_after(policy, count, now) or 60, code="too_many_codes")
        return None

    def _otp_hash(self, national_code: str, otp: str) -> str:
        return hmac.new(self.keys.key("otp_key"), f"{national_code}:{otp}".encode(), hashlib.sha256).hexdigest()

    # --- login --------------------------------------------------------------------------------------
    def login(self, national_code: str, password: str, client_ip: str, device_token: str | None = None) -> dict:
        now = self.clock.epoch()
        self._take(throttling.HASHES_PER_CLIENT, client_ip)
        person = self.accounts.person(national_code)
        since = person.password_set_at if person else 0
        device = self._known_device(device_token, national_code, since, now)
        # A device that logged in before is its own client, wherever it connects from, and is never held up by
        # what strangers do to the account: only its own wrong passwords lock it.
        pair = _pair_key(national_code, since, f"device:{device}" if device else client_ip)
        account = _account_key(national_code, since)
        if not device:
            self._refuse_if_throttled([(throttling.LOGIN_PER_ACCOUNT, account)])
        self._take(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, pair)
        if not passwords.verify_password(person.password_hash if person else None, password):
            if not device:
                self.throttles.record_failure(throttling.LOGIN_PER_ACCOUNT, account, now)
            if person:
                self.timeline.append(entry(self.clock, national_code, "login_failed", client_ip=client_ip))
            raise Unauthenticated("The national code or password is wrong.", code="invalid_credentials")
        if not person.is_active:
            raise Forbidden("The account is not active yet: enter the code sent by SMS.", code="not_activated")
        self.throttles.clear(throttling.LOGIN_PER_ACCOUNT_AND_CLIENT, pair)
        opened = self._open_session(national_code, Role.INSURED, entry(self.clock, national_code, "login",
                                                                       client_ip=client_ip))
        device_id = device or tokens.new_session_id()
        opened["device_token"] = tokens.issue(self.keys.key("token_key"), Principal(
            national_code, DEVICE_ROLE, f"{device_id}.{since}", now + DEVICE_TTL_SECONDS))
        return opened

    def _known_device(self, device_token: str | None, national_code: str, since: int, now: int) -> str | None:
        """The device's id when the token is one this service gave this account since its password last changed."""
        if not device_token:
            return None
        try:
            principal = tokens.verify(self.keys.key("token_key"), device_token, now)
        except Unauthenticated:
            return None
        device_id, _, issued_since = principal.session_id.partition(".")
        if principal.role != DEVICE_ROLE or principal.subject != national_code or issued_since != str(since):
            return None
        return device_id

    def _take(self, policy, key: str) -> None:
        now = self.clock.epoch()
        taken, count = self.throttles.take(policy, key, now)
        if not taken:
            raise Throttled("Too many attempts; try again later.",
                            retry_after=throttling.retry_after(policy, count, now) or 1, code="too_many_attempts")

    def staff_login(self, username: str, password: str, client_ip: str) -> dict:
        key = f"{username}|{client_ip}"
        self._take(throttling.HASHES_PER_CLIENT, client_ip)
        self._take(throttling.STAFF_LOGIN, key)
        staff = self.accounts.staff_member(username)
        if not passwords.verify_password(staff.password_hash if staff else None, password):
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
        self.sessions.open(Session(principal.session_id, subject, role, round(self.clock.now(), 3),
                                   principal.expires_at), opened)
        return {"token": tokens.issue(self.keys.key("token_key"), principal), "expires_at": iso(principal.expires_at),
                "expires_in": self.token_ttl}

    # --- every authenticated call -------------------------------------------------------------------
    def authenticate(self, token: str, role: str) -> Principal:
        now = self.clock.epoch()
        principal = tokens.verify(self.keys.key("token_key"), token, now)
        session = self.sessions.get(principal.session_id, principal.subject)
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
            "mobile_masked": _masked(person.mobile) if person else "",
            "email": person.email if person else None,
        }


def _masked(mobile: str) -> str:
    return f"{mobile[:4]}***{mobile[-4:]}" if len(mobile) >= 8 else ""


def _pair_key(national_code: str, password_set_at: int, client: str) -> str:
    # Counters of the current password only: a reset leaves the old ones behind.
    return f"{national_code}|{password_set_at}|{client}"


def _account_key(national_code: str, password_set_at: int) -> str:
    return f"{national_code}|{password_set_at}"


def _registration_pending(seconds: int) -> Conflict:
    return Conflict(f"A registration for this national code is waiting for its code; try again in "
                    f"{max(1, seconds // 60)} minute(s) if the code did not arrive.", code="registration_pending")


def _already_registered() -> Conflict:
    return Conflict("An account with this national code already exists; log in instead.", code="already_registered")


def _invalid_otp() -> InvalidValue:
    return InvalidValue("The code is wrong or has expired.", code="invalid_otp")
