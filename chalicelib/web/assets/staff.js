"use strict";
(function () {
  const S = window.Sabeghe;
  const TOKEN_KEY = "sabeghe.staff.token";
  const USER_KEY = "sabeghe.staff.user";
  const LANG_KEY = "sabeghe.lang";  // the language choice is shared with the portal
  const MAX_LIST_BYTES = 50 * 1024 * 1024;
  const POLL_MS = 1500;
  const ACCEPTED_SHOWN = 200;
  const FINAL = ["processed", "rejected", "duplicate"];

  // ---------------------------------------------------------------- texts
  const T = {
    fa: {
      title: "سابقه — میز کار کارشناسان سوابق", langToggle: "English", langToggleLabel: "Switch to English",
      skip: "پرش به محتوای اصلی", brand: "سابقه — کارکنان", brandSub: "میز کار کارشناسان سوابق سازمان تامین اجتماعی", logout: "خروج",
      navLabel: "بخش‌ها", navObjections: "اعتراض‌های در انتظار", navLists: "لیست‌های کارفرمایان",
      loginTitle: "ورود کارکنان", loginLead: "با نام کاربری و گذرواژه سازمانی خود وارد شوید.",
      username: "نام کاربری", password: "گذرواژه", loginBtn: "ورود",
      objTitle: "اعتراض‌های در انتظار تصمیم",
      objLead: "سوابق ثبت‌شده بیمه‌شده برای ماه‌های هر اعتراض کنار آن آمده است. با ماه‌های اصلاح‌شده بپذیرید یا با ذکر دلیل رد کنید؛ بیمه‌شده دلیل را می‌خواند.",
      refresh: "به‌روزرسانی فهرست", listsTitle: "لیست‌های بیمه کارفرمایان", uploadTitle: "ارسال لیست ماهانه", listFile: "فایل لیست",
      listFileHint: "یک فایل zip شامل DSKKAR00.DBF و DSKWOR00.DBF، یا هر دو فایل DBF با هم، یا لیست متنی (csv/txt)؛ حداکثر ۵۰ مگابایت.",
      uploadBtn: "ارسال و بررسی", chooseFiles: "انتخاب فایل…", noFile: "فایلی انتخاب نشده است.", footer: "سابقه — میز کار کارشناسان سوابق (نمونه‌سازی)",
      // dynamic
      hello: (u) => "کارشناس: " + u, loading: "در حال بارگذاری…", dash: "—", rial: "ریال",
      queueCount: (n) => n + " اعتراض در انتظار تصمیم", queueEmpty: "اعتراضی در انتظار تصمیم نیست.",
      objection: (no) => "اعتراض " + no, kind_missing: "ماه ثبت‌نشده", kind_deficient: "کسری روز یا دستمزد",
      person: "بیمه‌شده", nationalCode: "کد ملی", workshop: "کد کارگاه", period: "ماه‌ها", submitted: "تاریخ ثبت",
      range: (a, b) => a === b ? a : "از " + a + " تا " + b, attachment: "پیوست",
      onFile: "سوابق ثبت‌شده در این ماه‌ها", colMonth: "ماه", colWs: "کد کارگاه", colDays: "روز",
      colWage: "دستمزد (ریال)", colYear: "سال", colMonthNo: "ماه", noRecordHere: "سابقه‌ای از این کارگاه ثبت نشده",
      decision: "تصمیم", accept: "پذیرش و اصلاح سوابق", reject: "رد اعتراض",
      corrections: "ماه‌های اصلاح‌شده", correctionsHint: "برای هر ماه، روزها و دستمزد درست را از لیست کارفرما وارد کنید؛ همین ردیف‌ها جای سوابق آن ماه در این کارگاه را می‌گیرند.",
      addRow: "افزودن ماه", removeRow: "حذف", removeRowFor: (n) => "حذف ردیف " + n, rowField: (f, n) => f + " ردیف " + n,
      reason: "دلیل تصمیم", reasonHint: "بیمه‌شده این متن را در پیامک و سامانه می‌خواند.",
      submitDecision: "ثبت تصمیم", submitAccept: "پذیرش و ثبت اصلاحیه", submitReject: "رد اعتراض",
      chooseDecision: "پذیرش یا رد اعتراض را انتخاب کنید.", reasonRequired: "دلیل تصمیم را بنویسید؛ بیمه‌شده آن را می‌خواند.",
      noRows: "دست‌کم یک ماه اصلاح‌شده وارد کنید.",
      badField: (n, f) => "ردیف " + n + ": «" + f + "» درست وارد نشده است.",
      badDays: (n, max) => "ردیف " + n + ": روزها باید از ۱ تا " + max + " باشد.",
      outOfRange: (n) => "ردیف " + n + ": این ماه در بازه اعتراض نیست.",
      wrongWorkshop: (n) => "ردیف " + n + ": کد کارگاه باید کارگاه همین اعتراض باشد.",
      duplicateMonth: (n) => "ردیف " + n + ": این ماه دو بار آمده است.",
      decidedAccepted: (no) => "اعتراض " + no + " پذیرفته شد و سوابق بیمه‌شده اصلاح شد.",
      decidedRejected: (no) => "اعتراض " + no + " رد شد.",
      goneAlready: (no, why) => "اعتراض " + no + " از فهرست برداشته شد: " + why,
      // lists
      wrongFiles: "یک فایل zip، یا دو فایل DSKKAR00.DBF و DSKWOR00.DBF با هم، یا یک لیست متنی (csv/txt) انتخاب کنید.",
      chooseFile: "فایل لیست را انتخاب کنید.",
      tooLarge: (name) => "حجم «" + name + "» بیش از ۵۰ مگابایت است.",
      emptyFile: (name) => "فایل «" + name + "» خالی است.",
      asking: "در حال آماده‌سازی ارسال…", uploading: (name) => "در حال ارسال «" + name + "»…",
      uploadFailed: (name, why) => "ارسال «" + name + "» به انبار فایل انجام نشد (" + why + "). دوباره تلاش کنید.",
      waiting: "فایل رسید؛ در انتظار پردازش…",
      reportTitle: "گزارش پردازش لیست", listId: "شناسه لیست", fileName: "فایل", listWorkshop: "کارگاه", listPeriod: "دوره",
      rowsCount: "ردیف‌ها", rowsSplit: (a, r) => a + " پذیرفته، " + r + " رد شده",
      st_received: "دریافت شد، در صف پردازش", st_processing: "در حال پردازش", st_processed: "پردازش شد",
      st_rejected: "رد شد (هیچ ردیفی ثبت نشد)", st_duplicate: "تکراری (این لیست پیش‌تر ثبت شده است)",
      stillWorking: "هنوز در حال پردازش است؛ وضعیت هر چند ثانیه به‌روز می‌شود.",
      stillWaiting: "پردازش بیش از حد معمول طول کشید.", checkAgain: "بررسی دوباره",
      listErrors: "ایرادهایی که کل لیست را رد کرد", listWarnings: "هشدارها (لیست پذیرفته شد؛ بررسی کنید)",
      totals: "جمع‌ها", totalsAll: "همه ردیف‌ها", totalsAccepted: "ردیف‌های پذیرفته", amountsRial: "مبالغ به ریال است.",
      tot_rows: "تعداد ردیف", tot_days: "روزهای کارکرد", tot_daily_wage: "دستمزد روزانه", tot_monthly_wage: "دستمزد ماهانه",
      tot_benefits: "مزایای ماهانه مشمول", tot_insurable_total: "جمع دستمزد و مزایای مشمول", tot_grand_total: "جمع کل (مشمول و غیرمشمول)",
      tot_employee_share: "حق بیمه سهم بیمه‌شده (۷٪)", tot_employer_share: "حق بیمه سهم کارفرما (۲۰٪)", tot_unemployment: "حق بیمه بیکاری (۳٪)",
      rejectedRows: (n) => "ردیف‌های رد شده (" + n + ")", noRejected: "هیچ ردیفی رد نشد.",
      acceptedRows: (n) => "ردیف‌های پذیرفته (" + n + ")", acceptedNote: (shown, all) => "فقط " + shown + " ردیف نخست از " + all + " ردیف نمایش داده شده است.",
      colRow: "ردیف", colNC: "کد ملی", colName: "نام", colReasons: "دلیل رد", colInsurable: "مشمول (ریال)",
      reasons: {
        invalid_national_code: "کد ملی نامعتبر است (رقم کنترل نادرست)",
        days_out_of_range: "روزهای کارکرد بیرون از روزهای ماه است",
        period_mismatch: "سال، ماه یا کد کارگاه ردیف با سرجمع لیست یکی نیست",
        share_not_7_percent: "سهم بیمه‌شده ۷ درصد دستمزد و مزایای مشمول نیست",
        duplicate_worker: "این بیمه‌شده در لیست تکرار شده است",
        wage_arithmetic: "حساب دستمزد نمی‌خواند (روزانه × روزها، یا ماهانه + مزایا)",
        missing_name: "نام یا نام خانوادگی خالی است",
        negative_amount: "مبلغ منفی",
        unreadable_value: "مقدار عددی ناخوانا",
        invalid_date: "تاریخ نامعتبر",
        garbled_text: "متن فارسی ناخواناست (کدگذاری نادرست)",
        header_sums_mismatch: "جمع‌های سرجمع لیست (DSKKAR00) با جمع ردیف‌ها نمی‌خواند",
        no_rows: "لیست هیچ ردیفی ندارد",
        invalid_workshop_code: "کد کارگاه معتبر نیست (باید ۱۰ رقم باشد)",
        shares_not_percent_of_insurable: "حق بیمه‌های سرجمع درصد درستی از جمع مشمول نیست",
        list_no_mismatch: "شماره لیست ردیف‌ها با سرجمع یکی نیست",
        rate_unusual: "نرخ حق بیمه غیرمعمول است (معمول: ۲۳٪)",
        all_rows_rejected: "همه ردیف‌های لیست رد شدند",
        dates_outside_month: "تاریخ شروع یا ترک کار بیرون از ماه لیست است",
        layout_mixed: "دو فایل لیست، قالب‌های متفاوتی دارند",
        not_a_list: "این فایل لیست بیمه نیست",
        missing_file: "یکی از فایل‌های DSKKAR00 یا DSKWOR00 نیست",
        truncated: "فایل ناقص است (بریده شده)",
        wrong_encoding: "کدگذاری متن فارسی نادرست است (باید ایران سیستم باشد)",
        too_large: "حجم فایل بیش از حد مجاز است",
        bad_header: "سرجمع لیست (DSKKAR00) خراب یا ناقص است",
        unreadable_zip: "فایل zip باز نمی‌شود",
        ambiguous_zip: "فایل zip بیش از یک لیست دارد",
        bad_dbf: "فایل DBF خراب است",
        bad_columns: "ستون‌های فایل با قالب لیست نمی‌خواند",
        bad_row: "ردیفی از فایل خراب است",
      },
      loggedOut: "از سامانه خارج شدید.", sessionEnded: "نشست شما پایان یافته است؛ لطفاً دوباره وارد شوید.",
      network: "ارتباط با سامانه برقرار نشد. اتصال خود را بررسی و دوباره تلاش کنید.",
      throttled: (s) => "تعداد تلاش‌ها بیش از حد مجاز بود. لطفاً " + s + " ثانیه دیگر دوباره تلاش کنید.",
      required: "همه خانه‌ها را پر کنید.",
      errors: {
        invalid_credentials: "نام کاربری یا گذرواژه نادرست است.",
      },
    },
    en: {
      title: "Sabeghe — records staff desk", langToggle: "فارسی", langToggleLabel: "نمایش به فارسی",
      skip: "Skip to main content", brand: "Sabeghe — staff", brandSub: "The records staff desk of the Social Security Organization", logout: "Log out",
      navLabel: "Sections", navObjections: "Waiting objections", navLists: "Employers' lists",
      loginTitle: "Staff log in", loginLead: "Log in with your staff user name and password.",
      username: "User name", password: "Password", loginBtn: "Log in",
      objTitle: "Objections waiting for a decision",
      objLead: "Each objection shows the person's records on file for its months. Accept with the corrected months, or reject with a reason; the person reads the reason.",
      refresh: "Refresh", listsTitle: "Employers' insurance lists", uploadTitle: "Send a monthly list", listFile: "List file",
      listFileHint: "A zip holding DSKKAR00.DBF and DSKWOR00.DBF, or both DBF files chosen together, or a text list (csv/txt); at most 50 MB.",
      uploadBtn: "Send and check", chooseFiles: "Choose files…", noFile: "No file chosen.", footer: "Sabeghe — records staff desk (a model)",
      hello: (u) => "Staff: " + u, loading: "Loading…", dash: "—", rial: "Rials",
      queueCount: (n) => n + (String(n) === "1" ? " objection waits" : " objections wait") + " for a decision", queueEmpty: "No objection is waiting for a decision.",
      objection: (no) => "Objection " + no, kind_missing: "Missing month", kind_deficient: "Short days or wage",
      person: "Insured person", nationalCode: "National code", workshop: "Workshop code", period: "Months", submitted: "Filed",
      range: (a, b) => a === b ? a : a + " to " + b, attachment: "Attachment",
      onFile: "Records on file for these months", colMonth: "Month", colWs: "Workshop", colDays: "Days",
      colWage: "Wage (Rials)", colYear: "Year", colMonthNo: "Month", noRecordHere: "nothing on file from this workshop",
      decision: "Decision", accept: "Accept and correct the records", reject: "Reject",
      corrections: "Corrected months", correctionsHint: "For each month, enter the right days and wage from the employer's list; these rows replace that month's record at this workshop.",
      addRow: "Add a month", removeRow: "Remove", removeRowFor: (n) => "Remove row " + n, rowField: (f, n) => f + ", row " + n,
      reason: "Reason", reasonHint: "The person reads this by SMS and in the portal.",
      submitDecision: "Record the decision", submitAccept: "Accept and correct", submitReject: "Reject the objection",
      chooseDecision: "Choose to accept or reject the objection.", reasonRequired: "Write the reason for the decision: the person reads it.",
      noRows: "Enter at least one corrected month.",
      badField: (n, f) => "Row " + n + ": “" + f + "” is not filled in correctly.",
      badDays: (n, max) => "Row " + n + ": days must be from 1 to " + max + ".",
      outOfRange: (n) => "Row " + n + ": this month is outside the objection's months.",
      wrongWorkshop: (n) => "Row " + n + ": the workshop must be the objection's workshop.",
      duplicateMonth: (n) => "Row " + n + ": this month is given twice.",
      decidedAccepted: (no) => "Objection " + no + " was accepted and the person's records corrected.",
      decidedRejected: (no) => "Objection " + no + " was rejected.",
      goneAlready: (no, why) => "Objection " + no + " left the queue: " + why,
      wrongFiles: "Choose one zip file, or DSKKAR00.DBF and DSKWOR00.DBF together, or one text list (csv/txt).",
      chooseFile: "Choose the list file.",
      tooLarge: (name) => "“" + name + "” is larger than 50 MB.",
      emptyFile: (name) => "“" + name + "” is empty.",
      asking: "Preparing the upload…", uploading: (name) => "Uploading “" + name + "”…",
      uploadFailed: (name, why) => "“" + name + "” could not be uploaded to the file store (" + why + "). Try again.",
      waiting: "Received; waiting to be processed…",
      reportTitle: "List processing report", listId: "List id", fileName: "File", listWorkshop: "Workshop", listPeriod: "Period",
      rowsCount: "Rows", rowsSplit: (a, r) => a + " accepted, " + r + " rejected",
      st_received: "Received, waiting to be processed", st_processing: "Processing", st_processed: "Processed",
      st_rejected: "Rejected (nothing was taken)", st_duplicate: "Duplicate (this list was taken in before)",
      stillWorking: "Still processing; the status refreshes every few seconds.",
      stillWaiting: "Processing is taking longer than usual.", checkAgain: "Check again",
      listErrors: "Problems that refused the whole list", listWarnings: "Warnings (the list was taken; please look)",
      totals: "Totals", totalsAll: "All rows", totalsAccepted: "Accepted rows", amountsRial: "Amounts in Rials.",
      tot_rows: "Rows", tot_days: "Days worked", tot_daily_wage: "Daily wages", tot_monthly_wage: "Monthly wages",
      tot_benefits: "Insurable benefits", tot_insurable_total: "Insurable total", tot_grand_total: "Grand total (insurable or not)",
      tot_employee_share: "Employee share (7%)", tot_employer_share: "Employer share (20%)", tot_unemployment: "Unemployment (3%)",
      rejectedRows: (n) => "Rejected rows (" + n + ")", noRejected: "No row was rejected.",
      acceptedRows: (n) => "Accepted rows (" + n + ")", acceptedNote: (shown, all) => "Only the first " + shown + " of " + all + " rows are shown.",
      colRow: "Row", colNC: "National code", colName: "Name", colReasons: "Why rejected", colInsurable: "Insurable (Rials)",
      reasons: {
        invalid_national_code: "Invalid national code (wrong check digit)",
        days_out_of_range: "Days worked outside the month's days",
        period_mismatch: "Year, month or workshop differs from the list's header",
        share_not_7_percent: "Employee share is not 7% of the insurable pay",
        duplicate_worker: "The person appears twice in the list",
        wage_arithmetic: "Wage arithmetic does not add up (daily × days, or monthly + benefits)",
        missing_name: "First or last name missing",
        negative_amount: "Negative amount",
        unreadable_value: "Unreadable number",
        invalid_date: "Invalid date",
        garbled_text: "Garbled Persian text (wrong encoding)",
        header_sums_mismatch: "The header's sums (DSKKAR00) do not match the rows",
        no_rows: "The list has no rows",
        invalid_workshop_code: "Invalid workshop code (must be 10 digits)",
        shares_not_percent_of_insurable: "The header's contributions are not the right share of the insurable total",
        list_no_mismatch: "The rows' list number differs from the header's",
        rate_unusual: "Unusual contribution rate (normally 23%)",
        all_rows_rejected: "Every row of the list was rejected",
        dates_outside_month: "Start or leaving dates fall outside the list's month",
        layout_mixed: "The list's two files use different layouts",
        not_a_list: "This file is not an insurance list",
        missing_file: "DSKKAR00 or DSKWOR00 is missing",
        truncated: "The file is cut short",
        wrong_encoding: "Wrong Persian text encoding (Iran System expected)",
        too_large: "The file is too large",
        bad_header: "The list's header (DSKKAR00) is damaged or incomplete",
        unreadable_zip: "The zip file cannot be opened",
        ambiguous_zip: "The zip holds more than one list",
        bad_dbf: "The DBF file is damaged",
        bad_columns: "The file's columns do not match the list format",
        bad_row: "A row of the file is damaged",
      },
      loggedOut: "You have logged out.", sessionEnded: "Your session has ended; please log in again.",
      network: "Could not reach the service. Check your connection and try again.",
      throttled: (s) => "Too many attempts. Please try again in " + s + " seconds.",
      required: "Please fill in every field.",
      errors: {},
    },
  };

  let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "fa";
  const t = (key, ...args) => {
    const v = T[lang][key] !== undefined ? T[lang][key] : T.fa[key];
    return typeof v === "function" ? v(...args) : v;
  };
  const { h, ltr, toAscii, ApiError } = S;
  const $ = (id) => document.getElementById(id);
  const digits = (s) => S.digitsFor(lang, s);
  const grouped = (n) => S.grouped(lang, n);
  const num = (value) => S.num(lang, value);
  const when = (jalali) => S.when(lang, jalali);
  const monthName = (m) => S.MONTHS[lang][(+m || 1) - 1] || String(m);
  const monthOf = (y, m) => monthName(m) + " " + digits(y);
  const p2 = (n) => String(n).padStart(2, "0");
  // "1395/07" -> [1395, 7]
  const parseMonth = (s) => { const m = /^(\d{4})\/(\d{1,2})$/.exec(String(s || "")); return m ? [+m[1], +m[2]] : null; };
  function monthsBetween(from, to) {
    const a = parseMonth(from), b = parseMonth(to), out = [];
    if (!a || !b) return out;
    let [y, m] = a;
    while ((y < b[0] || (y === b[0] && m <= b[1])) && out.length < 60) {
      out.push([y, m]);
      m += 1; if (m === 13) { y += 1; m = 1; }
    }
    return out;
  }
  // The days of a Jalali month: 31 in the first six, 30 in the next five, Esfand 29 or 30 (the browser's Persian calendar).
  const esfandCache = {};
  function monthLength(y, m) {
    if (m <= 6) return 31;
    if (m <= 11) return 30;
    if (esfandCache[y] === undefined) {
      esfandCache[y] = 30;  // permissive when the browser cannot tell: the service checks again
      try {
        const fmt = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", { timeZone: "UTC", month: "numeric", day: "numeric" });
        for (let d = 22; d >= 17; d--) {
          const parts = fmt.formatToParts(new Date(Date.UTC(y + 622, 2, d)));
          const get = (type) => +(parts.find((p) => p.type === type) || {}).value;
          if (get("month") === 12) { esfandCache[y] = get("day"); break; }
        }
      } catch (e) { /* keep the permissive default */ }
    }
    return esfandCache[y];
  }

  // ---------------------------------------------------------------- API
  const { api, errorText, showError, busy } = S.pageClient({
    tokenKey: TOKEN_KEY, t: (...args) => t(...args), lang: () => lang, errors: () => T[lang].errors,
    onSessionEnd: () => sessionEnded() });
  function flash(message, bad) {
    const el = $("flash");
    el.classList.toggle("bad", !!bad);
    el.textContent = message || "";
  }

  // ---------------------------------------------------------------- state and routing
  const state = { screen: null, queue: null, drafts: new Map(), report: null, reportId: null, pendingFlash: null };
  let pollTimer = null, pollStarted = 0;

  function loggedIn() { return !!sessionStorage.getItem(TOKEN_KEY); }
  function sessionEnded() {
    const had = loggedIn();
    clearSession();
    if (had) state.pendingFlash = t("sessionEnded");
    if (location.hash !== "#login") location.hash = "#login"; else route();
  }
  function clearSession() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    state.queue = null; state.report = null; state.reportId = null;
    state.drafts.clear();
    stopPolling();
  }
  function parseHash() {
    const raw = (location.hash || "").replace(/^#/, "");
    const [screen, ...rest] = raw.split("/");
    return { screen, arg: rest.length ? decodeURIComponent(rest.join("/")) : null };
  }
  function route() {
    let { screen, arg } = parseHash();
    if (!["login", "objections", "lists"].includes(screen)) screen = loggedIn() ? "objections" : "login";
    if (!loggedIn()) screen = "login";
    if (screen === "login" && loggedIn()) screen = "objections";
    const changed = state.screen !== screen;
    state.screen = screen;
    document.querySelectorAll("[data-screen]").forEach((s) => { s.hidden = s.dataset.screen !== screen; });
    document.querySelectorAll("[data-screen-link]").forEach((a) => {
      if (a.dataset.screenLink === screen) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    const inside = loggedIn();
    $("nav").hidden = !inside;
    $("logout").hidden = !inside;
    $("who").textContent = inside ? t("hello", sessionStorage.getItem(USER_KEY) || "") : "";
    if (changed) { flash(state.pendingFlash || ""); state.pendingFlash = null; }
    if (screen !== "lists") stopPolling();
    if (screen === "objections") loadQueue();
    if (screen === "lists") showListScreen(arg);
    if (changed && document.activeElement && document.activeElement !== document.body) $("main").focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", route);

  // ---------------------------------------------------------------- language
  function applyLanguage() {
    S.applyTexts(lang, t);
    if (loggedIn()) $("who").textContent = t("hello", sessionStorage.getItem(USER_KEY) || "");
    if (state.queue) renderQueue();
    if (state.report) renderReport();
  }
  $("lang-toggle").addEventListener("click", () => {
    lang = lang === "fa" ? "en" : "fa";
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage();
  });

  // ---------------------------------------------------------------- login and logout
  $("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("login-err"), button = $("login-submit");
    const username = $("login-user").value.trim(), password = $("login-pw").value;
    if (!username || !password) { showError(err, t("required")); return; }
    showError(err, null);
    busy(button, true);
    try {
      const answer = await api("POST", "/v1/staff/auth/login", { username, password }, { anonymous: true });
      sessionStorage.setItem(TOKEN_KEY, answer.token);
      sessionStorage.setItem(USER_KEY, username);
      $("login-pw").value = "";
      busy(button, false);
      if (location.hash === "#objections") route(); else location.hash = "#objections";
    } catch (e) {
      busy(button, false);
      showError(err, e, button);
      $("login-pw").focus();
    }
  });
  $("logout").addEventListener("click", async () => {
    try { await api("POST", "/v1/staff/auth/logout", undefined, {}); } catch (e) { /* leaving anyway */ }
    clearSession();
    state.pendingFlash = t("loggedOut");
    location.hash = "#login";
    route();
  });

  // ---------------------------------------------------------------- the objections queue
  async function loadQueue() {
    const err = $("queue-err");
    showError(err, null);
    if (!state.queue) $("queue").replaceChildren(h("p", { class: "loading" }, t("loading")));
    else renderQueue();
    try {
      const answer = await api("GET", "/v1/staff/objections?status=submitted");
      state.queue = answer.items || [];
      const live = new Set(state.queue.map((o) => o.tracking_no));
      for (const key of [...state.drafts.keys()]) if (!live.has(key)) state.drafts.delete(key);
      renderQueue();
    } catch (e) {
      if (!state.queue) $("queue").replaceChildren();
      if (e.status !== 401) showError(err, e);
    }
  }
  $("queue-refresh").addEventListener("click", async () => {
    const button = $("queue-refresh");
    busy(button, true);
    await loadQueue();
    busy(button, false);
  });

  // What the clerk has typed for an objection, kept across re-renders (language, refresh).
  function draftOf(o) {
    let draft = state.drafts.get(o.tracking_no);
    if (!draft) {
      const own = new Map((o.records || []).filter((r) => r.workshop_code === o.workshop_code)
        .map((r) => [r.year + "/" + r.month, r]));
      draft = {
        decision: "", reason: "",
        rows: monthsBetween(o.from, o.to).map(([y, m]) => {
          const rec = own.get(y + "/" + m);
          return { year: String(y), month: String(m), workshop_code: o.workshop_code || "",
                   days: String(rec ? rec.days : monthLength(y, m)), wage: rec ? String(rec.wage) : "" };
        }),
      };
      state.drafts.set(o.tracking_no, draft);
    }
    return draft;
  }

  function renderQueue() {
    const items = state.queue || [];
    $("queue-count").textContent = items.length ? digits(items.length) : "";
    $("queue-summary").textContent = items.length ? t("queueCount", digits(items.length)) : "";
    if (!items.length) { $("queue").replaceChildren(h("p", { class: "card empty" }, t("queueEmpty"))); return; }
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
    $("queue").replaceChildren(...items.map(objectionCard));
    if (focused) { const again = document.querySelector('[data-focus-key="' + CSS.escape(focused) + '"]'); if (again) again.focus(); }
  }

  function objectionCard(o) {
    const no = digits(o.tracking_no);
    const titleId = "obj-" + o.tracking_no;
    const draft = draftOf(o);
    const attachment = o.attachment && o.attachment.url
      ? h("a", { href: o.attachment.url, target: "_blank", rel: "noopener" }, o.attachment.filename || t("attachment")) : null;
    const fact = (label, value) => h("div", null, h("dt", null, label), h("dd", null, value));
    return h("article", { class: "card objection", "data-tracking": o.tracking_no, "data-testid": "objection", "aria-labelledby": titleId },
      h("div", { class: "obj-head" },
        h("h2", { id: titleId }, t("objection", no)),
        h("span", { class: "badge b-" + o.kind }, t("kind_" + o.kind) || o.kind)),
      h("dl", { class: "obj-facts" },
        fact(t("person"), [o.name || t("dash"), " ", h("span", { class: "sub" }, t("nationalCode") + ": ", num(o.national_code))]),
        fact(t("workshop"), num(o.workshop_code)),
        fact(t("period"), t("range", monthOfText(o.from), monthOfText(o.to))),
        fact(t("submitted"), o.submitted_at_jalali ? when(o.submitted_at_jalali) : t("dash")),
        attachment ? fact(t("attachment"), attachment) : null),
      o.description ? h("p", { class: "obj-desc", dir: "auto" }, o.description) : null,
      h("div", { class: "obj-body" },
        h("section", { "aria-label": t("onFile") }, h("h3", null, t("onFile")), recordsTable(o)),
        h("section", null, decisionForm(o, draft))));
  }
  function monthOfText(s) { const p = parseMonth(s); return p ? monthOf(p[0], p[1]) : digits(s || ""); }

  // The person's records for the objection's months, every workshop, so the clerk compares before deciding.
  function recordsTable(o) {
    const byMonth = new Map();
    for (const r of o.records || []) {
      const key = r.year + "/" + r.month;
      if (!byMonth.has(key)) byMonth.set(key, []);
      byMonth.get(key).push(r);
    }
    const rows = [];
    for (const [y, m] of monthsBetween(o.from, o.to)) {
      const recs = (byMonth.get(y + "/" + m) || []).slice().sort((a, b) => (a.workshop_code === o.workshop_code ? -1 : 0) - (b.workshop_code === o.workshop_code ? -1 : 0));
      const label = h("th", { scope: "row", rowspan: String(recs.length + (recs.some((r) => r.workshop_code === o.workshop_code) ? 0 : 1)) }, monthOf(y, m));
      let first = true;
      if (!recs.some((r) => r.workshop_code === o.workshop_code)) {
        rows.push(h("tr", { class: "gap", "data-month": y + "/" + p2(m) }, label,
          h("td", null, num(o.workshop_code), h("span", { class: "sub" }, t("noRecordHere"))),
          h("td", null, t("dash")), h("td", null, t("dash"))));
        first = false;
      }
      for (const r of recs) {
        rows.push(h("tr", { class: r.workshop_code === o.workshop_code ? "own" : null, "data-month": y + "/" + p2(m) },
          first ? label : null,
          h("td", null, num(r.workshop_code), r.workshop_name ? h("span", { class: "sub" }, r.workshop_name) : null),
          h("td", { class: "nums" }, digits(r.days)), h("td", { class: "nums" }, grouped(r.wage))));
        first = false;
      }
    }
    return h("div", { class: "tbl-wrap", role: "region", tabindex: "0", "aria-label": t("onFile") },
      h("table", { class: "tbl on-file", "data-testid": "records-on-file" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, t("colMonth")), h("th", { scope: "col" }, t("colWs")),
          h("th", { scope: "col" }, t("colDays")), h("th", { scope: "col" }, t("colWage")))),
        h("tbody", null, rows)));
  }

  const FIELDS = [["year", "colYear", "c-year"], ["month", "colMonthNo", "c-month"], ["workshop_code", "colWs", "c-ws"],
                  ["days", "colDays", "c-days"], ["wage", "colWage", "c-wage"]];

  function decisionForm(o, draft) {
    const key = o.tracking_no;
    const form = h("form", { novalidate: true, "data-testid": "decision-form" });
    const err = h("p", { class: "err", role: "alert", "aria-live": "assertive", "data-testid": "decision-error" });
    const radio = (value, label) => h("label", { class: "choice" },
      h("input", { type: "radio", name: "decision-" + key, value, checked: draft.decision === value, "data-focus-key": key + ":" + value,
        onchange: () => { draft.decision = value; update(); } }), h("span", null, label));
    const corrBox = h("div", { class: "corrections" });
    const reasonId = "reason-" + key;
    const reason = h("textarea", { id: reasonId, maxlength: "1000", required: true, "data-focus-key": key + ":reason",
      "aria-describedby": reasonId + "-hint",
      oninput: (ev) => { draft.reason = ev.target.value; ev.target.removeAttribute("aria-invalid"); } });
    reason.value = draft.reason;
    const submit = h("button", { type: "submit", "data-focus-key": key + ":submit" });
    function update() {
      corrBox.hidden = draft.decision !== "accept";
      submit.textContent = draft.decision === "accept" ? t("submitAccept") : draft.decision === "reject" ? t("submitReject") : t("submitDecision");
      submit.className = draft.decision === "reject" ? "danger" : "";
    }
    function renderRows() {
      const body = h("tbody", null, draft.rows.map((row, i) => {
        const n = digits(i + 1);
        const cells = FIELDS.map(([field, labelKey, cls]) => {
          const input = h("input", { type: "text", inputmode: "numeric", dir: "ltr", autocomplete: "off",
            "aria-label": t("rowField", t(labelKey), n), "data-field": field, "data-focus-key": key + ":" + i + ":" + field,
            oninput: (ev) => { row[field] = ev.target.value; ev.target.removeAttribute("aria-invalid"); refreshHint(); } });
          input.value = digits(row[field]);
          const hint = field === "month" ? h("span", { class: "month-name" }) : field === "wage" ? h("span", { class: "wage-words" }) : null;
          function refreshHint() {
            if (!hint) return;
            const v = toAscii(row[field]).replace(/[\s,٬]/g, "");
            hint.textContent = field === "month" ? (/^\d{1,2}$/.test(v) && +v >= 1 && +v <= 12 ? monthName(+v) : "")
              : (/^\d{4,}$/.test(v) ? grouped(v) : "");
          }
          refreshHint();
          return h("td", { class: cls, "data-label": t(labelKey) }, input, hint);
        });
        return h("tr", null, cells, h("td", { class: "c-del" },
          h("button", { type: "button", class: "secondary small", "aria-label": t("removeRowFor", n),
            onclick: () => { draft.rows.splice(i, 1); renderRows(); } }, t("removeRow"))));
      }));
      const table = h("table", { class: "tbl corr", "data-testid": "corrections" },
        h("thead", null, h("tr", null, FIELDS.map(([, labelKey, cls]) => h("th", { scope: "col", class: cls }, t(labelKey))),
          h("th", { scope: "col" }, h("span", { class: "ltr" }, "")))),
        body);
      const add = h("button", { type: "button", class: "secondary small", "data-focus-key": key + ":add",
        onclick: () => {
          const last = draft.rows[draft.rows.length - 1];
          let y = last ? +toAscii(last.year) : (parseMonth(o.from) || [1400])[0];
          let m = last ? +toAscii(last.month) + 1 : (parseMonth(o.from) || [0, 1])[1];
          if (m > 12) { m = 1; y += 1; }
          draft.rows.push({ year: String(y || ""), month: String(m || ""), workshop_code: o.workshop_code || "",
            days: y && m ? String(monthLength(y, m)) : "", wage: "" });
          renderRows();
          const inputs = corrBox.querySelectorAll('input[data-field="wage"]');
          if (inputs.length) inputs[inputs.length - 1].focus();
        } }, t("addRow"));
      corrBox.replaceChildren(h("h3", null, t("corrections")), h("p", { class: "hint" }, t("correctionsHint")),
        h("div", { class: "tbl-wrap corr-wrap" }, table), h("div", { class: "row-actions" }, add));
    }
    renderRows();
    form.append(
      h("fieldset", null, h("legend", null, t("decision")),
        h("div", { class: "choices" }, radio("accept", t("accept")), radio("reject", t("reject")))),
      corrBox,
      h("label", { for: reasonId }, t("reason"), h("span", { class: "hint", id: reasonId + "-hint" }, t("reasonHint"))),
      reason, err, h("div", { class: "row-actions" }, submit));
    update();
    form.addEventListener("submit", (ev) => { ev.preventDefault(); decide(o, draft, form, err, submit); });
    return form;
  }

  // Checks what the service would refuse, so the clerk hears it at once and nothing half-filled is sent.
  function checkDecision(o, draft, form) {
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const mark = (el) => { if (el) { el.setAttribute("aria-invalid", "true"); el.focus(); } };
    if (draft.decision !== "accept" && draft.decision !== "reject") {
      mark(form.querySelector('input[type="radio"]'));
      return { message: t("chooseDecision") };
    }
    const corrections = [];
    if (draft.decision === "accept") {
      if (!draft.rows.length) return { message: t("noRows"), focus: form.querySelector("[data-focus-key$=':add']") };
      const allowed = new Set(monthsBetween(o.from, o.to).map(([y, m]) => y + "/" + m));
      const seen = new Set();
      const inputs = form.querySelectorAll("table.corr tbody tr");
      for (let i = 0; i < draft.rows.length; i++) {
        const row = draft.rows[i], tr = inputs[i], n = digits(i + 1);
        const input = (field) => tr && tr.querySelector('[data-field="' + field + '"]');
        const value = {};
        for (const [field, labelKey] of FIELDS) {
          const raw = S.codeOnly(row[field] || "").replace(/[,٬]/g, "");
          if (!/^\d+$/.test(raw)) { mark(input(field)); return { message: t("badField", n, t(labelKey)) }; }
          value[field] = field === "workshop_code" ? raw : parseInt(raw, 10);
        }
        if (value.month < 1 || value.month > 12) { mark(input("month")); return { message: t("badField", n, t("colMonthNo")) }; }
        if (!allowed.has(value.year + "/" + value.month)) { mark(input("month")); return { message: t("outOfRange", n) }; }
        if (value.workshop_code !== o.workshop_code) { mark(input("workshop_code")); return { message: t("wrongWorkshop", n) }; }
        const max = monthLength(value.year, value.month);
        if (value.days < 1 || value.days > max) { mark(input("days")); return { message: t("badDays", n, digits(max)) }; }
        if (seen.has(value.year + "/" + value.month)) { mark(input("month")); return { message: t("duplicateMonth", n) }; }
        seen.add(value.year + "/" + value.month);
        corrections.push(value);
      }
    }
    const reason = (draft.reason || "").trim();
    if (!reason) { mark(form.querySelector("textarea")); return { message: t("reasonRequired") }; }
    return { body: { decision: draft.decision, reason, corrections } };
  }

  async function decide(o, draft, form, err, submit) {
    showError(err, null);
    const checked = checkDecision(o, draft, form);
    if (checked.message) { showError(err, checked.message); if (checked.focus) checked.focus.focus(); return; }
    busy(submit, true);
    try {
      const answer = await api("POST", "/v1/staff/objections/" + encodeURIComponent(o.tracking_no) + "/decision", checked.body);
      const accepted = (answer && answer.status) === "accepted" || (!answer && draft.decision === "accept");
      dropFromQueue(o.tracking_no);
      flash(t(accepted ? "decidedAccepted" : "decidedRejected", digits(o.tracking_no)));
      $("obj-title").focus();
    } catch (e) {
      busy(submit, false);
      if (e.status === 401) return;
      if (e.code === "already_decided" || e.status === 404) {  // decided elsewhere meanwhile: it leaves the queue
        dropFromQueue(o.tracking_no);
        flash(t("goneAlready", digits(o.tracking_no), errorText(e)), true);
        $("obj-title").focus();
        return;
      }
      showError(err, e, submit);
    }
  }
  function dropFromQueue(trackingNo) {
    state.queue = (state.queue || []).filter((x) => x.tracking_no !== trackingNo);
    state.drafts.delete(trackingNo);
    renderQueue();
  }

  // ---------------------------------------------------------------- employers' lists
  function showListScreen(id) {
    if (!id) {
      stopPolling();
      state.report = null; state.reportId = null;
      $("report").hidden = true;
      $("report").replaceChildren();
      showError($("report-err"), null);
      return;
    }
    if (state.reportId !== id) {
      stopPolling();
      state.reportId = id;
      state.report = null;
      $("report").hidden = false;
      $("report").replaceChildren(h("p", { class: "loading" }, t("loading")));
      pollStarted = Date.now();
      poll();
    }
  }
  function stopPolling() { if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; } }
  async function poll() {
    pollTimer = null;
    const id = state.reportId;
    if (!id || state.screen !== "lists") return;
    try {
      const report = await api("GET", "/v1/staff/lists/" + encodeURIComponent(id));
      if (state.reportId !== id) return;
      showError($("report-err"), null);
      const first = !state.report;
      state.report = report;
      renderReport();
      if (first && FINAL.includes(report.status)) $("report").focus({ preventScroll: false });
      if (!FINAL.includes(report.status)) schedulePoll();
      else if (!first) $("report").focus({ preventScroll: false });
      if (FINAL.includes(report.status)) $("upload-progress").textContent = "";
    } catch (e) {
      if (state.reportId !== id || e.status === 401) return;
      showError($("report-err"), e);
      if (!state.report) { $("report").hidden = true; }
      if (e.status === 0 || e.status >= 500) schedulePoll();  // a passing outage: keep asking
    }
  }
  function schedulePoll() {
    stopPolling();
    if (Date.now() - pollStarted > 5 * 60 * 1000) { renderReport(true); return; }  // stop after five minutes; a button asks again
    pollTimer = setTimeout(poll, POLL_MS);
  }

  function chosenFiles() {
    const files = Array.from($("list-file").files || []);
    if (!files.length) return { error: t("chooseFile") };
    const names = files.map((f) => f.name.toUpperCase());
    let ok = false;
    if (files.length === 1) ok = /\.(ZIP|CSV|TXT)$/.test(names[0]);
    else if (files.length === 2) ok = names.includes("DSKKAR00.DBF") && names.includes("DSKWOR00.DBF");
    if (!ok) return { error: t("wrongFiles") };
    for (const f of files) {
      if (f.size > MAX_LIST_BYTES) return { error: t("tooLarge", f.name) };
      if (!f.size) return { error: t("emptyFile", f.name) };
    }
    return { files };
  }
  function showChosen() {
    const files = Array.from($("list-file").files || []);
    const names = $("file-names");
    if (!files.length) { names.dataset.t = "noFile"; names.textContent = t("noFile"); return; }
    delete names.dataset.t;
    names.replaceChildren(...files.map((f, i) => [i ? "، " : "", ltr(f.name), " (", digits(sizeText(f.size)), ")"]).flat());
  }
  const sizeText = (bytes) => bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  $("list-file").addEventListener("change", () => { showError($("upload-err"), null); $("list-file").removeAttribute("aria-invalid"); showChosen(); });
  $("upload-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("upload-err"), button = $("upload-submit"), progress = $("upload-progress");
    showError(err, null);
    const chosen = chosenFiles();
    if (chosen.error) { showError(err, chosen.error); $("list-file").setAttribute("aria-invalid", "true"); $("list-file").focus(); return; }
    const files = chosen.files;
    busy(button, true);
    progress.textContent = t("asking");
    try {
      const body = files.length === 1 ? { filename: files[0].name, size: files[0].size }
        : { files: files.map((f) => ({ filename: f.name, size: f.size })) };
      const answer = await api("POST", "/v1/staff/lists", body);
      const uploads = answer.uploads && answer.uploads.length ? answer.uploads
        : [{ filename: files[0].name, upload_url: answer.upload_url, content_type: answer.content_type }];
      for (const file of files) {
        const target = uploads.find((u) => String(u.filename || "").toUpperCase() === file.name.toUpperCase())
          || (files.length === 1 ? uploads[0] : null);
        if (!target || !target.upload_url) throw new ApiError(0, "upload", t("uploadFailed", file.name, "no upload address"));
        progress.textContent = t("uploading", file.name);
        await putFile(file, target);
      }
      progress.textContent = t("waiting");
      $("list-file").value = "";
      showChosen();
      busy(button, false);
      location.hash = "#lists/" + encodeURIComponent(answer.list_id);
    } catch (e) {
      busy(button, false);
      progress.textContent = "";
      if (e.status !== 401) showError(err, e, button);
    }
  });
  async function putFile(file, target) {
    const headers = {};
    if (target.content_type) headers["Content-Type"] = target.content_type;
    let res;
    try {
      res = await fetch(target.upload_url, { method: "PUT", headers, body: file, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" });
    } catch (e) {
      throw new ApiError(0, "upload", t("uploadFailed", file.name, lang === "fa" ? "خطای شبکه" : "network error"));
    }
    if (!res.ok) throw new ApiError(res.status, "upload", t("uploadFailed", file.name, "HTTP " + res.status));
  }

  const TOTAL_KEYS = ["rows", "days", "daily_wage", "monthly_wage", "benefits", "insurable_total", "grand_total",
                      "employee_share", "employer_share", "unemployment"];
  // A reason or finding in words: the page's label for a known code, else the service's message.
  function reasonText(code, message, messageFa) {
    const label = (T[lang].reasons || {})[code];
    if (label) return label;
    return (lang === "fa" && messageFa) || message || code;
  }
  function issueItem(issue) {
    const label = reasonText(issue.code, issue.message, issue.message_fa);
    const detail = lang === "fa" ? issue.message_fa : issue.message;
    return h("li", { "data-code": issue.code }, label,
      detail && detail !== label ? h("span", { class: "sub", lang: lang === "fa" && issue.message_fa ? "fa" : "en" }, detail) : null);
  }

  function renderReport(gaveUp) {
    const r = state.report;
    const box = $("report");
    if (!r) { if (gaveUp) box.replaceChildren(stillWaiting()); return; }
    box.hidden = false;
    const status = r.status || "received";
    const working = !FINAL.includes(status);
    const accepted = r.accepted || [], rejected = r.rejected || [];
    const ws = r.workshop || {};
    const fact = (label, value) => h("div", null, h("dt", null, label), h("dd", null, value));
    const rowsAll = r.totals && r.totals.all && r.totals.all.rows !== undefined ? r.totals.all.rows : accepted.length + rejected.length;
    const parts = [
      h("div", { class: "report-head" },
        h("h2", { id: "report-title" }, t("reportTitle")),
        h("span", { class: "badge b-" + status, "data-testid": "list-status", "data-status": status }, t("st_" + status) || status)),
      h("dl", { class: "facts" },
        fact(t("fileName"), r.filename ? ltr(r.filename) : t("dash")),
        fact(t("listWorkshop"), ws.code || ws.name ? [ws.name || "", ws.name && ws.code ? " " : "", ws.code ? num(ws.code) : ""] : t("dash")),
        fact(t("listPeriod"), r.year && r.month ? monthOf(r.year, r.month) : t("dash")),
        !working ? fact(t("rowsCount"), [grouped(rowsAll), " — ", t("rowsSplit", grouped(accepted.length), grouped(rejected.length))]) : null,
        fact(t("listId"), ltr(r.list_id || state.reportId || ""))),
    ];
    if (working) {
      parts.push(gaveUp ? stillWaiting() : h("p", { class: "progress", "aria-live": "polite" }, t("stillWorking")));
      box.replaceChildren(...parts);
      return;
    }
    if ((r.errors || []).length) parts.push(h("div", { class: "issues-box errors", "data-testid": "list-errors" },
      h("h3", null, t("listErrors")), h("ul", { class: "issues" }, r.errors.map(issueItem))));
    if ((r.warnings || []).length) parts.push(h("div", { class: "issues-box warnings", "data-testid": "list-warnings" },
      h("h3", null, t("listWarnings")), h("ul", { class: "issues" }, r.warnings.map(issueItem))));
    if (r.totals && (r.totals.all || r.totals.accepted)) parts.push(totalsTable(r.totals));
    parts.push(h("h3", null, t("rejectedRows", digits(rejected.length))));
    parts.push(rejected.length ? rejectedTable(rejected) : h("p", { class: "note" }, t("noRejected")));
    if (accepted.length) parts.push(acceptedBlock(accepted));
    box.replaceChildren(...parts);
  }
  function stillWaiting() {
    return h("p", { class: "progress" }, t("stillWaiting"), " ",
      h("button", { type: "button", class: "secondary small", onclick: () => { pollStarted = Date.now(); poll(); } }, t("checkAgain")));
  }
  function totalsTable(totals) {
    const all = totals.all || {}, acc = totals.accepted || {};
    const cell = (v) => h("td", { class: "nums" }, v === undefined || v === null ? t("dash") : grouped(v));
    return h("div", null, h("h3", null, t("totals")),
      h("div", { class: "tbl-wrap", role: "region", tabindex: "0", "aria-label": t("totals") },
        h("table", { class: "tbl compact", "data-testid": "list-totals" },
          h("thead", null, h("tr", null, h("th", { scope: "col", class: "name" }, ""), h("th", { scope: "col" }, t("totalsAll")),
            h("th", { scope: "col" }, t("totalsAccepted")))),
          h("tbody", null, TOTAL_KEYS.filter((k) => all[k] !== undefined || acc[k] !== undefined).map((k) =>
            h("tr", { "data-key": k }, h("th", { scope: "row", class: "name" }, t("tot_" + k)), cell(all[k]), cell(acc[k])))))),
      h("p", { class: "note" }, t("amountsRial")));
  }
  function rejectedTable(rows) {
    return h("div", { class: "tbl-wrap", role: "region", tabindex: "0", "aria-label": t("rejectedRows", digits(rows.length)) },
      h("table", { class: "tbl compact", "data-testid": "rejected-rows" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, t("colRow")), h("th", { scope: "col" }, t("colNC")),
          h("th", { scope: "col", class: "name ph-hide" }, t("colName")), h("th", { scope: "col", class: "name" }, t("colReasons")))),
        h("tbody", null, rows.map((row) => h("tr", { "data-row": row.row },
          h("th", { scope: "row", class: "nums" }, digits(row.row)),
          h("td", null, row.national_code ? num(row.national_code) : t("dash"), row.name ? h("span", { class: "sub ph-only" }, row.name) : null),
          h("td", { class: "name ph-hide" }, row.name || ""),
          h("td", { class: "name" }, h("ul", { class: "reasons" }, (row.reasons || []).map((code, i) =>
            h("li", { "data-code": code }, reasonText(code, (row.messages || [])[i], (row.messages_fa || [])[i]))))))))));
  }
  function acceptedBlock(rows) {
    const details = h("details", { class: "accepted", "data-testid": "accepted-rows" },
      h("summary", null, t("acceptedRows", grouped(rows.length))));
    // drawn when opened: a list can hold thousands of rows
    details.addEventListener("toggle", () => {
      if (!details.open || details.dataset.drawn) return;
      details.dataset.drawn = "1";
      const shown = rows.slice(0, ACCEPTED_SHOWN);
      const insurable = shown.some((r) => r.insurable_total !== undefined);
      details.append(...[
        rows.length > ACCEPTED_SHOWN ? h("p", { class: "note", "data-testid": "accepted-note" }, t("acceptedNote", grouped(ACCEPTED_SHOWN), grouped(rows.length))) : null,
        h("div", { class: "tbl-wrap" }, h("table", { class: "tbl compact" },
          h("thead", null, h("tr", null, h("th", { scope: "col" }, t("colRow")), h("th", { scope: "col" }, t("colNC")),
            h("th", { scope: "col", class: "name ph-hide" }, t("colName")), h("th", { scope: "col" }, t("colDays")),
            h("th", { scope: "col" }, t("colWage")), insurable ? h("th", { scope: "col" }, t("colInsurable")) : null)),
          h("tbody", null, shown.map((row) => h("tr", null,
            h("th", { scope: "row", class: "nums" }, digits(row.row)),
            h("td", null, num(row.national_code || ""), row.name ? h("span", { class: "sub ph-only" }, row.name) : null),
            h("td", { class: "name ph-hide" }, row.name || ""), h("td", { class: "nums" }, digits(row.days)),
            h("td", { class: "nums" }, grouped(row.wage !== undefined ? row.wage : row.monthly_wage)),
            insurable ? h("td", { class: "nums" }, grouped(row.insurable_total)) : null)))))].filter(Boolean));
    });
    return details;
  }

  // ---------------------------------------------------------------- start
  applyLanguage();
  route();
})();
