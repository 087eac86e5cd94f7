// The insured portal's script (portal.html), after /assets/common.js.
"use strict";
(function () {
  const S = window.Sabeghe;
  const TOKEN_KEY = "sabeghe.token";
  const DEVICE_KEY = "sabeghe.device.";  // + national code: this browser's proof that it logged in before
  const NAME_KEY = "sabeghe.name";
  // The institution inquiry panel's address, shown with each passcode: the page's <meta name="sabeghe-inquiry">.
  const INQUIRY_URL = ((document.querySelector('meta[name="sabeghe-inquiry"]') || {}).content || "").trim() || "http://127.0.0.1:8001";
  const LANG_KEY = "sabeghe.lang";
  const RETURN_KEY = "sabeghe.return"; // the screen to come back to after logging in again
  const PUBLIC_SCREENS = ["login", "register", "activate", "forgot"];
  const PRIVATE_SCREENS = ["records", "statement", "inbox", "objection", "objections", "activity", "profile"];
  // the screen whose tab is marked current (the objection form belongs to "My objections")
  const TAB_OF = { objection: "objections" };

  // ---------------------------------------------------------------- texts
  const plural = (n, one, many) => n + " " + (String(n) === "1" ? one : many);
  const T = {
    fa: {
      title: "سابقه — سامانه اعلام سابقه به موسسات", langToggle: "English", langToggleLabel: "Switch to English",
      skip: "پرش به محتوای اصلی", brand: "سابقه", brandSub: "سامانه اعلام سابقه بیمه‌شدگان به موسسات", logout: "خروج",
      navLabel: "بخش‌های سامانه", navRecords: "سوابق من", navStatement: "اعلام سابقه به موسسات", navInbox: "صندوق شخصی من", navObjections: "اعتراض‌های من", navActivity: "تامین اجتماعی من",
      loginTitle: "ورود به سامانه", loginLead: "کد ملی خود را به‌عنوان نام کاربری و گذرواژه حساب کاربری را وارد کنید.",
      nationalCode: "کد ملی", password: "گذرواژه", password2: "تکرار گذرواژه", loginBtn: "ورود", noAccount: "حساب کاربری ندارید؟",
      registerLink: "ثبت نام", activateLink: "پیگیری ثبت نام (فعال‌سازی)", registerTitle: "ثبت نام بیمه‌شده",
      registerLead: "پس از ثبت نام، یک کد ۶ رقمی به شماره موبایل شما پیامک می‌شود.", mobile: "شماره موبایل", mobileHint: "مانند ۰۹۱۲۱۲۳۴۵۶۷",
      birthDate: "تاریخ تولد (شمسی)", birthHint: "مانند ۱۳۶۲/۰۴/۱۲", ruleLen: "دست‌کم ۱۰ نویسه",
      ruleMix: "دست‌کم سه نوع از: حرف کوچک، حرف بزرگ، رقم، نماد", registerBtn: "ثبت نام و دریافت کد", backToLogin: "بازگشت به ورود",
      activateTitle: "فعال‌سازی حساب کاربری", activateLead: "کد ۶ رقمی پیامک‌شده به موبایل خود را وارد کنید. این کد تا ۵ دقیقه معتبر است.",
      otp: "کد فعال‌سازی", activateBtn: "فعال‌سازی", registerAgain: "دریافت دوباره کد (ثبت نام دوباره)",
      recordsTitle: "سوابق من", objectionBtn: "اعتراض به سوابق", objectionNote: "اگر ماهی از کارتان ثبت نشده یا روزها یا دستمزد آن کمتر از واقع است، اعتراض ثبت کنید.",
      toStatement: "اعلام سابقه به موسسات", historyTitle: "سوابق به تفکیک سال و کارگاه", yearsTitle: "روزهای قابل احتساب هر سال",
      wagesTitle: "دستمزد ماهانه", year: "سال", rialNote: "مبالغ به ریال است.",
      statementTitle: "اعلام سابقه به موسسات", statementLead: "پیش از درخواست، سوابق خود را در بخش «سوابق من» بررسی کنید و از درستی آن مطمئن شوید.",
      kindLegend: "نوع درخواست", kind_summary: "خلاصه سوابق و جمع کل", kind_wages: "روزها و دستمزد ماهانه", kind_combined: "سوابق کامل با دستمزد ماهانه",
      kindHint_summary: "روزهای بیمه هر سال در هر کارگاه، با جمع کل سابقه؛ بدون دستمزد", kindHint_wages: "روزها و دستمزد هر ماه به تفکیک کارگاه",
      kindHint_combined: "روزهای هر سال و کارگاه، جمع کل سابقه و دستمزد همه ماه‌ها",
      languageLegend: "زبان گواهی", language_fa: "فارسی", language_en: "انگلیسی (برای سفارت‌ها)",
      languageHint_fa: "راست به چپ، با ارقام فارسی و تاریخ شمسی", languageHint_en: "با تاریخ میلادی در کنار تاریخ شمسی و نام‌ها به حروف لاتین",
      inEnglish: "به انگلیسی", agreementTitle: "موافقت‌نامه", agreeSend: "موافقم و ارسال به صندوق شخصی",
      agreementHtml: "<p>در حال دریافت متن موافقت‌نامه…</p>",
      inboxTitle: "صندوق شخصی من",
      inboxLead: "درخواست‌های اعلام سابقه شما. برای دیدن سند، صدور کد رمز استعلام برای موسسات یا حذف درخواست از دکمه «عملیات» استفاده کنید.",
      more: "بیشتر", activityTitle: "تامین اجتماعی من",
      activityLead: "همه تعاملات شما با سامانه، از جدیدترین. هر بار که موسسه‌ای سوابق شما را با کد رمز ببیند، اینجا با رنگ متمایز نشان داده می‌شود.",
      footer: "سابقه — نمونه‌سازی خدمت «اعلام سابقه به موسسات» سازمان تامین اجتماعی",
      permitTitle: "مجوز استعلام", close: "بستن", permitsIssued: "مجوزهای صادرشده", validityLegend: "مدت اعتبار دسترسی به سابقه",
      validity_day: "یک روز", validity_week: "یک هفته", validity_month: "یک ماه", validity_month_rec: "یک ماه (پیشنهادی)", validity_year: "یک سال",
      issuePermit: "صدور مجوز استعلام", cancel: "انصراف",
      forgotLink: "گذرواژه را فراموش کرده‌اید؟", forgotTitle: "بازیابی گذرواژه",
      forgotLead: "کد ملی و شماره موبایلی را که به نام خودتان است و در حساب کاربری ثبت کرده‌اید وارد کنید. اگر با حساب شما بخواند، یک کد ۶ رقمی به همان موبایل پیامک می‌شود.",
      forgotSend: "دریافت کد بازیابی", forgotSent: "اگر کد ملی و شماره موبایل با یک حساب کاربری بخواند، کد بازیابی تا چند لحظه دیگر پیامک می‌شود. کد و گذرواژه تازه را اینجا وارد کنید.",
      resetOtp: "کد پیامک‌شده", newPassword: "گذرواژه تازه", newPassword2: "تکرار گذرواژه تازه", resetBtn: "ثبت گذرواژه تازه",
      resetDone: "گذرواژه شما تغییر کرد و همه نشست‌های پیشین پایان یافت. اکنون با گذرواژه تازه وارد شوید.",
      guideTitle: "برای ثبت نام چه لازم است؟", guideNc: "کد ملی خودتان (نام کاربری شما می‌شود)",
      guideBirth: "تاریخ تولد شمسی، همان که در شناسنامه و سازمان ثبت است", guideMobile: "یک شماره موبایل به نام خودتان؛ کد فعال‌سازی فقط به موبایلی فرستاده می‌شود که به نام شماست",
      guideSteps: "فرم را پر کنید، کد ۶ رقمی پیامک‌شده را در «فعال‌سازی» وارد کنید و سپس با کد ملی و گذرواژه وارد شوید.",
      passcodePanel: "نشانی پنل استعلام موسسات:", print: "چاپ کد رمز", share: "ارسال کد رمز…",
      shareText: (code, url) => "کد رمز استعلام سوابق: " + code + "\nپنل استعلام: " + url, shareFailed: "ارسال نشد؛ کد را یادداشت یا چاپ کنید.",
      printInbox: "چاپ فهرست درخواست‌ها", noDays: "بدون روز کارکرد",
      navProfile: "حساب کاربری من", profileTitle: "حساب کاربری من", changePwTitle: "تغییر گذرواژه", currentPassword: "گذرواژه کنونی",
      changePwBtn: "تغییر گذرواژه", pwChanged: "گذرواژه شما تغییر کرد؛ نشست‌های دیگر شما پایان یافت.",
      profileMobileNote: "شماره موبایل همان است که در ثبت نام وارد کرده‌اید؛ کدهای پیامکی فقط به آن فرستاده می‌شود.",
      p_name: "نام", p_national_code: "کد ملی", p_insurance_no: "شماره بیمه", p_mobile: "موبایل", p_email: "ایمیل", loggedOutElsewhere: "در زبانه یا پنجره‌ای دیگر از سامانه خارج شدید؛ برای ادامه دوباره وارد شوید.",
      // dynamic
      hello: (name) => "کاربر: " + name,
      span: (y, m, d) => y + " سال، " + m + " ماه و " + d + " روز",
      creditedLabel: "سابقه قابل احتساب", creditedDays: (d) => "جمع روزهای قابل احتساب: " + d + " روز",
      reported: (r, o) => "روزهای گزارش‌شده کارگاه‌ها: " + r + " روز؛ " + o + " روز هم‌پوشانی (ماه‌هایی که بیش از یک کارگاه گزارش کرده‌اند) یک بار حساب شده است.",
      ruleText: (y, m) => "در محاسبه، هر سال " + y + " روز و هر ماه " + m + " روز حساب شده است.",
      colYear: "سال", colWsCode: "کد کارگاه", colWsName: "نام کارگاه", colDays: "روزها", colMonth: "ماه", colCredited: "روزهای قابل احتساب",
      totalCredited: "جمع روزهای قابل احتساب (هم‌پوشانی یک بار شمرده شده)", colWage: "دستمزد (ریال)", colInsurable: "دستمزد مشمول (ریال)", colWorkshops: "کارگاه‌ها", total: "جمع", daysUnit: "روز", job: "شغل",
      noRecords: "سابقه‌ای ثبت نشده است.", noWages: "برای این سال دستمزدی ثبت نشده است.", loading: "در حال بارگذاری…",
      colTracking: "شماره پیگیری", colSent: "تاریخ ارسال", colSystem: "سیستم", colSubject: "موضوع", colNC: "کد ملی", colMobile: "موبایل",
      colEmail: "ایمیل", colViewed: "تاریخ مشاهده", colUntil: "قابل استعلام تا", colStatus: "وضعیت", colOps: "عملیات",
      none: "ندارد", dash: "—", ops: "عملیات", opsFor: (no) => "عملیات درخواست " + no,
      opView: "رویت مکاتبه", opPermit: "صدور مجوز استعلام", opPermits: (n) => "مجوزهای استعلام (" + n + ")", opMailbox: "اتصال به ایران پوشه / ارسال به صندوق الکترونیکی ملی", opDelete: "حذف",
      st_pending: "در حال آماده‌سازی", st_ready: "آماده", st_failed: "ناموفق",
      pm_active: "فعال", pm_revoked: "لغو شده", pm_expired: "منقضی شده",
      mb_none: "ارسال نشده", mb_queued: "در صف ارسال به صندوق ملی", mb_delivered: "تحویل به صندوق ملی", mb_retrying: "تلاش دوباره برای ارسال به صندوق ملی", mb_failed: "ارسال به صندوق ملی ناموفق",
      activePermits: (n) => n + " مجوز فعال",
      inboxEmpty: "هنوز درخواستی ندارید. از بخش «اعلام سابقه به موسسات» درخواست دهید.",
      statementDone: (no) => "درخواست شما با شماره پیگیری " + no + " ثبت شد و به صندوق شخصی شما ارسال شد. آماده شدن سند چند ثانیه طول می‌کشد.",
      goInbox: "رفتن به صندوق شخصی من", newRequest: "درخواست دیگر",
      permitFor: (no, subj) => "درخواست " + no + " — " + subj,
      noPermits: "هنوز مجوزی صادر نشده است.",
      permitLine: (v, issued, until) => "اعتبار " + v + "، صادرشده " + issued + "، تا " + until,
      permitLabel: "برای چه کسی؟ (اختیاری)", lastSeenWith: (browser) => "آخرین مشاهده با " + browser,
      permitLabelHint: "مثلاً «بانک ملی، وام»: در صندوق، «تامین اجتماعی من» و پیامک نخستین مشاهده همین نام را می‌بینید.",
      d_label: "برای", d_browser: "مرورگر",
      views: (n, first) => n ? ("مشاهده: " + n + " بار" + (first ? "، نخستین بار " + first : "")) : "هنوز مشاهده نشده",
      revoke: "لغو مجوز", revokeTitle: "لغو مجوز استعلام",
      revokeText: "پس از لغو، هیچ موسسه‌ای با این کد رمز نمی‌تواند سوابق شما را ببیند. لغو شود؟", revokeYes: "بله، لغو شود",
      revoked: "مجوز لغو شد.",
      passcodeTitle: "کد رمز استعلام", passcodeUntil: (d) => "معتبر تا " + d,
      passcodeHow: "موسسه باید کد ملی شما و این کد رمز را در «پنل دستگاه‌های دولتی و مراجع استعلام رسمی» وارد کند.",
      passcodeWarn: "این کد رمز فقط همین یک بار نمایش داده می‌شود و دوباره قابل دیدن نیست. آن را یادداشت کنید و فقط به موسسه مورد نظر بدهید.",
      copy: "کپی کد رمز", copied: "کد رمز کپی شد.", copyFailed: "کپی نشد؛ کد را یادداشت کنید.",
      deleteTitle: "حذف درخواست", deleteText: (no) => "درخواست " + no + " همراه با سند و همه مجوزهای آن حذف می‌شود و موسسات دیگر نمی‌توانند آن را ببینند. حذف شود؟",
      deleteYes: "بله، حذف شود", deleted: (no) => "درخواست " + no + " حذف شد.",
      mailboxSent: "درخواست ارسال به صندوق الکترونیکی ملی ثبت شد.",
      popupBlocked: "مرورگر پنجره جدید را باز نکرد. برای دیدن سند اینجا را بزنید: ", openDoc: "باز کردن سند",
      timelineEmpty: "هنوز فعالیتی ثبت نشده است.",
      d_client_ip: "نشانی اینترنتی", d_user_agent: "مرورگر", d_permit_id: "شناسه مجوز", d_tracking_no: "شماره پیگیری",
      d_kind: "نوع", d_validity: "اعتبار", d_reason: "دلیل", d_status: "وضعیت", d_identifier: "شناسه", d_failures: "تعداد تلاش ناموفق",
      d_attempts: "تعداد تلاش", d_document_id: "شناسه سند", d_permits_revoked: "مجوزهای لغوشده", d_reference: "شناسه تحویل",
      d_expires_at: "معتبر تا", d_issued_at: "زمان صدور",
      instView: "مشاهده به‌وسیله موسسه", instBadge: "استعلام موسسه",
      loggedOut: "از سامانه خارج شدید.", sessionEnded: "نشست شما پایان یافته است؛ لطفاً دوباره وارد شوید.",
      registered: "کد فعال‌سازی به موبایل شما پیامک شد.", activated: "حساب شما فعال شد. اکنون وارد شوید.",
      network: "ارتباط با سامانه برقرار نشد. اتصال خود را بررسی و دوباره تلاش کنید.",
      throttled: (s) => "تعداد تلاش‌ها بیش از حد مجاز بود. لطفاً " + s + " ثانیه دیگر دوباره تلاش کنید.",
      required: "همه خانه‌ها را پر کنید.", pwMismatch: "گذرواژه و تکرار آن یکسان نیستند.",
      pwWeak: "گذرواژه باید دست‌کم ۱۰ نویسه و از سه نوع حرف کوچک، حرف بزرگ، رقم و نماد باشد.",
      ncFormat: "کد ملی باید ۱۰ رقم باشد.", otpFormat: "کد فعال‌سازی ۶ رقم است.",
      kindOf: { summary: "خلاصه سوابق و جمع کل", wages: "روزها و دستمزد ماهانه", combined: "سوابق کامل با دستمزد ماهانه" },
      // objections
      objectionTitle: "ثبت اعتراض به سوابق",
      objectionLead: "اگر در ماهی کار کرده‌اید که در سوابق شما نیست، یا روزهای کارکرد یا دستمزد آن کمتر از واقع ثبت شده است، اعتراض خود را اینجا ثبت کنید. کارشناسان سازمان آن را بررسی می‌کنند و نتیجه با پیامک و در «اعتراض‌های من» به شما اعلام می‌شود.",
      objKindLegend: "نوع اعتراض", objKind_missing: "عدم درج سابقه (ماه ثبت‌نشده)",
      objKindHint_missing: "در این ماه‌ها کار کرده‌ام، اما سابقه‌ای از این کارگاه برایم ثبت نشده است.",
      objKind_deficient: "کسری روز کارکرد یا دستمزد", objKindHint_deficient: "ماه ثبت شده است، اما روزهای کارکرد یا دستمزد آن کمتر از واقع است.",
      objWorkshop: "کارگاه", objWorkshopHint: "کارگاهی که در آن ماه‌ها در آن کار کرده‌اید", objCode: "کد کارگاه",
      objCodeHint: "۱۰ رقم؛ از فیش حقوقی یا از کارفرما بپرسید", objMonthsLegend: "ماه‌های مورد اعتراض",
      objMonthsHint: "برای یک ماه، شروع و پایان را یکسان انتخاب کنید. هر اعتراض حداکثر ۲۴ ماه.",
      objFromYear: "سال شروع", objFromMonth: "ماه شروع", objToYear: "سال پایان", objToMonth: "ماه پایان",
      objDescription: "شرح اعتراض", objDescriptionHint: "چه چیزی در سوابق نادرست است؛ مثلاً روزهای کارکرد یا دستمزد واقعی هر ماه",
      chooseFile: "انتخاب فایل…", noFile: "فایلی انتخاب نشده است.",
      objFile: "مدرک پیوست (اختیاری)", objFileHint: "فیش حقوقی، قرارداد یا حکم کارگزینی؛ فایل PDF، JPEG یا PNG تا ۵ مگابایت",
      objSubmit: "ثبت اعتراض", objectionsTitle: "اعتراض‌های من",
      objectionsLead: "اعتراض‌هایی که به سوابق خود ثبت کرده‌اید و نتیجه رسیدگی به آن‌ها. نتیجه هر اعتراض با پیامک هم به شما اعلام می‌شود.",
      objNew: "ثبت اعتراض جدید",
      objChooseWorkshop: "کارگاه را انتخاب کنید", objOtherWorkshop: "کارگاه دیگر (وارد کردن کد کارگاه)",
      pickYear: "سال…", pickMonth: "ماه…", monthOption: (n, name) => name + " (" + n + ")",
      charCount: (n, max) => n + " از " + max + " نویسه",
      e_kind: "نوع اعتراض را انتخاب کنید.", e_workshop: "کارگاه را انتخاب کنید.", e_code: "کد کارگاه باید ۱۰ رقم باشد.",
      e_from: "سال و ماه شروع را انتخاب کنید.", e_to: "سال و ماه پایان را انتخاب کنید.",
      e_order: "ماه پایان نمی‌تواند پیش از ماه شروع باشد.",
      e_future: (m) => "ماه پایان نمی‌تواند پس از ماه جاری (" + m + ") باشد.",
      e_span: (n) => "هر اعتراض حداکثر " + n + " ماه را در بر می‌گیرد؛ برای ماه‌های دیگر اعتراض جداگانه ثبت کنید.",
      e_desc: "شرح اعتراض را بنویسید تا کارشناس بداند چه چیزی نادرست است.",
      e_fileType: (name) => "فایل «" + name + "» پذیرفته نیست: پیوست باید PDF، JPEG یا PNG باشد.",
      e_fileSize: (name, mb) => "حجم فایل «" + name + "» " + mb + " مگابایت است؛ حداکثر ۵ مگابایت مجاز است.",
      e_fileEmpty: (name) => "فایل «" + name + "» خالی است.",
      objFiled: (no) => "اعتراض شما با شماره پیگیری " + no + " ثبت شد.",
      objFiledNext: "کارشناسان سازمان آن را بررسی می‌کنند؛ نتیجه با پیامک و در «اعتراض‌های من» اعلام می‌شود.",
      upUploading: (name) => "در حال بارگذاری پیوست «" + name + "»…", upPercent: (p) => p + "٪",
      upDone: (name) => "پیوست «" + name + "» بارگذاری شد.",
      upFailed: "بارگذاری پیوست انجام نشد. اعتراض شما ثبت شده است و از بین نمی‌رود؛ فقط پیوست آن نرسیده است.",
      upRetryUntil: (time) => "تا ساعت " + time + " می‌توانید دوباره تلاش کنید.", upRetry: "تلاش دوباره برای بارگذاری پیوست",
      upExpired: "مهلت بارگذاری پیوست به پایان رسید. اعتراض شما ثبت شده است و بدون این پیوست بررسی می‌شود.",
      upLeave: "پیوست هنوز در حال بارگذاری است.",
      objAnother: "ثبت اعتراض دیگر", objectionsEmpty: "هنوز اعتراضی ثبت نکرده‌اید.",
      os_submitted: "در حال بررسی", os_accepted: "پذیرفته شد", os_rejected: "پذیرفته نشد",
      objKindOf: { missing: "عدم درج سابقه (ماه ثبت‌نشده)", deficient: "کسری روز کارکرد یا دستمزد" },
      objHeading: (no) => "اعتراض " + no, f_kind: "نوع اعتراض", f_workshop: "کارگاه", f_months: "ماه‌ها", f_filed: "تاریخ ثبت",
      f_description: "شرح", decidedOn: "نتیجه رسیدگی در", f_reason: "دلیل",
      correctedTitle: "ماه‌های اصلاح‌شده در سوابق شما:",
      correctedLine: (m, days, wage) => m + "، " + days + " روز، دستمزد " + wage + " ریال",
      objWaiting: "در انتظار بررسی کارشناس سازمان.",
      objAcceptedNote: "سوابق شما اصلاح شد. گواهی‌هایی که پیش از این اصلاح گرفته‌اید سوابق پیشین را نشان می‌دهند؛ در صورت نیاز گواهی تازه بگیرید.",
      monthRange: (a, b) => a + " تا " + b,
      // outdated statements
      outdatedBadge: "سوابق تغییر کرده", outdatedSince: (d) => "پس از صدور این گواهی، از " + d,
      outdatedBanner: (n) => (String(n) === "۱"
        ? "سوابق شما پس از صدور یکی از گواهی‌های این صندوق تغییر کرده است. این گواهی با «سوابق تغییر کرده» مشخص شده است و سوابق کنونی شما را نشان نمی‌دهد"
        : "سوابق شما پس از صدور " + n + " گواهی از گواهی‌های این صندوق تغییر کرده است. این گواهی‌ها با «سوابق تغییر کرده» مشخص شده‌اند و سوابق کنونی شما را نشان نمی‌دهند")
        + "؛ برای ارائه به موسسات، گواهی تازه درخواست کنید.",
      opFresh: "درخواست گواهی تازه",
      freshHint: (no) => "برای جایگزینی گواهی " + no + "، گواهی تازه‌ای با سوابق کنونی درخواست کنید. پس از آماده شدن آن، می‌توانید گواهی قبلی را حذف کنید.",
      objBadge: "اعتراض", outdatedEntryBadge: "سوابق تغییر کرد",
      d_workshop_code: "کد کارگاه", d_months: "ماه‌ها", d_decision: "نتیجه", d_because: "در پی اعتراض", d_since_month: "تغییر از ماه",
      errors: {
        invalid_credentials: "کد ملی یا گذرواژه نادرست است.",
        not_activated: "حساب شما هنوز فعال نشده است؛ کد پیامک‌شده را وارد کنید.",
        identity_mismatch: "کد ملی و تاریخ تولد با مشخصات بیمه‌شده‌ای در سازمان مطابقت ندارد.",
        already_registered: "برای این کد ملی پیش‌تر حساب کاربری ساخته شده است؛ وارد شوید.",
        invalid_otp: "کد فعال‌سازی نادرست است یا منقضی شده است.",
        otp_locked: "کد نادرست بیش از حد وارد شد؛ دوباره ثبت نام کنید تا کد تازه بگیرید.",
        weak_password: "گذرواژه به اندازه کافی قوی نیست: دست‌کم ۱۰ نویسه، از سه نوع حرف کوچک، حرف بزرگ، رقم و نماد، و بدون کد ملی یا موبایل.",
        invalid_mobile: "شماره موبایل باید به شکل ۰۹xxxxxxxxx باشد.",
        invalid_jalali_date: "تاریخ باید شمسی و به شکل ۱۴۰۳/۰۵/۳۰ باشد.",
        invalid_national_code: "کد ملی معتبر نیست (۱۰ رقم با رقم کنترل درست).",
        session_ended: "نشست شما پایان یافته است؛ لطفاً دوباره وارد شوید.",
        token_expired: "نشست شما منقضی شده است؛ لطفاً دوباره وارد شوید.",
      },
    },
    en: {
      title: "Sabeghe — sharing your insurance record with institutions", langToggle: "فارسی", langToggleLabel: "نمایش به فارسی",
      skip: "Skip to main content", brand: "Sabeghe", brandSub: "Share your social-security record with institutions", logout: "Log out",
      navLabel: "Sections", navRecords: "My records", navStatement: "Share with institutions", navInbox: "My inbox", navObjections: "My objections", navActivity: "My activity",
      loginTitle: "Log in", loginLead: "Use your national code as the user name, and your account password.",
      nationalCode: "National code", password: "Password", password2: "Repeat password", loginBtn: "Log in", noAccount: "No account yet?",
      registerLink: "Register", activateLink: "Activate a registration", registerTitle: "Register as an insured person",
      registerLead: "After registering, a 6-digit code is sent to your mobile by SMS.", mobile: "Mobile number", mobileHint: "like 09121234567",
      birthDate: "Birth date (Jalali)", birthHint: "like 1362/04/12", ruleLen: "At least 10 characters",
      ruleMix: "At least three of: lower case, upper case, digit, symbol", registerBtn: "Register and get a code", backToLogin: "Back to log in",
      activateTitle: "Activate your account", activateLead: "Enter the 6-digit code sent to your mobile. It is valid for 5 minutes.",
      otp: "Activation code", activateBtn: "Activate", registerAgain: "Get a new code (register again)",
      recordsTitle: "My records", objectionBtn: "Object to my records", objectionNote: "If a month you worked is missing, or its days or wage are lower than they were, file an objection.",
      toStatement: "Share with institutions", historyTitle: "Record by year and workshop", yearsTitle: "Credited days per year",
      wagesTitle: "Monthly wages", year: "Year", rialNote: "Amounts in Rials.",
      statementTitle: "Share your record with institutions", statementLead: "Before asking, check your records under “My records” and make sure they are right.",
      kindLegend: "Kind of statement", kind_summary: "Summary of insured days with totals", kind_wages: "Monthly days and wages", kind_combined: "Full record with monthly wages",
      kindHint_summary: "Insured days per year at each workshop and the total service; no wages", kindHint_wages: "Days and wages of each month, per workshop",
      kindHint_combined: "Days per year and workshop, the total service and the wage of every month",
      languageLegend: "Language of the statement", language_fa: "Persian", language_en: "English (for embassies)",
      languageHint_fa: "Right to left, Persian digits and Jalali dates", languageHint_en: "Gregorian dates beside the Jalali ones, names in Latin letters",
      inEnglish: "In English", agreementTitle: "Agreement", agreeSend: "I agree — send to my inbox",
      agreementHtml: "<p>Loading the agreement…</p>",
      inboxTitle: "My inbox",
      inboxLead: "Your statement requests. Use “Actions” to open a statement, issue a passcode for an institution, or delete a request.",
      more: "More", activityTitle: "My activity",
      activityLead: "Everything that happened on your account, newest first. Each time an institution views your record with a passcode it is highlighted here.",
      footer: "Sabeghe — a model of the Social Security Organization's “record statement for institutions” e-service",
      permitTitle: "Inquiry permit", close: "Close", permitsIssued: "Permits issued", validityLegend: "How long the institution may view the record",
      validity_day: "One day", validity_week: "One week", validity_month: "One month", validity_month_rec: "One month (recommended)", validity_year: "One year",
      issuePermit: "Issue inquiry permit", cancel: "Cancel",
      forgotLink: "Forgot your password?", forgotTitle: "Reset your password",
      forgotLead: "Enter your national code and the mobile number in your own name that your account has. If they match, a 6-digit code is sent to that mobile.",
      forgotSend: "Send me a reset code", forgotSent: "If the national code and mobile match an account, a reset code is on its way by SMS. Enter it here with your new password.",
      resetOtp: "Code from the SMS", newPassword: "New password", newPassword2: "Repeat the new password", resetBtn: "Set the new password",
      resetDone: "Your password was changed and every earlier session ended. Log in with the new password.",
      guideTitle: "What you need to register", guideNc: "Your national code (it becomes your user name)",
      guideBirth: "Your birth date in the Jalali calendar, as on your birth certificate", guideMobile: "A mobile number in your own name: the activation code is only sent to a line registered to you",
      guideSteps: "Fill in the form, enter the 6-digit code from the SMS under “Activate”, then log in with your national code and password.",
      passcodePanel: "Institution inquiry panel:", print: "Print passcode", share: "Share passcode…",
      shareText: (code, url) => "Record inquiry passcode: " + code + "\nInquiry panel: " + url, shareFailed: "Not shared; write the passcode down or print it.",
      printInbox: "Print the list of requests", noDays: "no days",
      navProfile: "My account", profileTitle: "My account", changePwTitle: "Change password", currentPassword: "Current password",
      changePwBtn: "Change password", pwChanged: "Your password was changed; your other sessions ended.",
      profileMobileNote: "This is the mobile you registered with; SMS codes are only sent to it.",
      p_name: "Name", p_national_code: "National code", p_insurance_no: "Insurance no.", p_mobile: "Mobile", p_email: "E-mail", loggedOutElsewhere: "You logged out in another tab or window; log in again to go on.",
      hello: (name) => name,
      span: (y, m, d) => plural(y, "year", "years") + ", " + plural(m, "month", "months") + " and " + plural(d, "day", "days"),
      creditedLabel: "Credited service", creditedDays: (d) => "Credited days in total: " + d,
      reported: (r, o) => "Days reported by workshops: " + r + "; " + o + " overlapping days (months reported by more than one workshop) are counted once.",
      ruleText: (y, m) => "A year counts as " + y + " days and a month as " + m + " days.",
      colYear: "Year", colWsCode: "Workshop code", colWsName: "Workshop", colDays: "Days", colMonth: "Month", colCredited: "Credited days",
      totalCredited: "Credited days in total (overlaps counted once)", colWage: "Wage (Rials)", colInsurable: "Insurable wage (Rials)", colWorkshops: "Workshops", total: "Total", daysUnit: "days", job: "Job",
      noRecords: "No records yet.", noWages: "No wages are recorded for this year.", loading: "Loading…",
      colTracking: "Tracking no.", colSent: "Sent", colSystem: "System", colSubject: "Subject", colNC: "National code", colMobile: "Mobile",
      colEmail: "E-mail", colViewed: "Viewed", colUntil: "Inquirable until", colStatus: "Status", colOps: "Actions",
      none: "None", dash: "—", ops: "Actions", opsFor: (no) => "Actions for request " + no,
      opView: "Open statement", opPermit: "Issue inquiry permit", opPermits: (n) => "Inquiry permits (" + n + ")", opMailbox: "Send to the national e-mailbox (Iran Pooshe)", opDelete: "Delete",
      st_pending: "Being prepared", st_ready: "Ready", st_failed: "Failed",
      pm_active: "Active", pm_revoked: "Revoked", pm_expired: "Expired",
      mb_none: "Not sent", mb_queued: "Queued for the e-mailbox", mb_delivered: "Delivered to the e-mailbox", mb_retrying: "Retrying e-mailbox delivery", mb_failed: "E-mailbox delivery failed",
      activePermits: (n) => plural(n, "active permit", "active permits"),
      inboxEmpty: "No requests yet. Ask for one under “Share with institutions”.",
      statementDone: (no) => "Your request " + no + " was sent to your inbox. The statement takes a few seconds to prepare.",
      goInbox: "Go to my inbox", newRequest: "Another request",
      permitFor: (no, subj) => "Request " + no + " — " + subj,
      noPermits: "No permit issued yet.",
      permitLine: (v, issued, until) => v + ", issued " + issued + ", until " + until,
      permitLabel: "Who is it for? (optional)", lastSeenWith: (browser) => "last viewed with " + browser,
      permitLabelHint: "For example “Bank Melli, loan”: the inbox, My activity and the first-view SMS show this name.",
      d_label: "For", d_browser: "Browser",
      views: (n, first) => n ? ("Viewed " + plural(n, "time", "times") + (first ? ", first on " + first : "")) : "Not viewed yet",
      revoke: "Revoke permit", revokeTitle: "Revoke inquiry permit",
      revokeText: "After revoking, no institution can view your record with this passcode. Revoke it?", revokeYes: "Yes, revoke",
      revoked: "The permit was revoked.",
      passcodeTitle: "Inquiry passcode", passcodeUntil: (d) => "Valid until " + d,
      passcodeHow: "The institution enters your national code and this passcode in the official inquiry panel.",
      passcodeWarn: "This passcode is shown only once and cannot be displayed again. Write it down and give it only to the institution you choose.",
      copy: "Copy passcode", copied: "Passcode copied.", copyFailed: "Could not copy; write the passcode down.",
      deleteTitle: "Delete request", deleteText: (no) => "Request " + no + ", its statement and all its permits will be deleted and institutions can no longer view it. Delete?",
      deleteYes: "Yes, delete", deleted: (no) => "Request " + no + " was deleted.",
      mailboxSent: "Delivery to the national e-mailbox was requested.",
      popupBlocked: "The browser did not open a new tab. Open the statement here: ", openDoc: "Open statement",
      timelineEmpty: "Nothing has happened yet.",
      d_client_ip: "IP address", d_user_agent: "Browser", d_permit_id: "Permit", d_tracking_no: "Tracking no.",
      d_kind: "Kind", d_validity: "Validity", d_reason: "Reason", d_status: "Status", d_identifier: "Identifier", d_failures: "Failed attempts",
      d_attempts: "Attempts", d_document_id: "Document id", d_permits_revoked: "Permits revoked", d_reference: "Delivery reference",
      d_expires_at: "Valid until", d_issued_at: "Issued",
      instView: "Viewed by an institution", instBadge: "Institution view",
      loggedOut: "You have logged out.", sessionEnded: "Your session has ended; please log in again.",
      registered: "An activation code was sent to your mobile.", activated: "Your account is active. Log in now.",
      network: "Could not reach the service. Check your connection and try again.",
      throttled: (s) => "Too many attempts. Please try again in " + s + " seconds.",
      required: "Please fill in every field.", pwMismatch: "The two passwords differ.",
      pwWeak: "The password needs at least 10 characters from three of: lower case, upper case, digits, symbols.",
      ncFormat: "The national code has 10 digits.", otpFormat: "The activation code has 6 digits.",
      kindOf: { summary: "Summary of insured days with totals", wages: "Monthly days and wages", combined: "Full record with monthly wages" },
      // objections
      objectionTitle: "Object to my records",
      objectionLead: "If you worked in a month that is missing from your records, or its days or wage are recorded lower than they were, file an objection here. The Organization's staff review it; you are told the result by SMS and under “My objections”.",
      objKindLegend: "Kind of objection", objKind_missing: "Missing month",
      objKindHint_missing: "I worked in these months, but nothing is recorded for me from this workshop.",
      objKind_deficient: "Days or wage short", objKindHint_deficient: "The month is recorded, but with fewer days or a lower wage than I had.",
      objWorkshop: "Workshop", objWorkshopHint: "Where you worked in those months", objCode: "Workshop code",
      objCodeHint: "10 digits; on your payslip, or ask your employer", objMonthsLegend: "Months concerned",
      objMonthsHint: "For one month, choose the same start and end. At most 24 months per objection.",
      objFromYear: "From year", objFromMonth: "From month", objToYear: "To year", objToMonth: "To month",
      objDescription: "What is wrong", objDescriptionHint: "For instance the days you worked or the wage you had in each month",
      chooseFile: "Choose a file…", noFile: "No file chosen.",
      objFile: "Supporting document (optional)", objFileHint: "Payslip, contract or employment order; PDF, JPEG or PNG, up to 5 MB",
      objSubmit: "File objection", objectionsTitle: "My objections",
      objectionsLead: "The objections you filed against your records and what became of them. You also get each result by SMS.",
      objNew: "File a new objection",
      objChooseWorkshop: "Choose the workshop", objOtherWorkshop: "Another workshop (type its code)",
      pickYear: "Year…", pickMonth: "Month…", monthOption: (n, name) => n + " " + name,
      charCount: (n, max) => n + " of " + max + " characters",
      e_kind: "Choose the kind of objection.", e_workshop: "Choose the workshop.", e_code: "The workshop code has 10 digits.",
      e_from: "Choose the year and month it starts.", e_to: "Choose the year and month it ends.",
      e_order: "The end month cannot be before the start month.",
      e_future: (m) => "The end month cannot be after this month (" + m + ").",
      e_span: (n) => "One objection covers at most " + n + " months; file another for the rest.",
      e_desc: "Say what is wrong, so the staff know what to check.",
      e_fileType: (name) => "“" + name + "” cannot be attached: the document must be a PDF, JPEG or PNG file.",
      e_fileSize: (name, mb) => "“" + name + "” is " + mb + " MB; at most 5 MB is allowed.",
      e_fileEmpty: (name) => "“" + name + "” is empty.",
      objFiled: (no) => "Your objection was filed with tracking number " + no + ".",
      objFiledNext: "The Organization's staff will review it; you are told the result by SMS and under “My objections”.",
      upUploading: (name) => "Uploading “" + name + "”…", upPercent: (p) => p + "%",
      upDone: (name) => "“" + name + "” was uploaded.",
      upFailed: "The document could not be uploaded. Your objection is filed and is not lost; only its document did not arrive.",
      upRetryUntil: (time) => "You can try again until " + time + ".", upRetry: "Try uploading again",
      upExpired: "The time to upload the document is over. Your objection is filed and will be reviewed without it.",
      upLeave: "The document is still uploading.",
      objAnother: "File another objection", objectionsEmpty: "You have not filed any objection.",
      os_submitted: "Under review", os_accepted: "Accepted", os_rejected: "Rejected",
      objKindOf: { missing: "Missing month", deficient: "Days or wage short" },
      objHeading: (no) => "Objection " + no, f_kind: "Kind", f_workshop: "Workshop", f_months: "Months", f_filed: "Filed",
      f_description: "Description", decidedOn: "Decided on", f_reason: "Reason",
      correctedTitle: "Months corrected in your records:",
      correctedLine: (m, days, wage) => m + ": " + plural(days, "day", "days") + ", wage " + wage + " Rials",
      objWaiting: "Waiting for the Organization's staff.",
      objAcceptedNote: "Your records were corrected. Statements you got before the correction show the old records; ask for a fresh one if you need it.",
      monthRange: (a, b) => a + " to " + b,
      outdatedBadge: "Records changed", outdatedSince: (d) => "after it was issued, on " + d,
      outdatedBanner: (n) => (String(n) === "1"
        ? "Your records changed after one of the statements in this inbox was issued. It is marked “Records changed” and no longer shows your current records"
        : "Your records changed after " + n + " of the statements in this inbox were issued. They are marked “Records changed” and no longer show your current records")
        + "; ask for a fresh statement to give institutions.",
      opFresh: "Ask for a fresh statement",
      freshHint: (no) => "To replace statement " + no + ", ask for a fresh one with your current records. Once it is ready you can delete the old one.",
      objBadge: "Objection", outdatedEntryBadge: "Records changed",
      d_workshop_code: "Workshop code", d_months: "Months", d_decision: "Result", d_because: "Following objection", d_since_month: "Changed from",
      errors: {},
    },
  };

  let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "fa";
  const t = (key, ...args) => {
    const v = T[lang][key] !== undefined ? T[lang][key] : T.fa[key];
    return typeof v === "function" ? v(...args) : v;
  };

  // ---------------------------------------------------------------- digits and numbers
  const { h, ltr, toAscii, ApiError } = S;
  const digits = (s) => S.digitsFor(lang, s);
  const grouped = (n) => S.grouped(lang, n);
  const codeOnly = (s) => S.codeOnly(s, /[\s\-\u200c\u200f\u200e_]/g);

  // ---------------------------------------------------------------- DOM helpers
  const $ = (id) => document.getElementById(id);
  const num = (value) => S.num(lang, value);
  const when = (jalali) => S.when(lang, jalali);
  const dateCell = (jalali) => jalali ? when(jalali) : t("dash");
  // Some times come without a *_jalali twin (mailbox.delivered_at, permits' first_viewed_at): Tehran time, Jalali.
  function g2j(gy, gm, gd) {
    const sums = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    const gy2 = gm > 2 ? gy + 1 : gy;
    let days = 355666 + 365 * gy + Math.floor((gy2 + 3) / 4) - Math.floor((gy2 + 99) / 100) + Math.floor((gy2 + 399) / 400) + gd + sums[gm - 1];
    let jy = -1595 + 33 * Math.floor(days / 12053);
    days %= 12053;
    jy += 4 * Math.floor(days / 1461);
    days %= 1461;
    if (days > 365) { jy += Math.floor((days - 1) / 365); days = (days - 1) % 365; }
    const jm = days < 186 ? 1 + Math.floor(days / 31) : 7 + Math.floor((days - 186) / 30);
    const jd = days < 186 ? 1 + (days % 31) : 1 + ((days - 186) % 30);
    return [jy, jm, jd];
  }
  function jalaliOf(iso) {
    const ms = Date.parse(iso || "");
    if (isNaN(ms)) return "";
    const d = new Date(ms + 3.5 * 3600 * 1000);
    const [jy, jm, jd] = g2j(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    const p2 = (x) => String(x).padStart(2, "0");
    return jy + "/" + p2(jm) + "/" + p2(jd) + " " + p2(d.getUTCHours()) + ":" + p2(d.getUTCMinutes());
  }

  // ---------------------------------------------------------------- API
  // The login is kept in localStorage, shared by every tab of this browser; each tab keeps a copy in its
  // sessionStorage, which is where the API client reads the token from. A change in one tab reaches the others
  // through the "storage" event.
  function syncSession() {
    for (const key of [TOKEN_KEY, NAME_KEY]) {
      const value = localStorage.getItem(key);
      if (value) sessionStorage.setItem(key, value); else sessionStorage.removeItem(key);
    }
  }
  function saveSession(key, value) {
    localStorage.setItem(key, value);
    sessionStorage.setItem(key, value);
  }
  // a tab that still holds a per-tab login from before keeps it
  if (!localStorage.getItem(TOKEN_KEY) && sessionStorage.getItem(TOKEN_KEY)) {
    localStorage.setItem(TOKEN_KEY, sessionStorage.getItem(TOKEN_KEY));
    if (sessionStorage.getItem(NAME_KEY)) localStorage.setItem(NAME_KEY, sessionStorage.getItem(NAME_KEY));
  }
  syncSession();
  const personName = () => localStorage.getItem(NAME_KEY);

  const client = S.pageClient({
    tokenKey: TOKEN_KEY, t: (...args) => t(...args), lang: () => lang, errors: () => T[lang].errors,
    onSessionEnd: () => sessionEnded() });
  const { api, busy } = client;
  // In Persian the server's own Persian sentence (message_fa) is shown; in English its message.
  const persianOf = (err) => (lang === "fa" && err && typeof err === "object" && err.messageFa && err.status !== 429 && err.status !== 0)
    ? err.messageFa : null;
  function errorText(err) { return persianOf(err) || client.errorText(err); }
  function showError(el, err, button) {
    client.showError(el, err, button);
    const fa = persianOf(err);
    if (fa) el.textContent = fa;
  }
  // tone: nothing (done), "warn" (something to know, like a session that ended) or true / "bad" (a failure)
  function flash(message, tone) {
    const el = $("flash");
    el.classList.toggle("bad", tone === true || tone === "bad");
    el.classList.toggle("warn", tone === "warn");
    el.textContent = "";
    if (message instanceof Node) el.append(message); else el.textContent = message || "";
  }

  // ---------------------------------------------------------------- state and routing
  const state = { records: null, wagesYear: null, wages: null, inbox: null, activity: null, screen: null, pendingFlash: null, pendingTone: null,
                  objections: null, receipt: null, recordsAt: 0 };

  function loggedIn() { return !!localStorage.getItem(TOKEN_KEY); }
  function rememberScreen(screen) {
    if (PRIVATE_SCREENS.includes(screen)) sessionStorage.setItem(RETURN_KEY, screen);
  }
  function sessionEnded(text) {
    const had = loggedIn() || !!sessionStorage.getItem(TOKEN_KEY);
    rememberScreen(state.screen); // logging in again comes back here
    clearSession();
    if (had) { state.pendingFlash = text || t("sessionEnded"); state.pendingTone = "warn"; } // several calls may fail at once: the first one tells
    if (location.hash !== "#login") location.hash = "#login"; else route();
  }
  function forgetPerson() {
    state.records = state.wages = state.inbox = state.activity = state.objections = state.receipt = state.profile = null;
    state.wagesYear = null;
    stopPolling();
    resetObjectionForm();
  }
  function clearSession() {
    for (const key of [TOKEN_KEY, NAME_KEY]) { localStorage.removeItem(key); sessionStorage.removeItem(key); }
    forgetPerson();
  }
  // Logging in or out in another tab does the same here.
  window.addEventListener("storage", (ev) => {
    if (ev.key !== null && ev.key !== TOKEN_KEY && ev.key !== NAME_KEY) return;
    const before = sessionStorage.getItem(TOKEN_KEY);
    syncSession();
    const now = sessionStorage.getItem(TOKEN_KEY);
    if (before === now) { route(); return; } // the name came: the header shows it
    if (!now) {
      rememberScreen(state.screen);
      forgetPerson();
      state.pendingFlash = t("loggedOutElsewhere");
      state.pendingTone = "warn";
      if (location.hash !== "#login") location.hash = "#login"; else route();
      return;
    }
    forgetPerson(); // perhaps another person: nothing of the one before stays on the screen
    if (PUBLIC_SCREENS.includes(state.screen)) goAfterLogin(); else route(true);
  });
  function goAfterLogin() {
    const back = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    const target = "#" + (PRIVATE_SCREENS.includes(back) ? back : "records");
    if (location.hash === target) route(true); else location.hash = target;
  }

  function route(again) {
    let screen = (location.hash || "").replace(/^#/, "") || (loggedIn() ? "records" : "login");
    if (!PUBLIC_SCREENS.includes(screen) && !PRIVATE_SCREENS.includes(screen)) screen = loggedIn() ? "records" : "login";
    if (PRIVATE_SCREENS.includes(screen) && !loggedIn()) { rememberScreen(screen); screen = "login"; }
    if (screen === "login" && loggedIn() && !location.hash) screen = "records";
    const changed = state.screen !== screen;
    state.screen = screen;
    document.querySelectorAll("[data-screen]").forEach((s) => { s.hidden = s.dataset.screen !== screen; });
    document.querySelectorAll("[data-screen-link]").forEach((a) => {
      if (a.dataset.screenLink === (TAB_OF[screen] || screen)) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    const inside = loggedIn();
    $("nav").hidden = !inside;
    $("logout").hidden = !inside;
    $("who").textContent = inside && personName() ? t("hello", personName()) : "";
    if (changed || state.pendingFlash) {
      flash(state.pendingFlash || "", state.pendingTone);
      state.pendingFlash = state.pendingTone = null;
    }
    if (screen !== "inbox") stopPolling();
    if (screen === "records") loadRecords();
    if (screen === "inbox") loadInbox();
    if (screen === "activity") loadActivity();
    if (screen === "objection" && changed) openObjectionForm();
    if (screen === "objections") loadObjections();
    if (screen === "profile") loadProfile();
    if (screen === "statement" && (changed || again)) showStatementForm();
    if (changed) {
      const heading = document.querySelector('[data-screen="' + screen + '"] h1');
      if (heading && document.activeElement && document.activeElement !== document.body && !heading.contains(document.activeElement)) {
        $("main").focus({ preventScroll: true });
      }
    }
  }
  window.addEventListener("hashchange", () => route());
  // A tab clicked again starts its screen afresh (the statement tab after a request shows the form again).
  $("nav").addEventListener("click", (ev) => {
    const link = ev.target.closest && ev.target.closest("a[data-screen-link]");
    if (link && link.getAttribute("href") === location.hash) { ev.preventDefault(); route(true); }
  });

  // ---------------------------------------------------------------- language
  function applyLanguage() {
    S.applyTexts(lang, t);
    if (loggedIn() && personName()) $("who").textContent = t("hello", personName());
    if (state.records) renderRecords();
    if (state.wages) renderWages();
    if (state.inbox) renderInbox(true);
    if (state.activity) renderActivity();
    if ($("permit-dialog").open) renderPermitList();
    renderObjectionForm();
    if (state.objections) renderObjections();
    if (state.receipt) renderReceipt();
    renderProfile();
  }
  $("lang-toggle").addEventListener("click", () => {
    lang = lang === "fa" ? "en" : "fa";
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage();
  });

  // ---------------------------------------------------------------- auth screens

  $("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("login-err"), button = $("login-submit");
    const nc = codeOnly($("login-nc").value), pw = $("login-pw").value;
    if (!nc || !pw) { showError(err, t("required")); return; }
    showError(err, null);
    busy(button, true);
    try {
      // A browser that logged in to this account before says so: strangers' wrong passwords never hold it up.
      const deviceKey = DEVICE_KEY + nc, device = localStorage.getItem(deviceKey);
      const body = { national_code: nc, password: pw };
      if (device) body.device_token = device;
      const answer = await api("POST", "/v1/auth/login", body, { anonymous: true });
      forgetPerson();
      saveSession(TOKEN_KEY, answer.token);
      if (answer.device_token) localStorage.setItem(deviceKey, answer.device_token);
      $("login-pw").value = "";
      try {
        const me = await api("GET", "/v1/me");
        saveSession(NAME_KEY, me.name || [me.first_name, me.last_name].filter(Boolean).join(" ") || me.national_code);
      } catch (e) { /* the name is only a courtesy */ }
      busy(button, false);
      goAfterLogin();
    } catch (e) {
      busy(button, false);
      showError(err, e, button);
      $("login-pw").focus();
    }
  });

  function passwordRules(pw) {
    const classes = [/[a-z]/, /[A-Z]/, /[0-9۰-۹]/, /[^A-Za-z0-9۰-۹]/].filter((re) => re.test(pw)).length;
    return { len: pw.length >= 10, mix: classes >= 3 };
  }
  $("reg-pw").addEventListener("input", () => {
    const r = passwordRules($("reg-pw").value);
    $("rule-len").classList.toggle("ok", r.len);
    $("rule-mix").classList.toggle("ok", r.mix);
  });
  $("register-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("register-err"), button = $("register-submit");
    const nc = codeOnly($("reg-nc").value), mobile = codeOnly($("reg-mobile").value);
    const birth = toAscii($("reg-birth").value).trim().replace(/[-.]/g, "/");
    const pw = $("reg-pw").value, pw2 = $("reg-pw2").value;
    if (!nc || !mobile || !birth || !pw) { showError(err, t("required")); return; }
    if (!/^\d{10}$/.test(nc)) { showError(err, t("ncFormat")); $("reg-nc").focus(); return; }
    const rules = passwordRules(pw);
    if (!rules.len || !rules.mix) { showError(err, t("pwWeak")); $("reg-pw").focus(); return; }
    if (pw !== pw2) { showError(err, t("pwMismatch")); $("reg-pw2").focus(); return; }
    showError(err, null);
    busy(button, true);
    try {
      await api("POST", "/v1/auth/register", { national_code: nc, mobile, birth_date: birth, password: pw }, { anonymous: true });
      $("reg-pw").value = $("reg-pw2").value = "";
      $("act-nc").value = nc;
      state.pendingFlash = t("registered");
      location.hash = "#activate";
      $("act-otp").focus();
    } catch (e) {
      showError(err, e, button);
    } finally {
      busy(button, false);
    }
  });
  $("activate-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("activate-err"), button = $("activate-submit");
    const nc = codeOnly($("act-nc").value), otp = codeOnly($("act-otp").value);
    if (!nc || !otp) { showError(err, t("required")); return; }
    if (!/^\d{6}$/.test(otp)) { showError(err, t("otpFormat")); $("act-otp").focus(); return; }
    showError(err, null);
    busy(button, true);
    try {
      await api("POST", "/v1/auth/activate", { national_code: nc, otp }, { anonymous: true });
      $("login-nc").value = nc;
      $("act-otp").value = "";
      state.pendingFlash = t("activated");
      location.hash = "#login";
      $("login-pw").focus();
    } catch (e) {
      showError(err, e, button);
    } finally {
      busy(button, false);
    }
  });
  // forgot password: a code by SMS to the person's own mobile, then a new password with it
  $("forgot-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("forgot-err"), button = $("forgot-submit");
    const nc = codeOnly($("fg-nc").value), mobile = codeOnly($("fg-mobile").value);
    if (!nc || !mobile) { showError(err, t("required")); return; }
    if (!/^\d{10}$/.test(nc)) { showError(err, t("ncFormat")); $("fg-nc").focus(); return; }
    showError(err, null);
    busy(button, true);
    try {
      await api("POST", "/v1/auth/password-reset", { national_code: nc, mobile }, { anonymous: true });
      $("reset-form").hidden = false;
      $("rs-otp").focus();
    } catch (e) {
      showError(err, e, button);
    } finally {
      busy(button, false);
    }
  });
  $("rs-pw").addEventListener("input", () => {
    const r = passwordRules($("rs-pw").value);
    $("rs-rule-len").classList.toggle("ok", r.len);
    $("rs-rule-mix").classList.toggle("ok", r.mix);
  });
  $("reset-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("reset-err"), button = $("reset-submit");
    const nc = codeOnly($("fg-nc").value), otp = codeOnly($("rs-otp").value);
    const pw = $("rs-pw").value, pw2 = $("rs-pw2").value;
    if (!nc || !otp || !pw) { showError(err, t("required")); return; }
    if (!/^\d{6}$/.test(otp)) { showError(err, t("otpFormat")); $("rs-otp").focus(); return; }
    const rules = passwordRules(pw);
    if (!rules.len || !rules.mix) { showError(err, t("pwWeak")); $("rs-pw").focus(); return; }
    if (pw !== pw2) { showError(err, t("pwMismatch")); $("rs-pw2").focus(); return; }
    showError(err, null);
    busy(button, true);
    try {
      await api("POST", "/v1/auth/password-reset/confirm", { national_code: nc, otp, new_password: pw }, { anonymous: true });
      $("rs-otp").value = $("rs-pw").value = $("rs-pw2").value = "";
      $("reset-form").hidden = true;
      $("login-nc").value = nc;
      state.pendingFlash = t("resetDone");
      location.hash = "#login";
      $("login-pw").focus();
    } catch (e) {
      showError(err, e, button);
    } finally {
      busy(button, false);
    }
  });
  $("logout").addEventListener("click", async () => {
    try { await api("POST", "/v1/auth/logout", undefined, {}); } catch (e) { /* leaving anyway */ }
    clearSession();
    sessionStorage.removeItem(RETURN_KEY); // leaving on purpose: the next login starts at "My records"
    state.pendingFlash = t("loggedOut");
    location.hash = "#login";
    route();
  });

  // ---------------------------------------------------------------- records and wages
  const view = () => ({ lang, t, emptyClass: "empty", monthClass: null });
  const totalsBlock = (totals, rule) => S.totalsBlock(view(), totals, rule);
  // The record per year and workshop. On a wide screen a table with one column per month; on a phone each row is a
  // card that shows its total first (the grand total above all cards), so no number is ever cut off.
  // A month without days shows a clear dash, not a faint zero.
  function historyTable(history) {
    const rows = history.rows || [];
    if (!rows.length) return h("p", { class: "empty" }, t("noRecords"));
    const months = S.MONTHS[lang];
    const gap = () => [h("span", { "aria-hidden": "true" }, "–"), h("span", { class: "sr-only" }, t("noDays"))];
    return h("table", { class: "tbl records", "data-testid": "records-table" },
      h("thead", null, h("tr", null,
        h("th", { scope: "col", class: "c-year" }, t("colYear")), h("th", { scope: "col", class: "c-code" }, t("colWsCode")),
        h("th", { scope: "col", class: "name" }, t("colWsName")),
        months.map((name) => h("th", { scope: "col", class: "c-month" }, name)),
        h("th", { scope: "col", class: "c-total" }, t("colDays")))),
      h("tbody", null, rows.map((r) => h("tr", null,
        h("th", { scope: "row", class: "c-year" }, num(r.year)),
        h("td", { class: "c-code", "data-label": t("colWsCode") }, num(r.workshop_code)),
        h("td", { class: "name" }, h("bdi", null, r.workshop_name || "")),
        (r.months || []).map((d, i) => d
          ? h("td", { class: "nums c-month", "data-label": months[i] }, digits(d))
          : h("td", { class: "c-month gap", "data-label": months[i], "data-testid": "gap" }, gap())),
        h("td", { class: "nums c-total", "data-label": t("colDays"), "data-testid": "row-total" }, h("strong", null, grouped(r.days)))))),
      history.totals ? h("tfoot", null, h("tr", null,
        h("th", { scope: "row", colspan: "15" }, t("totalCredited")),
        h("td", { class: "nums c-total", "data-testid": "grand-total" }, h("strong", null, grouped(history.totals.days))))) : null);
  }
  function yearsTable(years) {
    return h("table", { class: "tbl" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, t("colYear")), h("th", { scope: "col" }, t("colCredited")))),
      h("tbody", null, (years || []).map((y) => h("tr", null, h("th", { scope: "row" }, num(y.year)), h("td", { class: "nums" }, grouped(y.credited_days))))));
  }
  // Wages per month with the workshops that reported them; each value isolated, so a Persian workshop name never
  // reorders the numbers beside it in English. On a phone, one card per month, the year's totals first.
  function wagesTable(wages) {
    const months = wages.months || [];
    if (!months.length) return h("p", { class: "empty" }, t("noWages"));
    const totals = wages.totals || {};
    const money = (n) => h("span", { dir: "ltr", class: "ltr nums" }, grouped(n));
    const cols = [t("colCredited"), t("colWage"), t("colInsurable"), t("colWorkshops")];
    return h("table", { class: "tbl wages", "data-testid": "wages-table" },
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, t("colMonth")), h("th", { scope: "col" }, cols[0]),
        h("th", { scope: "col" }, cols[1]), h("th", { scope: "col" }, cols[2]), h("th", { scope: "col", class: "name" }, cols[3]))),
      h("tbody", null, months.map((m) => h("tr", null,
        h("th", { scope: "row" }, S.MONTHS[lang][(m.month || 1) - 1]),
        h("td", { class: "nums c-credited", "data-label": cols[0] }, digits(m.credited_days)),
        h("td", { class: "nums", "data-label": cols[1] }, money(m.wage)),
        h("td", { class: "nums", "data-label": cols[2] }, money(m.insurable_wage)),
        h("td", { class: "name ws-cell", "data-label": cols[3] }, (m.workshops || []).map((w) => h("span", { class: "ws-line" },
          h("bdi", { class: "ws-name" }, w.workshop_name || ""), " ", ltr("(" + digits(w.workshop_code) + ")", "nums"), " — ",
          h("bdi", { class: "nums" }, digits(w.days) + " " + t("daysUnit")), " — ", money(w.wage),
          w.job ? h("span", { class: "sub" }, t("job") + ": ", h("bdi", null, w.job)) : null)))))),
      h("tfoot", null, h("tr", null,
        h("th", { scope: "row" }, t("total")),
        h("td", { class: "nums c-credited", "data-label": cols[0] }, grouped(totals.credited_days)),
        h("td", { class: "nums", "data-label": cols[1] }, money(totals.wage)),
        h("td", { class: "nums", "data-label": cols[2] }, money(totals.insurable_wage)), h("td", { class: "ws-empty" }, ""))));
  }

  async function loadRecords() {
    const err = $("records-err");
    showError(err, null);
    if (!state.records) {
      $("records-totals").replaceChildren(h("p", { class: "loading" }, t("loading")));
      try {
        await ensureRecords();
      } catch (e) {
        $("records-totals").replaceChildren();
        if (e.status !== 401) showError(err, e);
        return;
      }
    }
    renderRecords();
    const years = (state.records.years || []).map((y) => y.year);
    if (years.length && !state.wagesYear) {
      state.wagesYear = years[years.length - 1];
      loadWages(state.wagesYear);
    }
  }
  // One fetch of the records at a time, shared by the records screen and the objection form (its workshops).
  let recordsLoading = null;
  function ensureRecords() {
    if (state.records) return Promise.resolve(state.records);
    if (!recordsLoading) {
      const started = Date.now();
      recordsLoading = api("GET", "/v1/me/records").then((records) => {
        state.records = records;
        state.recordsAt = started;
        return records;
      }).finally(() => { recordsLoading = null; });
    }
    return recordsLoading;
  }
  function renderRecords() {
    const rec = state.records;
    $("records-totals").replaceChildren(...totalsBlock(rec.totals || {}, rec.rule));
    $("records-table-wrap").replaceChildren(historyTable(rec));
    $("years-table-wrap").replaceChildren(yearsTable(rec.years));
    const select = $("wages-year");
    const years = (rec.years || []).map((y) => y.year).slice().reverse();
    select.replaceChildren(...years.map((y) => h("option", { value: String(y) }, digits(y))));
    if (state.wagesYear) select.value = String(state.wagesYear);
  }
  async function loadWages(year) {
    const err = $("wages-err");
    showError(err, null);
    $("wages-table-wrap").replaceChildren(h("p", { class: "loading" }, t("loading")));
    try {
      const data = await api("GET", "/v1/me/records/wages?year=" + encodeURIComponent(year));
      if (String(year) !== String(state.wagesYear)) return;
      state.wages = data;
      renderWages();
    } catch (e) {
      $("wages-table-wrap").replaceChildren();
      if (e.status !== 401) showError(err, e);
    }
  }
  function renderWages() { $("wages-table-wrap").replaceChildren(wagesTable(state.wages)); }
  $("objection-open").addEventListener("click", () => { location.hash = "#objection"; });
  $("wages-year").addEventListener("change", (ev) => { state.wagesYear = Number(ev.target.value); loadWages(state.wagesYear); });

  // ---------------------------------------------------------------- statement request
  // One key per statement the person means to send: a resubmission after a lost answer creates no duplicate.
  let statementKey = null;
  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + "-" + Math.random().toString(36).slice(2));
  $("statement-form").addEventListener("change", () => { statementKey = null; });
  function showStatementForm() {
    $("statement-done").hidden = true;
    $("statement-done").replaceChildren();
    $("statement-form").hidden = false;
  }
  $("statement-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("statement-err"), button = $("statement-submit");
    const kind = ($("statement-form").querySelector('input[name="kind"]:checked') || {}).value || "summary";
    const language = ($("statement-form").querySelector('input[name="language"]:checked') || {}).value || "fa";
    showError(err, null);
    busy(button, true);
    try {
      statementKey = statementKey || newKey();
      const answer = await api("POST", "/v1/me/statements", { kind, agree: true, language }, { headers: { "Idempotency-Key": statementKey } });
      statementKey = null;
      state.inbox = null;
      const done = $("statement-done");
      done.replaceChildren(
        h("p", { "data-testid": "statement-tracking" }, t("statementDone", digits(answer.tracking_no))),
        h("div", { class: "row-actions" },
          h("a", { class: "btn", href: "#inbox" }, t("goInbox")),
          h("button", { type: "button", class: "secondary", onclick: () => { showStatementForm(); $("st-title").focus(); } }, t("newRequest"))));
      $("statement-form").hidden = true;
      done.hidden = false;
      done.focus();
    } catch (e) {
      if (e.status !== 401) showError(err, e, button);
    } finally {
      busy(button, false);
    }
  });

  // ---------------------------------------------------------------- inbox
  let pollTimer = null;
  const rowCache = new Map(); // tracking_no -> {json, tr}
  function stopPolling() { if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; } }
  function needsPolling() {
    return !!(state.inbox && state.inbox.items.some((it) => it.status === "pending" ||
      (it.mailbox && (it.mailbox.status === "queued" || it.mailbox.status === "retrying"))));
  }
  function schedulePoll() {
    stopPolling();
    if (state.screen === "inbox" && needsPolling()) pollTimer = setTimeout(pollInbox, 2000);
  }
  async function loadInbox() {
    const err = $("inbox-err");
    showError(err, null);
    if (!state.inbox) {
      $("inbox-wrap").replaceChildren(h("p", { class: "loading" }, t("loading")));
      try {
        const page = await api("GET", "/v1/me/inbox");
        state.inbox = { items: page.items || [], next: page.next || null, pages: 1 };
      } catch (e) {
        $("inbox-wrap").replaceChildren();
        if (e.status !== 401) showError(err, e);
        return;
      }
      renderInbox(true);
    } else {
      renderInbox(false);
      refreshInbox();
    }
    schedulePoll();
  }
  async function refreshInbox() {
    // Fetch as many pages as are shown and merge them, keeping open menus and focus.
    if (!state.inbox) return;
    let cursor = null, fetched = [], pages = 0, next = null;
    try {
      do {
        const page = await api("GET", "/v1/me/inbox" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : ""));
        fetched = fetched.concat(page.items || []);
        next = page.next || null;
        cursor = next;
        pages += 1;
      } while (cursor && pages < state.inbox.pages);
    } catch (e) {
      if (e.status !== 401 && e.status !== 0) showError($("inbox-err"), e);
      return;
    }
    if (!state.inbox) return;
    state.inbox.items = fetched;
    state.inbox.next = next;
    renderInbox(false);
    if ($("permit-dialog").open) renderPermitList();
  }
  async function pollInbox() {
    pollTimer = null;
    if (state.screen !== "inbox") return;
    await refreshInbox();
    schedulePoll();
  }
  $("inbox-print").addEventListener("click", () => window.print());
  $("inbox-more").addEventListener("click", async () => {
    const button = $("inbox-more");
    if (!state.inbox || !state.inbox.next) return;
    busy(button, true);
    try {
      const page = await api("GET", "/v1/me/inbox?cursor=" + encodeURIComponent(state.inbox.next));
      const known = new Set(state.inbox.items.map((i) => i.tracking_no));
      state.inbox.items = state.inbox.items.concat((page.items || []).filter((i) => !known.has(i.tracking_no)));
      state.inbox.next = page.next || null;
      state.inbox.pages += 1;
      renderInbox(false);
      schedulePoll();
    } catch (e) {
      if (e.status !== 401) showError($("inbox-err"), e);
    } finally {
      busy(button, false);
    }
  });

  // an address may wrap only after its "@"
  function emailText(email) {
    const at = email.lastIndexOf("@");
    if (at < 1) return ltr(email);
    return h("span", { dir: "ltr", class: "ltr" }, email.slice(0, at), h("wbr"), email.slice(at));
  }
  const COLUMNS = ["colTracking", "colSent", "colSystem", "colSubject", "colNC", "colMobile", "colEmail", "colViewed", "colUntil", "colStatus", "colOps"];
  function subjectOf(item) {
    if (lang === "en") return "Statement for institutions";
    return item.subject || item.kind_title || t("kindOf")[item.kind] || "";
  }
  function systemOf(item) {
    if (lang === "en" && (!item.system || item.system === "سابقه")) return "Records";
    return item.system || (lang === "fa" ? "سابقه" : "Records");
  }
  function statusCell(item) {
    const active = (item.permits || []).filter((p) => p.status === "active").length;
    const mb = item.mailbox && item.mailbox.status && item.mailbox.status !== "none" ? item.mailbox : null;
    return [
      h("span", { class: "badge b-" + item.status, "data-testid": "inbox-status" }, t("st_" + item.status) || item.status),
      item.outdated ? h("span", { class: "outdated-mark", "data-testid": "outdated-note" },
        h("span", { class: "badge b-outdated" }, t("outdatedBadge")),
        h("span", { class: "sub" }, t("outdatedSince", item.outdated_since_jalali ? dayDate(item.outdated_since_jalali) : digits(jalaliOf(item.outdated_since)))),
        h("button", { type: "button", class: "link fresh", "data-op": "fresh", onclick: () => requestFresh(item) }, t("opFresh"))) : null,
      active ? h("span", { class: "sub" }, t("activePermits", digits(active))) : null,
      mb ? h("span", { class: "sub", "data-testid": "mailbox-status" }, t("mb_" + mb.status) || mb.status,
        mb.delivered_at ? [" ", when(mb.delivered_at_jalali || jalaliOf(mb.delivered_at))] : null) : null,
      item.status === "failed" && item.failure ? h("span", { class: "sub" }, item.failure) : null,
    ];
  }
  function opsMenu(item) {
    const ready = item.status === "ready";
    const no = digits(item.tracking_no);
    const count = (item.permits || []).length;
    return h("details", { class: "ops", "data-testid": "ops" },
      h("summary", { "aria-label": t("opsFor", no) }, t("ops")),
      h("div", { class: "ops-menu", role: "group", "aria-label": t("opsFor", no) },
        item.outdated ? h("button", { type: "button", "data-op": "fresh-menu", onclick: () => requestFresh(item) }, t("opFresh")) : null,
        h("button", { type: "button", "data-op": "view", disabled: !ready, onclick: (ev) => openDocument(item, ev.currentTarget) }, t("opView")),
        h("button", { type: "button", "data-op": "permit", disabled: !ready, onclick: () => openPermitDialog(item.tracking_no) }, t("opPermit")),
        count ? h("button", { type: "button", "data-op": "permits", onclick: () => openPermitDialog(item.tracking_no) }, t("opPermits", digits(count))) : null,
        h("button", { type: "button", "data-op": "mailbox", disabled: !ready || (item.mailbox && ["queued", "delivered", "retrying"].includes(item.mailbox.status)),
          onclick: (ev) => sendToMailbox(item, ev.currentTarget) }, t("opMailbox")),
        h("button", { type: "button", class: "danger", "data-op": "delete", onclick: () => deleteRequest(item) }, t("opDelete"))));
  }
  function inboxRow(item) {
    const labels = COLUMNS.map((c) => t(c));
    const cells = [
      num(item.tracking_no), dateCell(item.sent_at_jalali), systemOf(item),
      [subjectOf(item), item.kind ? h("span", { class: "sub" }, (lang === "fa" && item.kind_title) || t("kindOf")[item.kind] || item.kind) : null,
        item.language === "en" ? h("span", { class: "sub", "data-testid": "statement-language" }, t("inEnglish")) : null],
      num(item.national_code), num(item.mobile), item.email ? emailText(item.email) : t("dash"),
      dateCell(item.viewed_at_jalali), item.inquirable_until_jalali ? when(item.inquirable_until_jalali) : t("none"),
      statusCell(item), opsMenu(item),
    ];
    return h("tr", { "data-tracking": item.tracking_no, "data-status": item.status },
      cells.map((content, i) => h(i === 0 ? "th" : "td", { "data-label": labels[i], scope: i === 0 ? "row" : null,
        class: { 3: "c-subject", 6: "c-email", 9: "c-status" }[i] || null }, h("div", { class: "cell" }, content))));
  }
  function renderInbox(full) {
    const wrap = $("inbox-wrap");
    const items = state.inbox.items;
    $("inbox-more").hidden = !state.inbox.next;
    const outdated = items.filter((i) => i.outdated).length;
    $("inbox-outdated").hidden = !outdated;
    $("inbox-outdated").textContent = outdated ? t("outdatedBanner", digits(outdated)) : "";
    if (!items.length) { rowCache.clear(); wrap.replaceChildren(h("p", { class: "empty" }, t("inboxEmpty"))); return; }
    let table = wrap.querySelector("table.inbox");
    if (full || !table) {
      rowCache.clear();
      table = h("table", { class: "tbl inbox", "data-testid": "inbox-table" },
        h("thead", null, h("tr", null, COLUMNS.map((c) => h("th", { scope: "col" }, t(c))))), h("tbody"));
      wrap.replaceChildren(table);
    }
    const body = table.tBodies[0];
    const wanted = new Set(items.map((i) => i.tracking_no));
    for (const [no, cached] of rowCache) if (!wanted.has(no)) { cached.tr.remove(); rowCache.delete(no); }
    let previous = null;
    for (const item of items) {
      const json = JSON.stringify(item) + lang;
      let cached = rowCache.get(item.tracking_no);
      if (!cached || cached.json !== json) {
        const tr = inboxRow(item);
        if (cached) {
          const oldDetails = cached.tr.querySelector("details.ops");
          const focusedOp = cached.tr.contains(document.activeElement) ? document.activeElement : null;
          if (oldDetails && oldDetails.open) tr.querySelector("details.ops").open = true;
          cached.tr.replaceWith(tr);
          if (focusedOp) {
            const selector = focusedOp.dataset && focusedOp.dataset.op ? '[data-op="' + focusedOp.dataset.op + '"]' : "summary";
            const again = tr.querySelector(selector);
            if (again && !again.disabled) again.focus(); else tr.querySelector("summary").focus();
          }
        }
        cached = { json, tr };
        rowCache.set(item.tracking_no, cached);
      }
      const expectedPosition = previous ? previous.nextSibling : body.firstChild;
      if (cached.tr !== expectedPosition) body.insertBefore(cached.tr, expectedPosition);
      previous = cached.tr;
    }
  }

  // A statement the records outgrew: the same request flow, the same kind chosen, and a word on what to do.
  function requestFresh(item) {
    const choice = $("statement-form").querySelector('input[name="kind"][value="' + CSS.escape(item.kind || "summary") + '"]');
    if (choice) choice.checked = true;
    statementKey = null; // a new statement, not the resend of an earlier one
    state.pendingFlash = t("freshHint", digits(item.tracking_no));
    location.hash = "#statement";
  }

  async function openDocument(item, button) {
    const err = $("inbox-err");
    showError(err, null);
    const tab = window.open("", "_blank");
    busy(button, true);
    try {
      const answer = await api("GET", "/v1/me/inbox/" + encodeURIComponent(item.tracking_no) + "/document");
      if (tab) { tab.opener = null; tab.location.href = answer.url; }
      else flash(h("span", null, t("popupBlocked"), h("a", { href: answer.url, target: "_blank", rel: "noopener" }, t("openDoc"))));
      refreshSoon();
    } catch (e) {
      if (tab) tab.close();
      if (e.status !== 401) showError(err, e);
    } finally {
      busy(button, false);
    }
  }
  function refreshSoon() { setTimeout(() => { if (state.screen === "inbox") refreshInbox().then(schedulePoll); }, 300); }

  async function sendToMailbox(item, button) {
    const err = $("inbox-err");
    showError(err, null);
    busy(button, true);
    try {
      await api("POST", "/v1/me/inbox/" + encodeURIComponent(item.tracking_no) + "/mailbox");
      flash(t("mailboxSent"));
      const own = state.inbox.items.find((i) => i.tracking_no === item.tracking_no);
      if (own) own.mailbox = Object.assign({}, own.mailbox || {}, { status: own.mailbox && own.mailbox.status === "delivered" ? "delivered" : "queued" });
      renderInbox(false);
      await refreshInbox();
      schedulePoll();
    } catch (e) {
      if (e.status !== 401) showError(err, e, button);
      busy(button, false);
    }
  }

  // A dialog opens over a closed operations menu, not over one left open behind it.
  function closeMenus() { document.querySelectorAll("details.ops[open]").forEach((d) => { d.open = false; }); }
  function confirmBox(title, text, yes) {
    closeMenus();
    const dlg = $("confirm-dialog");
    $("confirm-title").textContent = title;
    $("confirm-text").textContent = text;
    $("confirm-yes").textContent = yes;
    return new Promise((resolve) => {
      const done = (value) => { cleanup(); if (dlg.open) dlg.close(); resolve(value); };
      const onYes = () => done(true), onNo = () => done(false), onCancel = (ev) => { ev.preventDefault(); done(false); };
      function cleanup() {
        $("confirm-yes").removeEventListener("click", onYes);
        $("confirm-no").removeEventListener("click", onNo);
        dlg.removeEventListener("cancel", onCancel);
      }
      $("confirm-yes").addEventListener("click", onYes);
      $("confirm-no").addEventListener("click", onNo);
      dlg.addEventListener("cancel", onCancel);
      dlg.showModal();
      $("confirm-no").focus();
    });
  }

  async function deleteRequest(item) {
    const no = digits(item.tracking_no);
    const active = document.activeElement, menu = active && active.closest ? active.closest("details.ops") : null;
    const returnTo = menu ? menu.querySelector("summary") : active; // the menu closes under the dialog
    if (!(await confirmBox(t("deleteTitle"), t("deleteText", no), t("deleteYes")))) { if (returnTo) returnTo.focus(); return; }
    const err = $("inbox-err");
    showError(err, null);
    try {
      await api("DELETE", "/v1/me/inbox/" + encodeURIComponent(item.tracking_no));
      state.inbox.items = state.inbox.items.filter((i) => i.tracking_no !== item.tracking_no);
      renderInbox(false);
      flash(t("deleted", no));
      $("inbox-title").setAttribute("tabindex", "-1");
      $("inbox-title").focus();
    } catch (e) {
      if (e.status !== 401) showError(err, e);
    }
  }

  document.addEventListener("toggle", (ev) => {
    const opened = ev.target;
    if (!(opened instanceof HTMLDetailsElement) || !opened.classList.contains("ops") || !opened.open) return;
    document.querySelectorAll("details.ops[open]").forEach((d) => { if (d !== opened) d.open = false; });
  }, true);
  document.addEventListener("click", (ev) => {
    document.querySelectorAll("details.ops[open]").forEach((d) => { if (!d.contains(ev.target)) d.open = false; });
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    const open = ev.target.closest && ev.target.closest("details.ops[open]");
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });

  // ---------------------------------------------------------------- permits dialog
  let permitFor = null;
  function currentItem() { return state.inbox && state.inbox.items.find((i) => i.tracking_no === permitFor); }
  function openPermitDialog(trackingNo) {
    permitFor = trackingNo;
    $("passcode-area").hidden = true;
    $("passcode-area").replaceChildren();
    $("permit-form").hidden = false;
    showError($("permit-err"), null);
    const month = $("permit-form").querySelector('input[value="month"]');
    if (month) month.checked = true;
    renderPermitList();
    closeMenus();
    $("permit-dialog").showModal();
    const first = $("permit-form").querySelector('input[name="validity"]:checked');
    const item = currentItem();
    if (item && item.status === "ready" && first) first.focus(); else $("permit-close").focus();
  }
  function renderPermitList() {
    const item = currentItem();
    const list = $("permit-list");
    if (!item) { list.replaceChildren(); return; }
    $("permit-for").textContent = t("permitFor", digits(item.tracking_no), subjectOf(item));
    $("permit-submit").disabled = item.status !== "ready";
    const permits = item.permits || [];
    if (!permits.length) { list.replaceChildren(h("li", { class: "hint" }, t("noPermits"))); return; }
    list.replaceChildren(...permits.map((p) => h("li", { "data-permit": p.permit_id, "data-status": p.status },
      h("span", null,
        h("span", { class: "badge b-" + p.status }, t("pm_" + p.status) || p.status), " ",
        p.label ? h("strong", { class: "permit-label" }, h("bdi", null, p.label), " — ") : null,
        t("permitLine", t("validity_" + p.validity) || p.validity, digits(p.issued_at_jalali || ""), digits(p.expires_at_jalali || "")),
        h("span", { class: "sub" }, t("views", p.views ? digits(p.views) : 0,
          p.first_viewed_at ? digits(p.first_viewed_at_jalali || jalaliOf(p.first_viewed_at)) : ""),
          p.last_view && p.last_view.browser ? h("span", { class: "sub" }, t("lastSeenWith", p.last_view.browser)) : null)),
      p.status === "active" ? h("button", { type: "button", class: "danger", "data-op": "revoke",
        onclick: (ev) => revokePermit(item.tracking_no, p.permit_id, ev.currentTarget) }, t("revoke")) : null)));
  }
  async function revokePermit(trackingNo, permitId, button) {
    if (!(await confirmBox(t("revokeTitle"), t("revokeText"), t("revokeYes")))) { button.focus(); return; }
    const err = $("permit-err");
    showError(err, null);
    busy(button, true);
    try {
      await api("DELETE", "/v1/me/inbox/" + encodeURIComponent(trackingNo) + "/permits/" + encodeURIComponent(permitId));
      const item = currentItem();
      if (item) {
        const p = (item.permits || []).find((x) => x.permit_id === permitId);
        if (p) p.status = "revoked";
      }
      renderPermitList();
      renderInbox(false);
      flash(t("revoked"));
      await refreshInbox();
      $("permit-close").focus();
    } catch (e) {
      if (e.status !== 401) showError(err, e);
      busy(button, false);
    }
  }
  // One key per permit the person means to issue: a resent click or a lost answer gets the same passcode back
  // instead of a second permit nobody saw.
  let permitKey = null;
  $("permit-form").addEventListener("change", () => { permitKey = null; });
  $("permit-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("permit-err"), button = $("permit-submit");
    const validity = ($("permit-form").querySelector('input[name="validity"]:checked') || {}).value || "month";
    const label = $("permit-label").value.trim().slice(0, 60);
    showError(err, null);
    busy(button, true);
    try {
      permitKey = permitKey || newKey();
      const answer = await api("POST", "/v1/me/inbox/" + encodeURIComponent(permitFor) + "/permits", { validity, label },
                               { headers: { "Idempotency-Key": permitKey } });
      permitKey = null;
      showPasscode(answer);
      const item = currentItem();
      if (item && !(item.permits || []).some((p) => p.permit_id === answer.permit_id)) {
        item.permits = [{ permit_id: answer.permit_id, validity: answer.validity || validity, status: "active", views: 0,
          label: answer.label || label,
          issued_at_jalali: jalaliOf(new Date().toISOString()), expires_at: answer.expires_at,
          expires_at_jalali: answer.expires_at_jalali || jalaliOf(answer.expires_at) }].concat(item.permits || []);
        renderPermitList();
      }
      await refreshInbox();
    } catch (e) {
      if (e.status !== 401) showError(err, e, button);
    } finally {
      busy(button, false);
    }
  });
  function showPasscode(answer) {
    const area = $("passcode-area");
    const ascii = toAscii(answer.passcode || "");
    const status = h("p", { class: "hint", role: "status", "aria-live": "polite" });
    const copy = async () => {
      let ok = false;
      try { await navigator.clipboard.writeText(ascii); ok = true; } catch (e) {
        const ta = h("textarea", { style: "position:fixed;opacity:0", "aria-hidden": "true" });
        ta.value = ascii;
        document.body.append(ta);
        ta.select();
        try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
        ta.remove();
      }
      status.textContent = ok ? t("copied") : t("copyFailed");
    };
    // Each group of five digits stays whole: a narrow screen may move a whole group to the next line, never split one.
    const groups = ascii.split(/[^0-9]+/).filter(Boolean);
    const shown = groups.flatMap((group, i) => [
      i ? h("span", { class: "pc-sep" }, "-") : null, i ? h("wbr") : null,
      h("span", { class: "pc-group", "data-testid": "passcode-group" }, digits(group))]).filter(Boolean);
    const panel = answer.panel_url || answer.inquiry_url || INQUIRY_URL;
    const print = () => {
      document.body.classList.add("print-passcode");
      try { window.print(); } finally { setTimeout(() => document.body.classList.remove("print-passcode"), 0); }
    };
    const share = async () => {
      try {
        await navigator.share({ title: t("passcodeTitle"), text: t("shareText", digits(groups.join("-")), panel) });
      } catch (e) {
        if (e && e.name !== "AbortError") status.textContent = t("shareFailed");
      }
    };
    area.replaceChildren(h("div", { class: "passcode-box", "data-testid": "passcode-box" },
      h("h3", { style: "margin:0;font-size:1rem", id: "passcode-label" }, t("passcodeTitle")),
      h("output", { class: "passcode", dir: "ltr", "data-testid": "passcode", "aria-labelledby": "passcode-label" }, shown),
      answer.expires_at_jalali ? h("p", { style: "margin:0 0 8px" }, t("passcodeUntil", digits(answer.expires_at_jalali))) : null,
      h("p", { class: "panel-address", "data-testid": "panel-address" }, t("passcodePanel"), " ",
        h("a", { href: panel, target: "_blank", rel: "noopener", dir: "ltr", class: "ltr" }, panel)),
      h("div", { class: "row-actions keep-actions" },
        h("button", { type: "button", "data-op": "copy", onclick: copy }, t("copy")),
        h("button", { type: "button", class: "secondary", "data-op": "print", onclick: print }, t("print")),
        typeof navigator.share === "function"
          ? h("button", { type: "button", class: "secondary", "data-op": "share", onclick: share }, t("share")) : null),
      status,
      h("p", { class: "warn", role: "note" }, t("passcodeWarn")),
      h("p", { class: "hint" }, t("passcodeHow"))));
    area.hidden = false;
    $("permit-form").hidden = true;
    area.querySelector('[data-op="copy"]').focus();
  }
  function forgetPasscode() {
    // the passcode is shown once: it leaves the page with the dialog
    $("passcode-area").replaceChildren();
    $("passcode-area").hidden = true;
    $("permit-form").hidden = false;
  }
  function closePermitDialog() {
    const dlg = $("permit-dialog");
    forgetPasscode();  // at once: the dialog's "close" event comes a moment later
    if (dlg.open) dlg.close();
  }
  $("permit-close").addEventListener("click", closePermitDialog);
  $("permit-dialog").addEventListener("close", () => {
    forgetPasscode();
    const row = document.querySelector('tr[data-tracking="' + CSS.escape(permitFor || "") + '"] summary');
    permitFor = null;
    if (row) row.focus();
  });

  // ---------------------------------------------------------------- objections
  // What the service accepts (services/objections.py): checked here first, so a person hears about it before sending.
  const ATTACHMENT_TYPES = { "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png" };
  const EXTENSION_TYPES = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" };
  const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
  const MAX_OBJECTION_MONTHS = 24;
  const MAX_DESCRIPTION = 1000;
  const FIRST_YEAR = 1330;
  const OTHER_WORKSHOP = "other";

  const pad2 = (x) => String(x).padStart(2, "0");
  function jalaliNow() { // [year, month] in Tehran
    const d = new Date(Date.now() + 3.5 * 3600 * 1000);
    return g2j(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  function monthName(y, m) { return (S.MONTHS[lang][m - 1] || digits(m)) + " " + digits(y); }
  function monthText(ym) {
    const [y, m] = String(ym || "").split("/").map(Number);
    return y && m ? monthName(y, m) : digits(ym || "");
  }
  function monthsText(from, to) { return !to || from === to ? monthText(from) : t("monthRange", monthText(from), monthText(to)); }
  // "1405/09/05" -> "۵ آذر ۱۴۰۵" (the way people say a date)
  function dayDate(jalali) {
    const m = /^(\d{4})\/(\d\d)\/(\d\d)/.exec(toAscii(jalali || ""));
    if (!m) return digits(jalali || "");
    return digits(Number(m[3])) + " " + S.MONTHS[lang][Number(m[2]) - 1] + " " + digits(m[1]);
  }
  // The person's workshops from their records, the most recent first.
  function myWorkshops() {
    const seen = new Map();
    for (const row of (state.records && state.records.rows) || []) {
      const known = seen.get(row.workshop_code);
      if (!known || row.year > known.year) seen.set(row.workshop_code, { code: row.workshop_code, name: row.workshop_name || "", year: row.year });
    }
    return [...seen.values()].sort((a, b) => b.year - a.year);
  }
  function workshopText(code) {
    const known = myWorkshops().find((w) => w.code === code);
    return known && known.name ? [h("bdi", null, known.name), " ", ltr("(" + digits(code) + ")", "nums")] : num(code);
  }

  // --- the form
  const FIELD_ERRORS = ["obj-kind-err", "obj-workshop-err", "obj-from-err", "obj-to-err", "obj-desc-err", "obj-file-err"];
  function options(select, list) {
    const value = select.value;
    select.replaceChildren(...list.map(([v, text]) => h("option", { value: v }, text)));
    if (list.some(([v]) => v === value)) select.value = value;
  }
  function renderObjectionForm() {
    const [thisYear] = jalaliNow();
    const years = [["", t("pickYear")]];
    for (let y = thisYear; y >= FIRST_YEAR; y--) years.push([String(y), digits(y)]);
    const months = [["", t("pickMonth")]].concat(S.MONTHS[lang].map((name, i) => [String(i + 1), t("monthOption", digits(pad2(i + 1)), name)]));
    options($("obj-from-year"), years);
    options($("obj-to-year"), years);
    options($("obj-from-month"), months);
    options($("obj-to-month"), months);
    options($("obj-workshop"), [["", t("objChooseWorkshop")]]
      .concat(myWorkshops().map((w) => [w.code, (w.name ? w.name + " — " : "") + digits(w.code)]))
      .concat([[OTHER_WORKSHOP, t("objOtherWorkshop")]]));
    $("obj-code-wrap").hidden = $("obj-workshop").value !== OTHER_WORKSHOP;
    $("obj-desc-count").textContent = t("charCount", digits($("obj-desc").value.length), digits(MAX_DESCRIPTION));
  }
  function clearFieldErrors() {
    FIELD_ERRORS.forEach((id) => { $(id).textContent = ""; });
    $("objection-form").querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  }
  function fieldError(errId, message, fields) {
    if (!$(errId).textContent) $(errId).textContent = message;
    fields.forEach((el) => el.setAttribute("aria-invalid", "true"));
  }
  function resetObjectionForm() {
    $("objection-form").reset();
    clearFieldErrors();
    showError($("objection-err"), null);
    renderObjectionForm();
  }
  function openObjectionForm() {
    const receipt = state.receipt;
    const upload = receipt && receipt.upload;
    if (upload && (upload.status === "uploading" || (upload.status === "failed" && Date.now() < upload.until))) {
      renderReceipt(); // an upload still at work or waiting for a retry stays in view
      return;
    }
    state.receipt = null;
    $("objection-done").hidden = true;
    $("objection-form").hidden = false;
    renderObjectionForm();
    ensureRecords().then(renderObjectionForm, (e) => { if (e.status !== 401) showError($("objection-err"), e); });
  }
  $("obj-workshop").addEventListener("change", () => {
    const other = $("obj-workshop").value === OTHER_WORKSHOP;
    $("obj-code-wrap").hidden = !other;
    if (other) $("obj-code").focus();
  });
  $("obj-desc").addEventListener("input", () => {
    $("obj-desc-count").textContent = t("charCount", digits($("obj-desc").value.length), digits(MAX_DESCRIPTION));
  });

  function attachmentType(file) {
    if (ATTACHMENT_TYPES[file.type]) return file.type;
    const ext = (/\.([A-Za-z0-9]+)$/.exec(file.name) || [])[1];
    return !file.type && ext ? EXTENSION_TYPES[ext.toLowerCase()] || null : null; // some systems give no type
  }
  function fileProblem(file) {
    if (!file) return null;
    const name = file.name;
    if (!attachmentType(file)) return t("e_fileType", name);
    if (file.size <= 0) return t("e_fileEmpty", name);
    if (file.size > MAX_ATTACHMENT_BYTES) {
      const mb = (Math.ceil(file.size / 1024 / 1024 * 10) / 10).toFixed(1);
      return t("e_fileSize", name, digits(lang === "fa" ? mb.replace(".", "٫") : mb));
    }
    return null;
  }
  function showFileName() {
    const file = $("obj-file").files[0], name = $("obj-file-name");
    if (file) { delete name.dataset.t; name.textContent = file.name; }
    else { name.dataset.t = "noFile"; name.textContent = t("noFile"); }
  }
  $("objection-form").addEventListener("reset", () => setTimeout(showFileName));
  $("obj-file").addEventListener("change", () => {
    showFileName();
    const file = $("obj-file").files[0];
    const problem = fileProblem(file);
    $("obj-file-err").textContent = problem || "";
    if (problem) $("obj-file").setAttribute("aria-invalid", "true"); else $("obj-file").removeAttribute("aria-invalid");
  });

  // Everything the service would refuse, said in the person's words next to the field; null when the form is good.
  function objectionFromForm() {
    clearFieldErrors();
    const form = $("objection-form");
    const kind = (form.querySelector('input[name="obj-kind"]:checked') || {}).value;
    if (!kind) fieldError("obj-kind-err", t("e_kind"), [...form.querySelectorAll('input[name="obj-kind"]')]);
    let workshop = $("obj-workshop").value;
    if (!workshop) fieldError("obj-workshop-err", t("e_workshop"), [$("obj-workshop")]);
    else if (workshop === OTHER_WORKSHOP) {
      workshop = codeOnly($("obj-code").value);
      if (!/^\d{10}$/.test(workshop)) fieldError("obj-workshop-err", t("e_code"), [$("obj-code")]);
    }
    const pick = (which) => [Number($("obj-" + which + "-year").value), Number($("obj-" + which + "-month").value)];
    const [fy, fm] = pick("from"), [ty, tm] = pick("to");
    if (!fy || !fm) fieldError("obj-from-err", t("e_from"), [!fy ? $("obj-from-year") : null, !fm ? $("obj-from-month") : null].filter(Boolean));
    if (!ty || !tm) fieldError("obj-to-err", t("e_to"), [!ty ? $("obj-to-year") : null, !tm ? $("obj-to-month") : null].filter(Boolean));
    if (fy && fm && ty && tm) {
      const first = fy * 12 + fm - 1, last = ty * 12 + tm - 1;
      const [ny, nm] = jalaliNow();
      if (last < first) fieldError("obj-to-err", t("e_order"), [$("obj-to-year"), $("obj-to-month")]);
      else if (last > ny * 12 + nm - 1) fieldError("obj-to-err", t("e_future", monthName(ny, nm)), [$("obj-to-year"), $("obj-to-month")]);
      else if (last - first + 1 > MAX_OBJECTION_MONTHS) fieldError("obj-to-err", t("e_span", digits(MAX_OBJECTION_MONTHS)), [$("obj-to-year"), $("obj-to-month")]);
    }
    const description = $("obj-desc").value.trim();
    if (!description) fieldError("obj-desc-err", t("e_desc"), [$("obj-desc")]);
    const file = $("obj-file").files[0] || null;
    const problem = fileProblem(file);
    if (problem) fieldError("obj-file-err", problem, [$("obj-file")]);
    const invalid = form.querySelector('[aria-invalid="true"]');
    if (invalid) { invalid.focus(); return null; }
    const body = { kind, workshop_code: workshop, from: fy + "/" + pad2(fm), to: ty + "/" + pad2(tm), description };
    if (file) {
      const name = file.name.length > 200 ? file.name.slice(-200) : file.name;
      body.attachment = { filename: name, size: file.size, content_type: attachmentType(file) };
    }
    return { body, file };
  }

  $("objection-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("objection-err"), button = $("objection-submit");
    showError(err, null);
    const filing = objectionFromForm();
    if (!filing) return;
    busy(button, true);
    try {
      const answer = await api("POST", "/v1/me/objections", filing.body);
      state.objections = null;
      state.activity = null;
      state.receipt = { tracking_no: answer.tracking_no, upload: null };
      if (filing.file) {
        state.receipt.upload = { status: "uploading", percent: 0, file: filing.file, name: filing.file.name,
          type: filing.body.attachment.content_type, url: answer.upload_url,
          until: Date.now() + 1000 * Math.max(0, (answer.upload_expires_in || 0) - 10) };
      }
      $("objection-form").hidden = true;
      resetObjectionForm();
      renderReceipt();
      $("objection-done").hidden = false;
      $("objection-done").focus();
      if (state.receipt.upload) uploadAttachment(state.receipt);
    } catch (e) {
      if (e.status !== 401) showError(err, e, button);
    } finally {
      busy(button, false);
    }
  });

  // The file goes straight to storage with the link the service signed for its exact type and size.
  function putFile(url, file, type, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      xhr.setRequestHeader("Content-Type", type);
      xhr.upload.onprogress = (ev) => { if (ev.lengthComputable && ev.total) onProgress(ev.loaded / ev.total); };
      xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error("HTTP " + xhr.status)));
      xhr.onerror = xhr.onabort = xhr.ontimeout = () => reject(new Error("network"));
      xhr.send(file);
    });
  }
  function warnBeforeLeaving(ev) { ev.preventDefault(); ev.returnValue = t("upLeave"); return t("upLeave"); }
  async function uploadAttachment(receipt) {
    const upload = receipt.upload;
    if (!upload.url || Date.now() > upload.until) { upload.status = upload.url ? "expired" : "failed"; renderReceipt(); return; }
    upload.status = "uploading";
    upload.percent = 0;
    renderReceipt();
    window.addEventListener("beforeunload", warnBeforeLeaving);
    try {
      await putFile(upload.url, upload.file, upload.type, (share) => {
        upload.percent = Math.min(99, Math.floor(share * 100));
        updateProgress();
      });
      upload.status = "done";
      upload.file = null;
    } catch (e) {
      upload.status = Date.now() > upload.until ? "expired" : "failed";
    } finally {
      window.removeEventListener("beforeunload", warnBeforeLeaving);
    }
    if (state.receipt === receipt) {
      renderReceipt();
      const focus = $("objection-done").querySelector("[data-op=retry-upload]");
      if (focus) focus.focus();
    }
  }
  function updateProgress() {
    const upload = state.receipt && state.receipt.upload;
    const bar = $("objection-done").querySelector("progress");
    if (!upload || !bar) return;
    bar.value = upload.percent;
    $("objection-done").querySelector(".pct").textContent = t("upPercent", digits(upload.percent));
  }
  function uploadBox(upload) {
    if (upload.status === "uploading") {
      return h("div", { class: "upload-box", "data-testid": "upload-status", "data-state": "uploading" },
        h("p", { id: "upload-label" }, t("upUploading", upload.name), " ", h("span", { class: "pct" }, t("upPercent", digits(upload.percent)))),
        h("progress", { max: "100", value: String(upload.percent), "aria-labelledby": "upload-label" }));
    }
    if (upload.status === "done") {
      return h("div", { class: "upload-box ok", "data-testid": "upload-status", "data-state": "done" }, h("p", null, "✓ ", t("upDone", upload.name)));
    }
    const retry = upload.status === "failed" && Date.now() < upload.until;
    const until = new Date(upload.until + 3.5 * 3600 * 1000);
    return h("div", { class: "upload-box bad", role: "alert", "data-testid": "upload-status", "data-state": upload.status },
      h("p", null, retry ? t("upFailed") : t("upExpired")),
      retry ? h("p", null, t("upRetryUntil", digits(pad2(until.getUTCHours()) + ":" + pad2(until.getUTCMinutes())))) : null,
      retry ? h("button", { type: "button", "data-op": "retry-upload", onclick: () => uploadAttachment(state.receipt) }, t("upRetry")) : null);
  }
  function renderReceipt() {
    const receipt = state.receipt;
    const done = $("objection-done");
    if (!receipt) { done.replaceChildren(); return; }
    done.replaceChildren(
      h("p", { "data-testid": "objection-tracking" }, h("strong", null, t("objFiled", digits(receipt.tracking_no)))),
      h("p", { class: "hint" }, t("objFiledNext")),
      receipt.upload ? uploadBox(receipt.upload) : null,
      h("div", { class: "row-actions" },
        h("a", { class: "btn", href: "#objections" }, t("navObjections")),
        h("button", { type: "button", class: "secondary", onclick: () => {
          if (receipt.upload && receipt.upload.status === "uploading") return;
          state.receipt = null;
          openObjectionForm();
          $("obj-title").focus();
        }, disabled: !!(receipt.upload && receipt.upload.status === "uploading") }, t("objAnother"))));
    $("objection-form").hidden = true;
    done.hidden = false;
  }

  // --- the list
  async function loadObjections() {
    const err = $("objections-err");
    showError(err, null);
    if (state.objections) renderObjections();
    else $("objections-list").replaceChildren(h("li", { class: "loading" }, t("loading")));
    try {
      const [answer] = await Promise.all([api("GET", "/v1/me/objections"), ensureRecords().catch(() => null)]);
      state.objections = answer.items || [];
      // a decision accepted since the records were read changed them: read them again when next shown
      if (state.records && state.objections.some((o) => o.status === "accepted" && Date.parse(o.decided_at || "") >= state.recordsAt)) {
        state.records = state.wages = null;
        state.wagesYear = null;
        await ensureRecords().catch(() => null);
      }
      renderObjections();
    } catch (e) {
      if (!state.objections) $("objections-list").replaceChildren();
      if (e.status !== 401) showError(err, e);
    }
  }
  function fact(label, value) { return [h("dt", null, label), h("dd", null, value)]; }
  function objectionCard(o) {
    const decided = o.status === "accepted" || o.status === "rejected";
    const corrections = (o.corrections || []).slice().sort((a, b) => a.year - b.year || a.month - b.month);
    const headingId = "obj-" + o.tracking_no;
    return h("li", { class: "obj-card", "data-tracking": o.tracking_no, "data-status": o.status, "data-testid": "objection",
                     "aria-labelledby": headingId },
      h("div", { class: "obj-head" },
        h("h2", { id: headingId }, t("objHeading", digits(o.tracking_no))),
        h("span", { class: "badge b-" + o.status, "data-testid": "objection-status" }, t("os_" + o.status) || o.status)),
      h("dl", { class: "obj-facts" },
        fact(t("f_kind"), t("objKindOf")[o.kind] || o.kind),
        fact(t("f_workshop"), workshopText(o.workshop_code)),
        fact(t("f_months"), monthsText(o.from, o.to)),
        fact(t("f_filed"), dateCell(o.submitted_at_jalali)),
        o.description ? fact(t("f_description"), h("span", { dir: "auto" }, o.description)) : null),
      decided ? h("div", { class: "obj-decision", "data-testid": "objection-decision" },
        h("strong", null, t("decidedOn"), " ", dateCell(o.decided_at_jalali || jalaliOf(o.decided_at).slice(0, 10))),
        o.decision_reason ? h("p", { style: "margin:4px 0 0" }, t("f_reason") + ": ", h("span", { dir: "auto" }, o.decision_reason)) : null,
        o.status === "accepted" && corrections.length ? [
          h("p", { style: "margin:6px 0 0" }, t("correctedTitle")),
          h("ul", { "data-testid": "objection-corrections" }, corrections.map((c) =>
            h("li", null, t("correctedLine", monthName(c.year, c.month), digits(c.days), grouped(c.wage))))),
        ] : null,
        o.status === "accepted" ? h("p", { class: "hint", style: "margin:6px 0 0" }, t("objAcceptedNote")) : null)
        : h("p", { class: "hint", style: "margin:8px 0 0" }, t("objWaiting")));
  }
  function renderObjections() {
    const list = $("objections-list");
    const items = (state.objections || []).slice().sort((a, b) => String(b.submitted_at).localeCompare(String(a.submitted_at)));
    if (!items.length) { list.replaceChildren(h("li", { class: "empty" }, t("objectionsEmpty"))); return; }
    list.replaceChildren(...items.map(objectionCard));
  }

  // ---------------------------------------------------------------- activity timeline
  async function loadActivity(more) {
    const err = $("activity-err");
    showError(err, null);
    if (state.activity && !more) { renderActivity(); }
    const cursor = more && state.activity ? state.activity.next : null;
    if (!more && !state.activity) $("timeline").replaceChildren(h("li", { class: "loading" }, t("loading")));
    try {
      const page = await api("GET", "/v1/me/activity?limit=20" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      if (more && state.activity) {
        const known = new Set(state.activity.items.map((i) => i.id));
        state.activity.items = state.activity.items.concat((page.items || []).filter((i) => !known.has(i.id)));
        state.activity.next = page.next || null;
      } else {
        state.activity = { items: page.items || [], next: page.next || null };
      }
      renderActivity();
    } catch (e) {
      if (!state.activity) $("timeline").replaceChildren();
      if (e.status !== 401) showError(err, e);
    }
  }
  function detailValue(key, value) {
    const text = String(value);
    if (key === "validity" && T[lang]["validity_" + text]) return t("validity_" + text);
    if (key === "kind" && t("kindOf")[text]) return t("kindOf")[text];
    if (key === "kind" && t("objKindOf")[text]) return t("objKindOf")[text];
    if (key === "decision" && T[lang]["os_" + text]) return t("os_" + text);
    if (key === "months" && /^\d{4}\/\d\d\s*[–-]\s*\d{4}\/\d\d$/.test(text)) return monthsText(...text.split(/\s*[–-]\s*/));
    if (key === "since_month" && /^\d{4}\/\d\d$/.test(text)) return monthText(text);
    if (/_at$/.test(key) && /^\d{4}-\d\d-\d\dT/.test(text)) return when(jalaliOf(text));
    // Ids mix digits and Latin letters: kept as they are, never half in Persian digits.
    if (key === "user_agent" || key === "reference" || key === "document_id" || key === "permit_id") return ltr(text);
    if (/^[\d\-\/:. ]+$/.test(text) || key === "client_ip") return num(text);
    return h("bdi", null, text);
  }
  function renderActivity() {
    const list = $("timeline");
    const items = state.activity.items;
    $("activity-more").hidden = !state.activity.next;
    if (!items.length) { list.replaceChildren(h("li", { class: "empty" }, t("timelineEmpty"))); return; }
    list.replaceChildren(...items.map((it) => {
      const inst = it.kind === "institution_view";
      const objection = it.kind === "objection_filed" || it.kind === "objection_decided";
      const outdated = it.kind === "statement_outdated";
      const badge = inst ? h("span", { class: "badge b-inst" }, t("instBadge"))
        : objection ? h("span", { class: "badge b-obj" }, t("objBadge"))
        : outdated ? h("span", { class: "badge b-outdated" }, t("outdatedEntryBadge")) : null;
      // The browser's name ("Chrome on Windows") stands for its raw user-agent string; the permit's label first.
      const raw = it.details || {};
      const details = Object.entries(raw).filter(([k, v]) => v !== null && v !== undefined && v !== "" && typeof v !== "object"
        && !(k === "user_agent" && raw.browser))
        .sort(([a], [b]) => (b === "label") - (a === "label"));
      return h("li", { class: inst ? "inst" : objection ? "obj" : outdated ? "outdated" : null, "data-kind": it.kind, "data-testid": "activity-item" },
        h("time", { datetime: it.at }, when(it.at_jalali || it.at)),
        h("span", { class: "title" }, badge, badge ? " " : null,
          lang === "en" ? (it.title_en || it.title_fa) : (it.title_fa || it.title_en)),
        details.length ? h("dl", null, details.map(([k, v]) => [
          h("dt", null, T[lang]["d_" + k] || k.replace(/_/g, " ")),
          h("dd", null, detailValue(k, v)),
        ])) : null);
    }));
  }
  $("activity-more").addEventListener("click", async () => {
    const button = $("activity-more");
    busy(button, true);
    await loadActivity(true);
    busy(button, false);
  });

  // ---------------------------------------------------------------- profile and password
  async function loadProfile() {
    const err = $("profile-err");
    showError(err, null);
    try {
      state.profile = await api("GET", "/v1/me");
      renderProfile();
    } catch (e) {
      if (e.status !== 401) showError(err, e);
    }
  }
  function renderProfile() {
    const p = state.profile;
    if (!p) { $("profile-facts").replaceChildren(); return; }
    $("profile-facts").replaceChildren(...[
      fact(t("p_name"), h("bdi", null, p.name || [p.first_name, p.last_name].filter(Boolean).join(" "))),
      fact(t("p_national_code"), num(p.national_code)),
      p.insurance_no ? fact(t("p_insurance_no"), num(p.insurance_no)) : null,
      fact(t("p_mobile"), h("span", { "data-testid": "profile-mobile" }, num(p.mobile_masked || t("dash")))),
      fact(t("p_email"), p.email ? emailText(p.email) : t("dash"))].flat().filter(Boolean));
  }
  $("cp-new").addEventListener("input", () => {
    const r = passwordRules($("cp-new").value);
    $("cp-rule-len").classList.toggle("ok", r.len);
    $("cp-rule-mix").classList.toggle("ok", r.mix);
  });
  $("password-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("password-err"), button = $("password-submit");
    const current = $("cp-current").value, pw = $("cp-new").value, pw2 = $("cp-new2").value;
    if (!current || !pw) { showError(err, t("required")); return; }
    const rules = passwordRules(pw);
    if (!rules.len || !rules.mix) { showError(err, t("pwWeak")); $("cp-new").focus(); return; }
    if (pw !== pw2) { showError(err, t("pwMismatch")); $("cp-new2").focus(); return; }
    showError(err, null);
    busy(button, true);
    try {
      // a wrong current password is a 401 too: sent "anonymous" with the token by hand, so it does not log the person out
      const answer = await api("POST", "/v1/me/password", { current_password: current, new_password: pw },
                               { anonymous: true, headers: { Authorization: "Bearer " + (sessionStorage.getItem(TOKEN_KEY) || "") } });
      if (answer && answer.token) saveSession(TOKEN_KEY, answer.token); // this session goes on with a new token
      $("password-form").reset();
      ["cp-rule-len", "cp-rule-mix"].forEach((id) => $(id).classList.remove("ok"));
      flash(t("pwChanged"));
    } catch (e) {
      if (e.status === 401 && e.code !== "wrong_password") sessionEnded(); else showError(err, e, button);
    } finally {
      busy(button, false);
    }
  });

  // ---------------------------------------------------------------- start
  applyLanguage();
  route();
  // The agreement is the server's: the version and text it stores with each request are what is shown here.
  api("GET", "/v1/agreement", undefined, { anonymous: true }).then((agreement) => {
    const html = (part) => "<h3>" + escapeText(part.title) + "</h3><ol>" +
      part.items.map((item) => "<li>" + escapeText(item) + "</li>").join("") + "</ol>";
    T.fa.agreementHtml = html(agreement.fa);
    T.en.agreementHtml = html(agreement.en);
    $("agreement").dataset.version = agreement.version;
    applyLanguage();
  }).catch(() => {});
  function escapeText(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }
})();
