// The institution panel (institution.html): inquiry by identifier and passcode, the statement, and checking a document.
"use strict";
(function () {
  const S = window.Sabeghe;
  const LANG_KEY = "sabeghe.lang";
  const DESK_KEY = "sabeghe.desk";
  const plural = (n, one, many) => n + " " + (String(n) === "1" ? one : many);
  const T = {
    fa: {
      noDays: "بدون روز کارکرد",
      title: "پنل دستگاه‌های دولتی و مراجع استعلام رسمی — استعلام سند", langToggle: "English", langToggleLabel: "Switch to English",
      skip: "پرش به محتوای اصلی", org: "سازمان تامین اجتماعی — سامانه سابقه", orgSub: "پنل مخصوص دستگاه‌های دولتی و مراجع استعلام رسمی",
      pageTitle: "پنل دستگاه‌های دولتی و مراجع استعلام رسمی — استعلام سند", tabsLabel: "بخش‌ها", tabInquiry: "استعلام سند", tabVerify: "بررسی اصالت سند",
      formTitle: "استعلام از طریق ارائه کد رمز متقاضی",
      formLead: "کد ملی بیمه‌شده (یا کد اشخاص حقوقی / کد کارگاه) و کد رمزی را که بیمه‌شده به شما داده است وارد کنید.",
      identifier: "شناسه (کد ملی / کد اشخاص حقوقی / کد کارگاه)", identifierHint: "کد ملی بیمه‌شده را وارد نمائید.",
      passcode: "کد رمز", passcodeHint: "کد رمز ۱۵ رقمی را وارد نمائید (با یا بدون خط تیره، فاصله یا /).", search: "جستجو", resultTitle: "نتیجه جستجو",
      verifyTitle: "بررسی اصالت سند", verifyLead: "شناسه سند (چاپ‌شده روی سند) یا نشانی بررسی را وارد کنید تا ببینید سند را سازمان صادر کرده است و هنوز معتبر است.",
      documentId: "شناسه سند یا نشانی بررسی", verifyBtn: "بررسی",
      footer: "سابقه — نمونه‌سازی خدمت «اعلام سابقه به موسسات» سازمان تامین اجتماعی. هر استعلام با زمان و نشانی اینترنتی شما ثبت و به بیمه‌شده نشان داده می‌شود.",
      required: "شناسه و کد رمز را وارد کنید.", notFound: "شناسه یا کد رمز نادرست است یا مجوز منقضی شده است.",
      throttled: (w) => "تعداد تلاش‌های ناموفق از این رایانه بیش از حد مجاز بود. لطفاً " + w + " دیگر دوباره تلاش کنید.",
      minutes: (n) => n + " دقیقه", seconds: (n) => n + " ثانیه", and: " و ",
      failed: "درخواست انجام نشد. لطفاً دوباره تلاش کنید.",
      ncInvalid: "این کد ملی معتبر نیست (رقم کنترل آن نمی‌خواند). رقم‌ها را دوباره بررسی کنید.",
      ncShort: (n) => "کد ملی ۱۰ رقم است، اما " + n + " رقم وارد شده است. رقم‌ها را دوباره بررسی کنید.",
      legalInvalid: "این کد اشخاص حقوقی (۱۱ رقم) معتبر نیست. رقم‌ها را دوباره بررسی کنید.",
      idLength: (n) => "شناسه باید کد ملی یا کد کارگاه (۱۰ رقم) یا کد اشخاص حقوقی (۱۱ رقم) باشد، اما " + n + " رقم وارد شده است.",
      idDigits: "شناسه فقط از رقم تشکیل می‌شود.",
      pcDigits: "کد رمز فقط از رقم تشکیل می‌شود (۱۵ رقم در سه دسته پنج‌رقمی).",
      pcLength: (n) => "کد رمز ۱۵ رقم است (سه دسته پنج‌رقمی)، اما " + n + " رقم وارد شده است.",
      details: "جزئیات", verifyAddress: "نشانی بررسی", issuedAtUtc: "زمان صدور (UTC)", untilUtc: "قابل استعلام تا (UTC)",
      fileCheckHint: "با این کد می‌توان فایل PDF در دست را با سند صادرشده مقایسه کرد (بخش «بررسی اصالت سند»).",
      rowTotal: "جمع", workshopsOf: "کارگاه‌ها",
      network: "ارتباط با سامانه برقرار نشد. اتصال خود را بررسی و دوباره تلاش کنید.",
      noStampNotice: "سوابق اعلام‌شده از طرف سازمان تامین اجتماعی به‌صورت الکترونیکی و بنا به درخواست نامبرده جهت ارائه به آن سازمان / موسسه تهیه و مورد تایید بوده و نیازی به مهر و امضا ندارد، زیرا اصالت آن به‌صورت الکترونیکی قابل بررسی است: ",
      verifyLink: "بررسی اصالت این سند", pdf: "دریافت فایل PDF", print: "چاپ", newInquiry: "استعلام جدید",
      pdfNote: (w) => "پیوند فایل تا " + w + " کار می‌کند؛ پس از آن دوباره جستجو کنید.",
      holderTitle: "مشخصات بیمه‌شده", name: "نام و نام خانوادگی", fatherName: "نام پدر", nationalCode: "کد ملی", birthDate: "تاریخ تولد",
      outdatedNotice: "سوابق بیمه‌شده پس از صدور این گواهی تغییر کرده است (اعتراض پذیرفته‌شده یا لیست اصلاحی کارفرما). برای سوابق به‌روز، از ایشان گواهی تازه بخواهید.",
      insuranceNo: "شماره بیمه", docTitle: "مشخصات سند", trackingNo: "شماره پیگیری", kind: "نوع سند", issuedAt: "تاریخ صدور",
      inquirableUntil: "قابل استعلام تا", docId: "شناسه سند", sha256: "کد بررسی فایل",
      kindOf: { summary: "خلاصه سوابق و جمع کل", wages: "روزها و دستمزد ماهانه", combined: "سوابق کامل با دستمزد ماهانه" },
      language: "زبان سند", languageOf: { fa: "فارسی", en: "انگلیسی" },
      totalsTitle: "جمع سابقه", creditedLabel: "سابقه قابل احتساب",
      span: (y, m, d) => y + " سال، " + m + " ماه و " + d + " روز",
      creditedDays: (d) => "جمع روزهای قابل احتساب: " + d + " روز",
      reported: (r, o) => "روزهای گزارش‌شده کارگاه‌ها: " + r + " روز؛ " + o + " روز هم‌پوشانی (ماه‌هایی که بیش از یک کارگاه گزارش کرده‌اند) یک بار حساب شده است.",
      ruleText: (y, m) => "در محاسبه، هر سال " + y + " روز و هر ماه " + m + " روز حساب شده است.",
      historyTitle: "سوابق به تفکیک سال و کارگاه", wagesTitle: "دستمزد ماهانه", year: "سال", allYears: "همه سال‌ها", rialNote: "مبالغ به ریال است.",
      colYear: "سال", colWsCode: "کد کارگاه", colWsName: "نام کارگاه", colDays: "روزها", colMonth: "ماه", colCredited: "روزهای قابل احتساب",
      colWage: "دستمزد (ریال)", colInsurable: "دستمزد مشمول (ریال)", colWorkshops: "کارگاه‌ها", total: "جمع",
      totalCredited: "جمع روزهای قابل احتساب (هم‌پوشانی یک بار شمرده شده)", daysUnit: "روز", job: "شغل",
      noRecords: "سابقه‌ای ثبت نشده است.", noWages: "دستمزدی ثبت نشده است.", loading: "در حال جستجو…",
      verifyNotFound: "سندی با این شناسه صادر نشده است. شناسه را دوباره بررسی کنید.", verifyRequired: "شناسه سند را وارد کنید.",
      status: "وضعیت", vs_valid: "معتبر", vs_withdrawn: "پس‌گرفته‌شده", vs_expired: "منقضی",
      vsText_valid: "این سند را سازمان تامین اجتماعی صادر کرده و هنوز معتبر است.",
      vsText_withdrawn: "این سند را سازمان صادر کرده بود، اما دارنده آن درخواست را حذف کرده و سند دیگر معتبر نیست.",
      vsText_expired: "این سند را سازمان صادر کرده بود، اما مهلت اعتبار آن به پایان رسیده است.",
      holderMasked: "دارنده سند", ncMasked: "کد ملی",
      compareTitle: "مقایسه با فایل در دست شما", compareLabel: "فایل PDF سند را انتخاب کنید: کد بررسی آن در مرورگر شما حساب می‌شود و امضای الکترونیکی آن را سامانه بررسی می‌کند (فایل نگه داشته نمی‌شود).",
      sigTitle: "امضای الکترونیکی",
      sigSigned: (org, cn, date) => ["این سند به‌صورت الکترونیکی امضا شده است: امضاکننده ", org, " (", cn, ")، در تاریخ ", date, "؛ امضا معتبر است."],
      sigUnchecked: (org, cn, date) => ["این سند به‌صورت الکترونیکی امضا شده است: امضاکننده ", org, " (", cn, ")، در تاریخ ", date, "؛ اما امضا هنگام صدور تأیید نشد."],
      sigNone: "این سند پیش از امضای الکترونیکی گواهی‌ها صادر شده و امضای الکترونیکی ندارد؛ اصالت فایل را با کد بررسی فایل بسنجید.",
      sigFingerprint: "اثر انگشت گواهی امضا (SHA-256)", sigFormat: "نوع امضا",
      fileSigChecking: "در حال بررسی امضای الکترونیکی فایل…",
      fileSigValid: (org, cn, date) => ["امضای الکترونیکی این فایل معتبر است: امضاکننده ", org, " (", cn, ")، در تاریخ ", date, "."],
      fileSigNone: "این فایل امضای الکترونیکی ندارد.",
      fileSigAdded: "امضای این فایل سالم است، اما پس از امضا چیزی به فایل افزوده شده است؛ این فایل همان سند صادرشده نیست.",
      fileSigBroken: "امضای این فایل معتبر نیست: محتوای امضاشده تغییر کرده است.",
      fileSigUntrusted: "این فایل را سازمان تامین اجتماعی امضا نکرده است.",
      fileSigOtherCert: "امضای این فایل با گواهی دیگری است، نه گواهی سند صادرشده.",
      fileSigFailed: "امضای فایل بررسی نشد؛ دوباره تلاش کنید.",
      matchOk: "کد بررسی فایل با سند صادرشده یکسان است: فایل دست‌نخورده است.",
      matchBad: "کد بررسی فایل با سند صادرشده یکسان نیست: این فایل همان سند صادرشده نیست یا تغییر کرده است.",
      hashUnavailable: "این مرورگر نمی‌تواند کد بررسی فایل را حساب کند.",
      size: "اندازه فایل", bytes: "بایت", chooseFile: "انتخاب فایل PDF",
    },
    en: {
      noDays: "no days",
      title: "Official inquiry panel for government agencies — statement inquiry", langToggle: "فارسی", langToggleLabel: "نمایش به فارسی",
      skip: "Skip to main content", org: "Social Security Organization — Sabeghe", orgSub: "Panel for government agencies and official inquirers",
      pageTitle: "Panel for government agencies and official inquirers — statement inquiry", tabsLabel: "Sections", tabInquiry: "Statement inquiry", tabVerify: "Check a document",
      formTitle: "Inquiry with the passcode given by the insured person",
      formLead: "Enter the insured person's national code (or legal-entity code / workshop code) and the passcode they gave you.",
      identifier: "Identifier (national code / legal-entity code / workshop code)", identifierHint: "Enter the insured person's national code.",
      passcode: "Passcode", passcodeHint: "Enter the 15-digit passcode (with or without hyphens, spaces or slashes).", search: "Search", resultTitle: "Result",
      verifyTitle: "Check a document", verifyLead: "Enter the document id printed on the statement, or its verification address, to see whether the fund issued it and whether it is still valid.",
      documentId: "Document id or verification address", verifyBtn: "Check",
      footer: "Sabeghe — a model of the Social Security Organization's “record statement for institutions” e-service. Each inquiry is logged with its time and your IP address and shown to the insured person.",
      required: "Enter the identifier and the passcode.", notFound: "The identifier or passcode is wrong, or the permit has expired.",
      throttled: (w) => "Too many failed attempts from this computer. Please try again in " + w + ".",
      minutes: (n) => plural(n, "minute", "minutes"), seconds: (n) => plural(n, "second", "seconds"), and: " and ",
      failed: "The request did not go through. Please try again.",
      ncInvalid: "This national code is not valid (its check digit does not match). Check the digits again.",
      ncShort: (n) => "A national code has 10 digits, but " + n + " were typed. Check the digits again.",
      legalInvalid: "This legal-entity code (11 digits) is not valid. Check the digits again.",
      idLength: (n) => "The identifier is a national code or workshop code (10 digits) or a legal-entity code (11 digits), but " + n + " digits were typed.",
      idDigits: "The identifier has digits only.",
      pcDigits: "The passcode has digits only (15 digits in three groups of five).",
      pcLength: (n) => "The passcode has 15 digits (three groups of five), but " + n + " were typed.",
      details: "Details", verifyAddress: "Verification address", issuedAtUtc: "Issued (UTC)", untilUtc: "Inquirable until (UTC)",
      fileCheckHint: "This code lets you compare a PDF you hold with the issued document (“Check a document”).",
      rowTotal: "Total", workshopsOf: "Workshops",
      network: "Could not reach the service. Check your connection and try again.",
      noStampNotice: "This record was prepared electronically by the Social Security Organization at the holder's request for presentation to your organisation; it needs no stamp or signature because it can be checked electronically: ",
      verifyLink: "check this document", pdf: "Download PDF", print: "Print", newInquiry: "New inquiry",
      pdfNote: (w) => "The file link works for " + w + "; search again after that.",
      holderTitle: "Insured person", name: "Name", fatherName: "Father's name", nationalCode: "National code", birthDate: "Birth date",
      outdatedNotice: "The insured person's records changed after this statement was issued (an accepted objection or an employer's corrected list). Ask them for a fresh statement for the current records.",
      insuranceNo: "Insurance no.", docTitle: "Document", trackingNo: "Tracking no.", kind: "Kind", issuedAt: "Issued",
      inquirableUntil: "Inquirable until", docId: "Document id", sha256: "File check code",
      kindOf: { summary: "Summary of insured days with totals", wages: "Monthly days and wages", combined: "Full record with monthly wages" },
      language: "Document language", languageOf: { fa: "Persian", en: "English" },
      totalsTitle: "Total service", creditedLabel: "Credited service",
      span: (y, m, d) => plural(y, "year", "years") + ", " + plural(m, "month", "months") + " and " + plural(d, "day", "days"),
      creditedDays: (d) => "Credited days in total: " + d,
      reported: (r, o) => "Days reported by workshops: " + r + "; " + o + " overlapping days (months reported by more than one workshop) are counted once.",
      ruleText: (y, m) => "A year counts as " + y + " days and a month as " + m + " days.",
      historyTitle: "Record by year and workshop", wagesTitle: "Monthly wages", year: "Year", allYears: "All years", rialNote: "Amounts in Rials.",
      colYear: "Year", colWsCode: "Workshop code", colWsName: "Workshop", colDays: "Days", colMonth: "Month", colCredited: "Credited days",
      colWage: "Wage (Rials)", colInsurable: "Insurable wage (Rials)", colWorkshops: "Workshops", total: "Total",
      totalCredited: "Credited days in total (overlaps counted once)", daysUnit: "days", job: "Job",
      noRecords: "No records.", noWages: "No wages recorded.", loading: "Searching…",
      verifyNotFound: "No document was issued with this id. Check the id again.", verifyRequired: "Enter the document id.",
      status: "Status", vs_valid: "Valid", vs_withdrawn: "Withdrawn", vs_expired: "Expired",
      vsText_valid: "The Social Security Organization issued this document and it is still valid.",
      vsText_withdrawn: "The fund issued this document, but its holder deleted the request and it is no longer valid.",
      vsText_expired: "The fund issued this document, but it is past its validity.",
      holderMasked: "Holder", ncMasked: "National code",
      compareTitle: "Compare with the file you hold", compareLabel: "Choose the statement's PDF file: its check code is computed in your browser, and the service checks its electronic signature (the file is not kept).",
      sigTitle: "Electronic signature",
      sigSigned: (org, cn, date) => ["Signed electronically by ", org, " (", cn, ") on ", date, "; the signature is valid."],
      sigUnchecked: (org, cn, date) => ["Signed electronically by ", org, " (", cn, ") on ", date, ", but the signature could not be validated when it was issued."],
      sigNone: "This document was issued before statements were signed electronically and carries no signature; check the file by its check code.",
      sigFingerprint: "Signing certificate fingerprint (SHA-256)", sigFormat: "Signature format",
      fileSigChecking: "Checking the file's electronic signature…",
      fileSigValid: (org, cn, date) => ["The file's electronic signature is valid: signed by ", org, " (", cn, ") on ", date, "."],
      fileSigNone: "This file carries no electronic signature.",
      fileSigAdded: "The file's signature is sound, but something was added to the file after it was signed: it is not the issued document.",
      fileSigBroken: "The file's signature does not hold: what was signed has been changed.",
      fileSigUntrusted: "This file was not signed by the Social Security Organization.",
      fileSigOtherCert: "The file is signed with another certificate than the issued document's.",
      fileSigFailed: "The file's signature could not be checked; please try again.",
      matchOk: "The file's check code matches the issued document: the file is unaltered.",
      matchBad: "The file's check code does not match: this is not the issued document, or it was changed.",
      hashUnavailable: "This browser cannot compute the file's check code.",
      size: "File size", bytes: "bytes", chooseFile: "Choose the PDF file",
    },
  };
  let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "fa";
  const t = (key, ...args) => {
    const v = T[lang][key] !== undefined ? T[lang][key] : T.fa[key];
    return typeof v === "function" ? v(...args) : v;
  };

  const { h, ltr, toAscii, codeOnly, ApiError } = S;
  const digits = (s) => S.digitsFor(lang, s);
  const grouped = (n) => S.grouped(lang, n);
  const num = (value) => S.num(lang, value);
  const when = (jalali) => jalali ? S.when(lang, jalali) : "—";
  const $ = (id) => document.getElementById(id);
  // A value that may run the other way from the page (a Persian name on the English page, a code beside Persian
  // words), isolated so it neither scrambles nor is scrambled by its neighbours.
  const bdi = (text, cls) => h("bdi", { class: cls || null }, text);
  // "۵ دقیقه", "1 minute and 5 seconds", "52 seconds": a wait or a lifetime as people say it, in the page's digits
  function duration(total) {
    total = Math.max(1, Math.round(Number(total) || 0));
    const m = Math.floor(total / 60), s = total % 60, parts = [];
    if (m) parts.push(t("minutes", digits(m)));
    if (s || !m) parts.push(t("seconds", digits(s)));
    return parts.join(t("and"));
  }

  async function sha256Hex(text) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }
  // `file`: { bytes, sha256 } to send a PDF itself as the body (the file check) instead of JSON.
  async function call(method, path, body, file) {
    let res;
    try {
      const headers = { Accept: "application/json" };
      let payload = body ? JSON.stringify(body) : undefined;
      if (file) {
        payload = file.bytes;
        headers["Content-Type"] = "application/pdf";
        headers["x-amz-content-sha256"] = file.sha256;
      } else if (payload !== undefined) {
        headers["Content-Type"] = "application/json";
        // Behind CloudFront the function URL is signed for CloudFront (origin access control), which needs the
        // body's hash from the sender: Lambda refuses a POST without it.
        if (crypto.subtle) headers["x-amz-content-sha256"] = await sha256Hex(payload);
      }
      res = await fetch(path, { method, cache: "no-store", headers, body: payload });
    } catch (e) { throw new ApiError(0, "network", "network"); }
    const text = await res.text();
    let data = null;
    if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
    if (!res.ok) {
      const e = (data && data.error) || {};
      const err = new ApiError(res.status, e.code || "http_" + res.status, e.message || "",
        parseInt(res.headers.get("Retry-After") || "", 10) || null);
      err.messageFa = e.message_fa || "";
      throw err;
    }
    return data;
  }
  // What a failed call says, in the page's language: the server's own sentence (Persian in Persian, never English
  // there), except where the panel has a better one of its own.
  function errorText(e, notFoundKey) {
    if (e.status === 0) return t("network");
    if (e.status === 429) return t("throttled", duration(e.retryAfter || 30));
    if (notFoundKey) return t(notFoundKey);
    return (lang === "fa" ? e.messageFa : e.message) || t("failed");
  }
  // Messages are kept as functions of the language, so switching it redraws the ones on screen.
  const countdowns = {}, messages = {};
  function say(el, render) {
    messages[el.id] = render;
    el.textContent = render ? render() : "";
  }
  function showError(el, render, retryAfter, button) {
    clearInterval(countdowns[el.id]);
    say(el, render || null);
    if (retryAfter) {
      let left = retryAfter;
      if (button) button.disabled = true;
      countdowns[el.id] = setInterval(() => {
        left -= 1;
        if (left <= 0) { clearInterval(countdowns[el.id]); say(el, null); if (button) button.disabled = false; }
        else say(el, () => t("throttled", duration(left)));
      }, 1000);
    }
  }
  function redrawMessages() {
    for (const [id, render] of Object.entries(messages)) $(id).textContent = render ? render() : "";
  }

  // ---------------------------------------------------------------- the form's shape, checked before anything is sent
  // Whatever people put between digits: spaces of every kind, dashes, slashes, dots, commas (Latin and Persian),
  // underscores, bars, colons, pluses, and invisible direction marks (the server takes the same).
  const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u0640\ufe63\uff0d_.\/\\,\u060c\u066b\u066c|:;+\u200b-\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069]/g;
  function nationalCodeOk(c) {
    if (!/^[0-9]{10}$/.test(c) || /^(\d)\1{9}$/.test(c)) return false;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(c[i]) * (10 - i);
    const r = sum % 11;
    return (r < 2 ? r : 11 - r) === Number(c[9]);
  }
  function legalEntityOk(c) {
    const weights = [29, 27, 23, 19, 17, 29, 27, 23, 19, 17], a = Number(c[9]) + 2;
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (Number(c[i]) + a) * weights[i];
    const r = sum % 11;
    return (r === 10 ? 0 : r) === Number(c[10]);
  }
  // { value } to send, { error: [key, ...args] } to show, or { empty: true }
  function checkIdentifier(raw) {
    const code = codeOnly(raw, SEPARATORS);
    if (!code) return { empty: true };
    if (!/^[0-9]+$/.test(code)) return { error: ["idDigits"] };
    // Ten digits are a national code; a permit answers only to its holder's national code, so ten digits that fail
    // the check digit are a typo, and are said to be one rather than sent (and counted) as a wrong guess.
    if (code.length === 10) return nationalCodeOk(code) ? { value: code } : { error: ["ncInvalid"] };
    if (code.length === 11) return legalEntityOk(code) ? { value: code } : { error: ["legalInvalid"] };
    if (code.length === 8 || code.length === 9) {  // leading zeros lost (e.g. in a spreadsheet)
      const padded = code.padStart(10, "0");
      return nationalCodeOk(padded) ? { value: padded } : { error: ["ncShort", code.length] };
    }
    return { error: ["idLength", code.length] };
  }
  function checkPasscode(raw) {
    const code = codeOnly(raw, SEPARATORS);
    if (!code) return { empty: true };
    if (!/^[0-9]+$/.test(code)) return { error: ["pcDigits"] };
    if (code.length !== 15) return { error: ["pcLength", code.length] };
    return { value: code.slice(0, 5) + "-" + code.slice(5, 10) + "-" + code.slice(10) };
  }
  function fieldError(input, error) {
    const box = $(input.id + "-err");
    say(box, error ? () => t(error[0], ...error.slice(1).map((a) => typeof a === "number" ? digits(a) : a)) : null);
    input.setAttribute("aria-invalid", error ? "true" : "false");
  }
  for (const id of ["identifier", "passcode"]) {
    $(id).addEventListener("input", () => { if ($(id).getAttribute("aria-invalid") === "true") fieldError($(id), null); });
  }

  // ---------------------------------------------------------------- tabs
  const tabs = [$("tab-inquiry"), $("tab-verify")];
  function selectTab(tab, focus) {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
  }
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (ev) => {
      const forward = document.documentElement.dir === "rtl" ? "ArrowLeft" : "ArrowRight";
      const back = document.documentElement.dir === "rtl" ? "ArrowRight" : "ArrowLeft";
      let next = null;
      if (ev.key === forward) next = tabs[(i + 1) % tabs.length];
      else if (ev.key === back) next = tabs[(i + tabs.length - 1) % tabs.length];
      else if (ev.key === "Home") next = tabs[0];
      else if (ev.key === "End") next = tabs[tabs.length - 1];
      if (next) { ev.preventDefault(); selectTab(next, true); }
    });
  });

  // ---------------------------------------------------------------- statement rendering
  // A table for wide screens and cards for narrow ones (CSS shows one): on a phone every total is in view and no
  // number is cut by a scrolled edge.
  const view = () => ({ lang, t, emptyClass: "hint", monthClass: "nums" });
  const totalsBlock = (totals, rule) => S.totalsBlock(view(), totals, rule);
  const monthName = (i) => S.MONTHS[lang][i];
  const monthLabel = (m, showYear) => monthName((m.month || 1) - 1) + (showYear ? " " + digits(m.year) : "");
  function historyTable(history) {
    const rows = history.rows || [];
    if (!rows.length) return h("p", { class: "hint" }, t("noRecords"));
    return h("table", { class: "tbl records", "data-testid": "records-table" },
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, t("colYear")), h("th", { scope: "col", class: "wrap" }, t("colWsCode")),
        h("th", { scope: "col", class: "name" }, t("colWsName")),
        S.MONTHS[lang].map((name) => h("th", { scope: "col", class: "month" }, name)),
        h("th", { scope: "col", class: "wrap row-total" }, t("colDays")))),
      h("tbody", null, rows.map((r) => h("tr", null,
        h("th", { scope: "row" }, num(r.year)), h("td", null, num(r.workshop_code)), h("td", { class: "name" }, bdi(r.workshop_name || "")),
        (r.months || []).map((d) => h("td", { class: d ? "nums" : "nums zero" }, d ? digits(d) : gap())),
        h("td", { class: "nums row-total" }, h("strong", null, grouped(r.days)))))),
      history.totals ? h("tfoot", null, h("tr", null,
        h("th", { scope: "row", colspan: "15" }, t("totalCredited")),
        h("td", { class: "nums row-total" }, grouped(history.totals.days)))) : null);
  }
  function historyCards(history) {
    const rows = history.rows || [];
    if (!rows.length) return h("p", { class: "hint only-narrow" }, t("noRecords"));
    return h("div", { class: "only-narrow", "data-testid": "records-cards" },
      history.totals ? h("p", { class: "card-total", "data-testid": "records-total" },
        t("totalCredited") + ": ", h("strong", { class: "nums" }, grouped(history.totals.days))) : null,
      h("ol", { class: "card-list" }, rows.map((r) => h("li", { class: "rec-card" },
        h("div", { class: "rec-head" },
          h("span", null, h("strong", null, num(r.year)), " ", bdi(r.workshop_name || ""), " ",
            h("span", { class: "hint-inline" }, ltr("(" + digits(r.workshop_code) + ")"))),
          h("span", { class: "rec-total" }, t("rowTotal") + ": ", bdi(grouped(r.days) + " " + t("daysUnit"), "nums"))),
        h("dl", { class: "months-grid" }, (r.months || []).map((d, i) => h("div", { class: d ? null : "zero" },
          h("dt", null, monthName(i)), h("dd", { class: "nums" }, d ? digits(d) : gap()))))))));
  }
  // A month without days is what the clerk checks: a clear dash, said in words to screen readers.
  function gap() {
    return [h("span", { "aria-hidden": "true" }, "–"), h("span", { class: "sr-only" }, t("noDays"))];
  }
  function workshopLine(w) {
    return h("span", { class: "ws-line" },
      h("strong", null, bdi(w.workshop_name || "")), " ", ltr("(" + digits(w.workshop_code) + ")"), " — ",
      bdi(digits(w.days) + " " + t("daysUnit"), "nums"), " — ", bdi(grouped(w.wage), "nums"),
      w.job ? h("span", { class: "sub" }, t("job") + ": ", bdi(w.job)) : null);
  }
  function wagesTable(months, totals, showYear) {
    if (!months.length) return h("p", { class: "hint" }, t("noWages"));
    totals = totals || {};
    return h("table", { class: "tbl wages", "data-testid": "wages-table" },
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, t("colMonth")), h("th", { scope: "col" }, t("colCredited")),
        h("th", { scope: "col" }, t("colWage")), h("th", { scope: "col" }, t("colInsurable")), h("th", { scope: "col", class: "name" }, t("colWorkshops")))),
      h("tbody", null, months.map((m) => h("tr", null,
        h("th", { scope: "row", class: "nums" }, monthLabel(m, showYear)),
        h("td", { class: "nums" }, digits(m.credited_days)),
        h("td", { class: "nums" }, grouped(m.wage)),
        h("td", { class: "nums" }, grouped(m.insurable_wage)),
        h("td", { class: "name ws-cell" }, (m.workshops || []).map(workshopLine))))),
      h("tfoot", null, h("tr", null,
        h("th", { scope: "row" }, t("total")), h("td", { class: "nums" }, grouped(totals.credited_days)),
        h("td", { class: "nums" }, grouped(totals.wage)), h("td", { class: "nums" }, grouped(totals.insurable_wage)), h("td", null, ""))));
  }
  function wagesCards(months, totals, showYear) {
    if (!months.length) return h("p", { class: "hint only-narrow" }, t("noWages"));
    totals = totals || {};
    const kv = (label, value) => h("div", null, h("dt", null, label), h("dd", { class: "nums" }, value));
    return h("div", { class: "only-narrow", "data-testid": "wages-cards" },
      h("div", { class: "card-total", "data-testid": "wages-total" }, h("strong", null, t("total")),
        h("dl", { class: "kv" }, kv(t("colCredited"), grouped(totals.credited_days)), kv(t("colWage"), grouped(totals.wage)),
          kv(t("colInsurable"), grouped(totals.insurable_wage)))),
      h("ol", { class: "card-list" }, months.map((m) => h("li", { class: "rec-card" },
        h("div", { class: "rec-head" }, h("strong", null, monthLabel(m, showYear))),
        h("dl", { class: "kv" }, kv(t("colCredited"), digits(m.credited_days)), kv(t("colWage"), grouped(m.wage)),
          kv(t("colInsurable"), grouped(m.insurable_wage))),
        (m.workshops || []).length ? h("div", { class: "ws-list" }, m.workshops.map(workshopLine)) : null))));
  }
  function sumMonths(months) {
    return months.reduce((acc, m) => ({ credited_days: acc.credited_days + (m.credited_days || 0), wage: acc.wage + (m.wage || 0),
      insurable_wage: acc.insurable_wage + (m.insurable_wage || 0) }), { credited_days: 0, wage: 0, insurable_wage: 0 });
  }
  const fact = (label, value, testid) => h("div", null, h("dt", null, label), h("dd", { "data-testid": testid || null }, value));
  // The technical details (document id, the file's SHA-256, exact times), folded away behind "details".
  let detailsOpen = false;
  function technical(facts, sha256, testid) {
    const box = h("details", { class: "tech", "data-testid": testid },
      h("summary", null, t("details")),
      h("dl", { class: "facts" }, facts),
      sha256 ? h("p", { class: "hint" }, t("sha256") + " (SHA-256): ", h("span", { class: "hash", "data-testid": testid === "verify-details" ? "verify-sha256" : "sha256" }, sha256),
        testid === "result-details" ? t("fileCheckHint") : null) : null);
    box.open = detailsOpen;
    box.addEventListener("toggle", () => { detailsOpen = box.open; });
    return box;
  }
  // Printing shows the details too.
  const printOpened = [];
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details.tech:not([open])").forEach((d) => { d.open = true; printOpened.push(d); });
  });
  window.addEventListener("afterprint", () => { printOpened.splice(0).forEach((d) => { d.open = false; }); });

  // ---------------------------------------------------------------- inquiry
  let answer = null, wagesYear = null;
  function verifyHref(documentId) { return "?verify=" + encodeURIComponent(documentId); }
  function renderResult() {
    const a = answer, st = a.statement || {}, holder = a.holder || {};
    const name = [holder.first_name, holder.last_name].filter(Boolean).join(" ");
    const body = [];
    body.push(h("p", { class: "notice", "data-testid": "no-stamp" }, t("noStampNotice"),
      a.document_id ? h("a", { href: verifyHref(a.document_id), "data-testid": "verify-link", onclick: (ev) => { ev.preventDefault(); startVerify(a.document_id); } }, t("verifyLink")) : null));
    if (a.outdated) {
      body.push(h("p", { class: "notice", role: "alert", "data-testid": "outdated-notice" }, t("outdatedNotice")));
    }
    body.push(h("div", { class: "card" },
      h("h3", { style: "margin-top:0" }, t("holderTitle")),
      h("dl", { class: "facts" },
        fact(t("name"), name ? bdi(name) : "—", "holder-name"), fact(t("fatherName"), holder.father_name ? bdi(holder.father_name) : "—"),
        fact(t("nationalCode"), num(holder.national_code || "")), fact(t("birthDate"), when(holder.birth_date_jalali)),
        holder.insurance_no ? fact(t("insuranceNo"), num(holder.insurance_no)) : null)));
    body.push(h("div", { class: "card" },
      h("h3", { style: "margin-top:0" }, t("docTitle")),
      h("dl", { class: "facts" },
        fact(t("trackingNo"), num(a.tracking_no), "tracking-no"), fact(t("kind"), t("kindOf")[a.kind] || a.kind || "—", "statement-kind"),
        fact(t("language"), t("languageOf")[a.language || "fa"], "statement-language"),
        fact(t("issuedAt"), when(a.issued_at_jalali || st.issued_at_jalali)), fact(t("inquirableUntil"), when(a.inquirable_until_jalali))),
      h("div", { class: "row-actions no-print" },
        a.document_url ? h("a", { class: "btn", href: a.document_url, target: "_blank", rel: "noopener noreferrer", "data-testid": "pdf-link" }, t("pdf")) : null,
        h("button", { type: "button", class: "secondary", onclick: () => window.print() }, t("print")),
        h("button", { type: "button", class: "secondary", onclick: newInquiry }, t("newInquiry"))),
      a.document_url_expires_in ? h("p", { class: "hint no-print", "data-testid": "pdf-note" }, t("pdfNote", duration(a.document_url_expires_in))) : null,
      technical([
        a.document_id ? fact(t("docId"), ltr(a.document_id), "document-id") : null,
        a.verify_url ? fact(t("verifyAddress"), ltr(a.verify_url)) : null,
        a.issued_at ? fact(t("issuedAtUtc"), ltr(a.issued_at)) : null,
        a.inquirable_until ? fact(t("untilUtc"), ltr(a.inquirable_until)) : null], a.sha256, "result-details")));
    const totals = st.totals || (st.history && st.history.totals);
    if (totals) {
      body.push(h("div", { class: "card" }, h("h3", { style: "margin-top:0" }, t("totalsTitle")),
        h("div", { class: "totals", "data-testid": "statement-totals" }, totalsBlock(Object.assign({}, (st.history || {}).totals || {}, totals), (st.history || {}).rule || st.rule))));
    }
    if (st.history) {
      body.push(h("h3", { id: "r-hist" }, t("historyTitle")),
        h("div", { class: "tbl-wrap only-wide", role: "region", "aria-labelledby": "r-hist", tabindex: "0" }, historyTable(st.history)),
        historyCards(st.history));
    }
    if (st.wages) {
      const months = st.wages.months || [];
      const years = [...new Set(months.map((m) => m.year))];
      if (wagesYear !== "all" && !years.includes(wagesYear)) wagesYear = years.length ? years[years.length - 1] : "all";
      const shown = wagesYear === "all" ? months : months.filter((m) => m.year === wagesYear);
      const select = h("select", { id: "wages-year" },
        h("option", { value: "all" }, t("allYears")), years.slice().reverse().map((y) => h("option", { value: String(y) }, digits(y))));
      select.value = String(wagesYear);
      select.addEventListener("change", () => { wagesYear = select.value === "all" ? "all" : Number(select.value); renderResult(); $("wages-year").focus(); });
      const shownTotals = wagesYear === "all" && st.wages.totals ? st.wages.totals : sumMonths(shown);
      body.push(h("h3", { id: "r-wages" }, t("wagesTitle")),
        h("div", { class: "toolbar no-print" }, h("div", null, h("label", { for: "wages-year" }, t("year")), select), h("span", { class: "hint" }, t("rialNote"))),
        h("div", { class: "tbl-wrap only-wide", role: "region", "aria-labelledby": "r-wages", tabindex: "0" },
          wagesTable(shown, shownTotals, wagesYear === "all")),
        wagesCards(shown, shownTotals, wagesYear === "all"));
    }
    $("result-body").replaceChildren(...body);
    $("result").hidden = false;
  }
  function newInquiry() {
    answer = null;
    $("result").hidden = true;
    $("result-body").replaceChildren();
    $("identifier").value = "";
    $("passcode").value = "";
    $("identifier").focus();
  }
  $("inquiry-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("inquiry-err"), button = $("inquiry-submit");
    const identifier = checkIdentifier($("identifier").value), passcode = checkPasscode($("passcode").value);
    fieldError($("identifier"), identifier.error);
    fieldError($("passcode"), passcode.error);
    if (identifier.empty) $("identifier").setAttribute("aria-invalid", "true");
    if (passcode.empty) $("passcode").setAttribute("aria-invalid", "true");
    const wrong = [[identifier, "identifier"], [passcode, "passcode"]].find(([check]) => !check.value);
    if (wrong) {
      // Nothing is sent: a form of the wrong shape is not a guess, and the clerk learns at once what to fix.
      showError(err, identifier.empty || passcode.empty ? () => t("required") : null);
      $(wrong[1]).focus();
      return;
    }
    showError(err, null);
    answer = null;
    $("result").hidden = true;
    $("result-body").replaceChildren();
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    let retry = null;
    try {
      const request = { identifier: identifier.value, passcode: passcode.value };
      // This desk's own token (earned by its last right answer): its typos then lock this desk only, not every
      // clerk behind the branch's one address.
      const desk = localStorage.getItem(DESK_KEY);
      if (desk) request.desk_token = desk;
      answer = await call("POST", "/", request);
      if (answer.desk_token) localStorage.setItem(DESK_KEY, answer.desk_token);
      wagesYear = null;
      renderResult();
      $("result").focus();
    } catch (e) {
      if (e.status === 429) { retry = e.retryAfter || 30; showError(err, () => t("throttled", duration(retry)), retry, button); }
      else showError(err, () => errorText(e, e.status === 404 ? "notFound" : null));
    } finally {
      button.setAttribute("aria-busy", "false");
      if (!retry) button.disabled = false;
    }
  });

  // ---------------------------------------------------------------- verify
  function documentIdFrom(text) {
    const s = toAscii(text).trim();
    if (!s) return "";
    try {
      const u = new URL(s);
      const q = u.searchParams.get("verify");
      if (q) return normaliseId(q);
      const m = u.pathname.match(/\/verify\/([^/?#]+)/);
      if (m) return normaliseId(decodeURIComponent(m[1]));
    } catch (e) { /* not a URL */ }
    const m = s.match(/verify[/=]([A-Za-z0-9\-\s]+)/i);
    return normaliseId(m ? m[1] : s);
  }
  // Crockford base32: case does not matter, O is 0 and I/L are 1
  const normaliseId = (s) => codeOnly(s).toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
  let verified = null;
  // "Signed electronically by <organisation> (<certificate name>) on <date>": names isolated (a Latin name in a
  // Persian sentence), the date in the page's digits.
  function signedBy(key, sig) {
    return t(key, bdi(sig.organisation || "—"), bdi(sig.signer || "—"), when(sig.signed_at_jalali));
  }
  // The file the clerk chose, for the document shown: its name, whether its SHA-256 is the issued one, and what the
  // service found of its signature (kept across a change of language, which redraws the view).
  let compared = null;
  function fileSignatureText(check) {
    if (check.failure) return check.failure.code === "invalid_pdf" ? errorText(check.failure) : t("fileSigFailed");
    const sig = check.signature || {};
    if (!sig.signed) return t("fileSigNone");
    if (!sig.intact || !sig.cryptographically_valid) return t("fileSigBroken");
    if (!sig.trusted) return t("fileSigUntrusted");
    if (!sig.whole_file) return t("fileSigAdded");
    if (sig.same_certificate === false) return t("fileSigOtherCert");
    return signedBy("fileSigValid", sig);
  }
  function drawCompared() {
    const chosen = $("compare-name"), match = $("compare-match"), fileSig = $("file-signature");
    if (!chosen) return;
    const c = compared || {};
    chosen.textContent = c.name || "";
    match.className = c.same === undefined ? "" : c.same ? "match-ok" : "match-bad";
    match.textContent = c.noHash ? t("hashUnavailable") : c.same === undefined ? "" : c.same ? t("matchOk") : t("matchBad");
    if (!c.check) { fileSig.className = ""; fileSig.replaceChildren(); return; }
    if (c.check.pending) { fileSig.className = "loading"; fileSig.replaceChildren(t("fileSigChecking")); return; }
    const sig = c.check.signature;
    const ok = !c.check.failure && sig && sig.valid && sig.same_certificate !== false;
    fileSig.className = ok ? "match-ok" : "match-bad";
    fileSig.replaceChildren(...[].concat(fileSignatureText(c.check)));
  }
  async function compareFile(v, picked) {
    compared = picked ? { name: picked.name } : null;
    drawCompared();
    if (!picked) return;
    if (!(window.crypto && crypto.subtle)) { compared.noHash = true; drawCompared(); return; }
    const mine = compared;
    const bytes = await picked.arrayBuffer();
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    const hex = Array.from(new Uint8Array(digest)).map((b) => b.toString(16).padStart(2, "0")).join("");
    mine.same = hex === String(v.sha256 || "").toLowerCase();
    // The signature the file itself carries, checked by the service against the Organization's trust root.
    mine.check = { pending: true };
    drawCompared();
    try {
      mine.check = await call("POST", "/verify/" + encodeURIComponent(v.document_id) + "/signature", null, { bytes, sha256: hex });
    } catch (e) {
      mine.check = { failure: e };
    }
    if (compared === mine) drawCompared();  // not if another file, or another document, came meanwhile
  }
  function renderVerify() {
    const v = verified, box = $("verify-result");
    const holder = v.holder || {};
    const sig = v.signature;
    const file = h("input", { type: "file", id: "compare-file", accept: "application/pdf,.pdf", "aria-describedby": "compare-name" });
    file.addEventListener("change", () => compareFile(v, file.files && file.files[0]));
    const signature = sig
      ? h("p", { class: sig.valid ? "notice" : "err", "data-testid": "verify-signature" }, signedBy(sig.valid ? "sigSigned" : "sigUnchecked", sig))
      : h("p", { class: "hint", "data-testid": "verify-signature" }, t("sigNone"));
    box.replaceChildren(
      h("p", null, h("span", { class: "badge b-" + v.status, "data-testid": "verify-status" }, t("vs_" + v.status) || v.status), " ", t("vsText_" + v.status) || ""),
      h("dl", { class: "facts" },
        fact(t("trackingNo"), num(v.tracking_no)), fact(t("kind"), t("kindOf")[v.kind] || v.kind || "—"),
        fact(t("language"), t("languageOf")[v.language || "fa"], "verify-language"),
        fact(t("issuedAt"), when(v.issued_at_jalali)), fact(t("holderMasked"), holder.name_masked ? bdi(holder.name_masked) : "—"),
        fact(t("ncMasked"), num(holder.national_code_masked || ""))),
      h("h3", { style: "font-size:1rem" }, t("sigTitle")),
      signature,
      h("h3", { style: "font-size:1rem" }, t("compareTitle")),
      h("label", { for: "compare-file", style: "font-weight:400" }, t("compareLabel")),
      h("span", { class: "file-pick" }, file, h("span", { class: "btn secondary", "aria-hidden": "true" }, t("chooseFile"))),
      h("span", { class: "hint", id: "compare-name" }),
      h("p", { role: "status", "aria-live": "polite", id: "compare-match", "data-testid": "compare-match" }),
      h("p", { role: "status", "aria-live": "polite", id: "file-signature", "data-testid": "file-signature" }),
      technical([
        fact(t("docId"), ltr(v.document_id)),
        v.size ? fact(t("size"), [grouped(v.size), " ", t("bytes")]) : null,
        v.issued_at ? fact(t("issuedAtUtc"), ltr(v.issued_at)) : null,
        sig ? fact(t("sigFormat"), ltr(sig.format || "PAdES")) : null,
        sig ? fact(t("sigFingerprint"), h("span", { class: "hash", "data-testid": "verify-fingerprint" }, sig.certificate_sha256)) : null], v.sha256 || "", "verify-details"));
    drawCompared();
    box.hidden = false;
  }
  async function runVerify(id) {
    const err = $("verify-err"), button = $("verify-submit");
    verified = null;
    compared = null;
    $("verify-result").hidden = true;
    if (!id) { showError(err, () => t("verifyRequired")); return; }
    showError(err, null);
    button.disabled = true;
    let retry = null;
    try {
      verified = await call("GET", "/verify/" + encodeURIComponent(id));
      renderVerify();
      history.replaceState(null, "", verifyHref(id));
      $("verify-result").focus();
    } catch (e) {
      if (e.status === 429) { retry = e.retryAfter || 30; showError(err, () => t("throttled", duration(retry)), retry, button); }
      else showError(err, () => errorText(e, [400, 404, 422].includes(e.status) ? "verifyNotFound" : null));
    } finally {
      if (!retry) button.disabled = false;
    }
  }
  function startVerify(id) {
    selectTab($("tab-verify"));
    $("document-id").value = id;
    runVerify(documentIdFrom(id));
  }
  $("verify-form").addEventListener("submit", (ev) => { ev.preventDefault(); runVerify(documentIdFrom($("document-id").value)); });

  // ---------------------------------------------------------------- language
  function applyLanguage() {
    S.applyTexts(lang, t);
    redrawMessages();
    if (answer) renderResult();
    if (verified) renderVerify();
  }
  $("lang-toggle").addEventListener("click", () => {
    lang = lang === "fa" ? "en" : "fa";
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage();
  });

  applyLanguage();
  const initial = new URLSearchParams(location.search).get("verify");
  if (initial) startVerify(initial);
})();
