// Shared by the insured portal (portal.html), the staff page (staff.html) and the institution panel (institution.html).
// One global, window.Sabeghe. Nothing here knows the page's language or texts: whatever depends on them takes
// the language ("fa" or "en") or a context { lang, t, emptyClass, monthClass } from the caller, where t(key, ...args)
// is the page's translation function.
"use strict";
(function () {
  const MONTHS = {
    fa: ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
    en: ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"],
  };

  // ---------------------------------------------------------------- digits and numbers
  const FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  const toFa = (s) => String(s).replace(/[0-9]/g, (d) => FA_DIGITS[+d]);
  const toAscii = (s) => String(s == null ? "" : s)
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06F0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  // Persian digits in Persian, ASCII digits otherwise; null and undefined are empty.
  const digitsFor = (lang, s) => (s === null || s === undefined) ? "" : (lang === "fa" ? toFa(s) : toAscii(s));
  // A whole number with thousands separators, in the language's digits.
  const grouped = (lang, n) => {
    if (n === null || n === undefined || n === "") return "";
    return digitsFor(lang, String(Math.trunc(Number(n))).replace(/\B(?=(\d{3})+(?!\d))/g, lang === "fa" ? "٬" : ","));
  };
  // Spaces, hyphens (ASCII and typographic), underscores, dots and direction marks are not part of a code.
  // A page may pass its own (narrower) set of separators as a global regular expression.
  const CODE_SEPARATORS = /[\s\-\u2010-\u2015\u2212_.\u200c\u200e\u200f\u061c]/g;
  const codeOnly = (s, separators) => toAscii(s).replace(separators || CODE_SEPARATORS, "");

  // ---------------------------------------------------------------- DOM helpers
  // h("p", { class: "x", onclick: fn, "data-testid": "y", text: "..." }, kid, [kids], null): a new element;
  // null, undefined and false attributes and children are left out, true attributes are empty.
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }
  const ltr = (text, cls) => h("span", { dir: "ltr", class: "ltr" + (cls ? " " + cls : "") }, text);
  const num = (lang, value) => ltr(digitsFor(lang, value), "nums");
  // "1403/05/30 12:45": date and time as two number runs, in reading order for either direction
  const when = (lang, jalali) => {
    const parts = String(jalali).trim().split(/\s+/);
    return parts.length > 1 ? h("span", { class: "nums" }, num(lang, parts[0]), " ", num(lang, parts.slice(1).join(" "))) : num(lang, jalali);
  };

  // ---------------------------------------------------------------- API
  class ApiError extends Error {
    constructor(status, code, message, retryAfter) { super(message); this.status = status; this.code = code; this.retryAfter = retryAfter; }
  }

  // ---------------------------------------------------------------- statement rendering
  // ctx: { lang, t, emptyClass (class of the "no records" / "no wages" line), monthClass (class of a wages row's month cell) }
  function ruleText(ctx, rule) {
    const m = /(\d+)\s*days?.*?(\d+)\s*days?/i.exec(rule || "");
    if (/year/i.test(rule || "") && m) return ctx.t("ruleText", digitsFor(ctx.lang, m[1]), digitsFor(ctx.lang, m[2]));
    return digitsFor(ctx.lang, rule || "");
  }
  // The total service: years/months/days, credited days, overlap note and the counting rule (a list of <p>).
  function totalsBlock(ctx, totals, rule) {
    const t = ctx.t, digits = (s) => digitsFor(ctx.lang, s), group = (n) => grouped(ctx.lang, n);
    totals = totals || {};
    const parts = [
      h("p", null, h("span", { class: "hint" }, t("creditedLabel")),
        h("span", { class: "big", "data-testid": "service-span" }, t("span", digits(totals.years || 0), digits(totals.months || 0), digits(totals.days_remainder || 0)))),
      h("p", null, t("creditedDays", group(totals.days || 0))),
    ];
    if (totals.reported_days !== undefined && totals.overlap_days) {
      parts.push(h("p", { class: "hint" }, t("reported", group(totals.reported_days), group(totals.overlap_days))));
    }
    if (rule) parts.push(h("p", { class: "hint" }, ruleText(ctx, rule)));
    return parts;
  }
  // The record per year and workshop, one column per Persian month.
  function historyTable(ctx, history) {
    const t = ctx.t, lang = ctx.lang, digits = (s) => digitsFor(lang, s), group = (n) => grouped(lang, n);
    const rows = history.rows || [];
    if (!rows.length) return h("p", { class: ctx.emptyClass }, t("noRecords"));
    return h("table", { class: "tbl records", "data-testid": "records-table" },
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, t("colYear")), h("th", { scope: "col" }, t("colWsCode")), h("th", { scope: "col", class: "name" }, t("colWsName")),
        MONTHS[lang].map((name) => h("th", { scope: "col" }, name)),
        h("th", { scope: "col" }, t("colDays")))),
      h("tbody", null, rows.map((r) => h("tr", null,
        h("th", { scope: "row" }, num(lang, r.year)), h("td", null, num(lang, r.workshop_code)), h("td", { class: "name" }, r.workshop_name || ""),
        (r.months || []).map((d) => h("td", { class: d ? "nums" : "nums zero" }, digits(d))),
        h("td", { class: "nums" }, h("strong", null, group(r.days)))))),
      history.totals ? h("tfoot", null, h("tr", null,
        h("th", { scope: "row", colspan: "15" }, t("totalCredited")),
        h("td", { class: "nums" }, group(history.totals.days)))) : null);
  }
  // Wages per month with the workshops that reported them; showYear adds the year to each month.
  function wagesTable(ctx, months, totals, showYear) {
    const t = ctx.t, lang = ctx.lang, digits = (s) => digitsFor(lang, s), group = (n) => grouped(lang, n);
    months = months || [];
    if (!months.length) return h("p", { class: ctx.emptyClass }, t("noWages"));
    totals = totals || {};
    return h("table", { class: "tbl wages", "data-testid": "wages-table" },
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, t("colMonth")), h("th", { scope: "col" }, t("colCredited")),
        h("th", { scope: "col" }, t("colWage")), h("th", { scope: "col" }, t("colInsurable")), h("th", { scope: "col", class: "name" }, t("colWorkshops")))),
      h("tbody", null, months.map((m) => h("tr", null,
        h("th", { scope: "row", class: ctx.monthClass }, MONTHS[lang][(m.month || 1) - 1] + (showYear ? " " + digits(m.year) : "")),
        h("td", { class: "nums" }, digits(m.credited_days)),
        h("td", { class: "nums" }, group(m.wage)),
        h("td", { class: "nums" }, group(m.insurable_wage)),
        h("td", { class: "name ws-cell" }, (m.workshops || []).map((w) => h("span", { class: "ws-line" },
          h("strong", null, w.workshop_name || ""), " ", ltr("(" + digits(w.workshop_code) + ")"), " — ",
          digits(w.days), " ", t("daysUnit"), " — ", group(w.wage),
          w.job ? h("span", { class: "sub" }, t("job") + ": " + w.job) : null)))))),
      h("tfoot", null, h("tr", null,
        h("th", { scope: "row" }, t("total")), h("td", { class: "nums" }, group(totals.credited_days)),
        h("td", { class: "nums" }, group(totals.wage)), h("td", { class: "nums" }, group(totals.insurable_wage)), h("td", null, ""))));
  }

  // ---------------------------------------------------------------- the page's static texts in its language
  // Every element marked data-t (text), data-th (trusted markup from the page's own table) or data-ta (aria-label),
  // the document's language and direction, and the language toggle (id lang-toggle) that offers the other one.
  function applyTexts(lang, t) {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "fa" ? "rtl" : "ltr";
    document.title = t("title");
    document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
    document.querySelectorAll("[data-th]").forEach((el) => { el.innerHTML = t(el.dataset.th); });
    document.querySelectorAll("[data-ta]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.ta)); });
    const toggle = document.getElementById("lang-toggle");
    toggle.textContent = t("langToggle");
    toggle.setAttribute("lang", lang === "fa" ? "en" : "fa");
    toggle.setAttribute("aria-label", t("langToggleLabel"));
  }

  // ---------------------------------------------------------------- a signed-in page's API calls and error display
  // pageClient({ tokenKey, t, lang, errors, onSessionEnd }) -> { api, errorText, showError, busy }, for the portal
  // and the staff page: lang() is the page's language now, errors() its texts by error code, onSessionEnd() is
  // called on a 401 (the token it sent is no longer good).
  function pageClient(ctx) {
    async function api(method, path, body, opts) {
      opts = opts || {};
      const headers = { Accept: "application/json" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const token = sessionStorage.getItem(ctx.tokenKey);
      if (token && !opts.anonymous) headers.Authorization = "Bearer " + token;
      Object.assign(headers, opts.headers || {});
      let res;
      try {
        res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
      } catch (e) {
        throw new ApiError(0, "network", ctx.t("network"));
      }
      const text = await res.text();
      let data = null;
      if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
      if (!res.ok) {
        const e = (data && data.error) || {};
        const err = new ApiError(res.status, e.code || "http_" + res.status, e.message || (res.status + " " + res.statusText),
          parseInt(res.headers.get("Retry-After") || "", 10) || null);
        err.messageFa = e.message_fa || null;
        if (res.status === 401 && !opts.anonymous) ctx.onSessionEnd();
        throw err;
      }
      return data;
    }
    function errorText(err) {
      const lang = ctx.lang();
      if (err.status === 429) return ctx.t("throttled", digitsFor(lang, err.retryAfter || 30));
      const translated = (ctx.errors() || {})[err.code];
      return translated || (lang === "fa" && err.messageFa) || err.message;
    }
    const countdowns = new WeakMap();
    // An error under a form; a 429 counts its Retry-After down and keeps the button disabled until then.
    function showError(el, err, button) {
      const running = countdowns.get(el);
      if (running) {
        clearInterval(running.timer);
        if (running.button) { delete running.button.dataset.waiting; running.button.disabled = false; }
        countdowns.delete(el);
      }
      if (!err) { el.textContent = ""; return; }
      if (typeof err === "string") { el.textContent = err; return; }
      el.textContent = errorText(err);
      if (err.status === 429) {
        let left = err.retryAfter || 30;
        if (button) { button.disabled = true; button.dataset.waiting = "1"; }
        const timer = setInterval(() => {
          left -= 1;
          if (left <= 0) {
            clearInterval(timer);
            countdowns.delete(el);
            if (button) { delete button.dataset.waiting; button.disabled = false; }
            el.textContent = "";
          } else {
            el.textContent = ctx.t("throttled", digitsFor(ctx.lang(), left));
          }
        }, 1000);
        countdowns.set(el, { timer, button });
      }
    }
    function busy(button, on) {
      button.disabled = on || button.dataset.waiting === "1"; // a Retry-After countdown keeps it disabled
      button.setAttribute("aria-busy", on ? "true" : "false");
    }
    return { api, errorText, showError, busy };
  }

  window.Sabeghe = Object.freeze({
    MONTHS, FA_DIGITS, toFa, toAscii, digitsFor, grouped, CODE_SEPARATORS, codeOnly,
    h, ltr, num, when, ApiError, applyTexts, pageClient, ruleText, totalsBlock, historyTable, wagesTable,
  });
})();
