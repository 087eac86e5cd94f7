"""Persian names in Latin letters, for the English statements people take to embassies.

An English statement must name the person and the workshops, and the records hold those names only in Persian. This
is transliteration, not translation: "شرکت صنایع غذایی البرز" becomes "Sherkat Sanaye Ghazaei Alborz", the way an
Iranian passport or a sworn translator would spell it, not "Alborz Food Industries Company". The Persian original is
printed beside the Latin spelling on the document, so a spelling that is merely plausible loses nothing.

Persian script leaves out the short vowels, so no letter-by-letter rule can spell "مریم" as "Maryam" (it reads
m-r-y-m). Common words and names therefore come from the dictionaries below; a word they do not hold is split into
known words and suffixes ("علیرضا" → Ali + reza, "کامرانی" → Kamran + i), and only what is left is spelled letter by
letter, guessing the vowels from Persian syllable shapes. Pure: no I/O, standard library only.
"""
from __future__ import annotations

import functools
import re
import unicodedata

ZWNJ = "\u200c"

# The Persian alphabet in its own order (Unicode puts پ چ ژ گ after ی): the dictionaries are kept in this order.
PERSIAN_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"

# Kept here rather than imported from digits.py so that this module depends on the standard library only.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)

# Short vowels are not written in Persian, so a word's spelling cannot be derived from its letters: these are the words
# that workshop and company names are mostly made of, spelled as Iranian firms spell themselves in Latin letters.
# Keys in Persian alphabetical order (PERSIAN_ALPHABET, then ئ; ZWNJ ignored); a value in lower case is a conjunction or
# preposition and stays in lower case inside a name ("Haml va Naghl"). Add words freely: the tests keep the order.
WORDS: dict[str, str] = {
    "آب": "Ab", "آباد": "Abad", "آبادان": "Abadan", "آبیاری": "Abyari", "آجر": "Ajor", "آذربایجان": "Azarbayjan",
    "آرایشگاه": "Arayeshgah", "آرایشی": "Arayeshi", "آرد": "Ard", "آزاد": "Azad", "آزمایشگاه": "Azmayeshgah",
    "آژانس": "Azhans", "آشپزخانه": "Ashpazkhaneh", "آفتاب": "Aftab", "آلات": "Alat", "آلومینیوم": "Aluminiom",
    "آموزش": "Amouzesh", "آموزشگاه": "Amouzeshgah", "آموزشی": "Amouzeshi", "آهن": "Ahan", "آینده": "Ayandeh",
    "ابزار": "Abzar", "اتحادیه": "Ettehadieh", "اجتماعی": "Ejtemaei", "اداره": "Edareh", "اداری": "Edari",
    "اراک": "Arak", "ارتباطات": "Ertebatat", "اردبیل": "Ardabil", "ارومیه": "Oroumieh", "از": "az", "استان": "Ostan",
    "اسلامی": "Eslami", "اصفهان": "Esfahan", "اطلاعات": "Etelaat", "اعتبار": "Etebar", "اعتباری": "Etebari",
    "اقتصاد": "Eghtesad", "اقتصادی": "Eghtesadi", "البرز": "Alborz", "الکترونیک": "Elektronik",
    "الکترونیکی": "Elektroniki", "الله": "Allah", "انبار": "Anbar", "انتشارات": "Entesharat", "انجمن": "Anjoman",
    "اندیشه": "Andisheh", "انرژی": "Enerzhi", "انسانی": "Ensani", "اهواز": "Ahvaz", "ایران": "Iran",
    "اینترنت": "Internet",
    "با": "ba", "باربری": "Barbari", "بازار": "Bazar", "بازرگانی": "Bazargani", "باشگاه": "Bashgah", "بانک": "Bank",
    "برای": "baraye", "برق": "Bargh", "بسته\u200cبندی": "Bastehbandi", "بندر": "Bandar", "بنیاد": "Bonyad",
    "بوشهر": "Boushehr", "به": "be", "بهداشت": "Behdasht", "بهداشتی": "Behdashti", "بیمارستان": "Bimarestan",
    "بیمه": "Bimeh", "بین\u200cالمللی": "Beynolmelali",
    "پارس": "Pars", "پارسیان": "Parsian", "پارک": "Park", "پالایش": "Palayesh", "پالایشگاه": "Palayeshgah",
    "پتروشیمی": "Petroshimi", "پخش": "Pakhsh", "پرورش": "Parvaresh", "پروژه": "Prozheh", "پزشکی": "Pezeshki",
    "پژوهشی": "Pazhouheshi", "پست": "Post", "پلاستیک": "Plastik", "پوشاک": "Poushak", "پیام": "Payam",
    "پیشرو": "Pishro", "پیشگام": "Pishgam", "پیمانکاری": "Peymankari",
    "تاسیسات": "Tasisat", "تامین": "Tamin", "تبریز": "Tabriz", "تبلیغات": "Tablighat", "تبلیغاتی": "Tablighati",
    "تجارت": "Tejarat", "تجاری": "Tejari", "تجهیزات": "Tajhizat", "تحقیقات": "Tahghighat", "تدبیر": "Tadbir",
    "ترابری": "Tarabari", "ترجمه": "Tarjomeh", "تعاونی": "Taavoni", "تعمیر": "Tamir", "تعمیرات": "Tamirat",
    "تعمیرگاه": "Tamirgah", "توزیع": "Tozi", "توسعه": "Toseeh", "تولید": "Tolid", "تولیدی": "Tolidi",
    "تهران": "Tehran",
    "جامع": "Jame", "جهان": "Jahan",
    "چاپ": "Chap", "چای": "Chay", "چرم": "Charm", "چوب": "Choub",
    "حسابداری": "Hesabdari", "حسابرسی": "Hesabresi", "حفاظت": "Hefazat", "حقوقی": "Hoghoughi", "حمل": "Haml",
    "حمل\u200cونقل": "Hamlonaghl",
    "خاص": "Khas", "خانگی": "Khanegi", "خدمات": "Khadamat", "خدماتی": "Khadamati", "خراسان": "Khorasan",
    "خزر": "Khazar", "خصوصی": "Khosousi", "خلیج": "Khalij", "خودرو": "Khodro", "خوراک": "Khorak", "خیریه": "Kheyrieh",
    "دارو": "Darou", "داروخانه": "Daroukhaneh", "دارویی": "Darouei", "دام": "Dam", "دامداری": "Damdari",
    "دانش": "Danesh", "دانشگاه": "Daneshgah", "دبستان": "Dabestan", "دبیرستان": "Dabirestan", "در": "dar",
    "درمان": "Darman", "درمانگاه": "Darmangah", "درمانی": "Darmani", "دریا": "Darya", "دشت": "Dasht",
    "دفتر": "Daftar", "دکتر": "Doktor", "دماوند": "Damavand", "دولتی": "Dolati", "دیجیتال": "Dijital",
    "ذوب": "Zob",
    "راه": "Rah", "راه\u200cآهن": "Rahahan", "رایانه": "Rayaneh", "رایانه\u200cای": "Rayanei", "رسانه": "Resaneh",
    "رستوران": "Restoran", "رسمی": "Rasmi", "رشت": "Rasht", "رنگ": "Rang", "روغن": "Roghan",
    "ریخته\u200cگری": "Rikhtehgari",
    "زاگرس": "Zagros", "زبان": "Zaban", "زنجان": "Zanjan", "زنجیره\u200cای": "Zanjirei",
    "ساخت": "Sakht", "ساختمان": "Sakhteman", "ساختمانی": "Sakhtemani", "ساز": "Saz", "سازان": "Sazan",
    "سازمان": "Sazman", "سازه": "Sazeh", "سازی": "Sazi", "سپهر": "Sepehr", "سرامیک": "Seramik",
    "سردخانه": "Sardkhaneh", "سرمایه": "Sarmayeh", "سرمایه\u200cگذاری": "Sarmayehgozari", "سلامت": "Salamat",
    "سمنان": "Semnan", "سهامی": "Sahami", "سیستم": "Sistem", "سیمان": "Siman",
    "شبکه": "Shabakeh", "شرکت": "Sherkat", "شعبه": "Shobeh", "شماره": "Shomareh", "شمال": "Shomal", "شهر": "Shahr",
    "شهرداری": "Shahrdari", "شهرک": "Shahrak", "شیر": "Shir", "شیراز": "Shiraz", "شیشه": "Shisheh", "شیلات": "Shilat",
    "شیمیایی": "Shimiaei",
    "صادرات": "Saderat", "صرافی": "Sarrafi", "صنایع": "Sanaye", "صنعت": "Sanat", "صنعتی": "Sanati",
    "طراحی": "Tarrahi", "طرح": "Tarh", "طلا": "Tala",
    "عام": "Am", "عمران": "Omran", "عمرانی": "Omrani", "عمومی": "Omoumi",
    "غذا": "Ghaza", "غذایی": "Ghazaei",
    "فارس": "Fars", "فرآورده": "Faravardeh", "فرآوری": "Faravari", "فرش": "Farsh", "فروش": "Foroush",
    "فروشگاه": "Foroushgah", "فرهنگی": "Farhangi", "فلزی": "Felezi", "فناوری": "Fanavari", "فنی": "Fanni",
    "فولاد": "Foulad",
    "قزوین": "Ghazvin", "قطعات": "Ghataat", "قم": "Ghom", "قنادی": "Ghannadi",
    "کار": "Kar", "کارخانجات": "Karkhanejat", "کارخانه": "Karkhaneh", "کارشناس": "Karshenas", "کارگاه": "Kargah",
    "کاشان": "Kashan", "کاشی": "Kashi", "کالا": "Kala", "کرج": "Karaj", "کرمان": "Kerman", "کرمانشاه": "Kermanshah",
    "کشاورزی": "Keshavarzi", "کشتیرانی": "Keshtirani", "کفش": "Kafsh", "کلینیک": "Kelinik", "کنترل": "Kontrol",
    "کودک": "Koudak", "کیش": "Kish", "کیفیت": "Keyfiat",
    "گاز": "Gaz", "گردشگری": "Gardeshgari", "گروه": "Gorouh", "گستر": "Gostar", "گلخانه": "Golkhaneh",
    "گوشت": "Gousht", "گیلان": "Gilan",
    "لبنیات": "Labaniat", "لوازم": "Lavazem", "لوله": "Louleh",
    "مازندران": "Mazandaran", "ماشین": "Mashin", "ماشین\u200cآلات": "Mashinalat", "مالی": "Mali",
    "مبارکه": "Mobarakeh", "مبلمان": "Moblman", "مجتمع": "Mojtame", "محدود": "Mahdoud", "محصولات": "Mahsoulat",
    "مخابرات": "Mokhaberat", "مدرسه": "Madreseh", "مدیریت": "Modiriat", "مرغداری": "Morghdari", "مرکز": "Markaz",
    "مرکزی": "Markazi", "مس": "Mes", "مسافرتی": "Mosaferati", "مسکن": "Maskan", "مسکونی": "Maskouni",
    "مسئولیت": "Masouliat", "مشاور": "Moshaver", "مشاوره": "Moshavereh", "مشهد": "Mashhad", "مصالح": "Masaleh",
    "معدن": "Madan", "معدنی": "Madani", "معماری": "Memari", "ملت": "Mellat", "ملی": "Melli", "منطقه": "Mantagheh",
    "مواد": "Mavad", "موتور": "Motor", "موسسه": "Moasseseh", "مهندس": "Mohandes", "مهندسی": "Mohandesi",
    "مهندسین": "Mohandesin",
    "نان": "Nan", "نانوایی": "Nanvaei", "نرم\u200cافزار": "Narmafzar", "نساجی": "Nassaji", "نصب": "Nasb",
    "نظافت": "Nezafat", "نفت": "Naft", "نقل": "Naghl", "نگهداری": "Negahdari", "نمایندگی": "Namayandegi",
    "نمونه": "Nemouneh", "نوین": "Novin", "نیرو": "Nirou", "نیروگاه": "Nirougah",
    "و": "va", "واحد": "Vahed", "واردات": "Varedat", "ورزشی": "Varzeshi",
    "هتل": "Hotel", "همدان": "Hamedan", "هنری": "Honari", "هواپیمایی": "Havapeymaei", "هوشمند": "Houshmand",
    "یا": "ya", "یزد": "Yazd",
}

# The most frequent given names and surnames in Iran, spelled as Iranian passports spell them (ou for a long u:
# Mousavi, Masoud; eh for a final silent h: Fatemeh). Same order and rules as WORDS.
NAMES: dict[str, str] = {
    "آتنا": "Atena", "آرش": "Arash", "آرمان": "Arman", "آریا": "Aria", "آرین": "Arian", "آزاده": "Azadeh",
    "آزیتا": "Azita", "آقایی": "Aghaei", "آناهیتا": "Anahita", "آیدا": "Aida", "ابراهیم": "Ebrahim",
    "ابراهیمی": "Ebrahimi", "ابوالفضل": "Abolfazl", "ابوالقاسم": "Abolghasem", "احسان": "Ehsan", "احمد": "Ahmad",
    "احمدزاده": "Ahmadzadeh", "احمدی": "Ahmadi", "اردشیر": "Ardeshir", "اسد": "Asad", "اسدی": "Asadi",
    "اسماعیل": "Esmaeil", "اسماعیلی": "Esmaeili", "اشرف": "Ashraf", "اصغر": "Asghar", "اعظم": "Azam",
    "افسانه": "Afsaneh", "افشار": "Afshar", "افشاری": "Afshari", "اکبر": "Akbar", "اکبری": "Akbari", "اکرم": "Akram",
    "الناز": "Elnaz", "الهام": "Elham", "امید": "Omid", "امیر": "Amir", "امیرحسین": "Amirhossein",
    "امیرعلی": "Amirali", "امیرمحمد": "Amirmohammad", "امیری": "Amiri", "امیری\u200cفر": "Amirifar", "امین": "Amin",
    "امینی": "Amini", "انصاری": "Ansari", "ایرج": "Iraj", "ایمان": "Iman", "ایوب": "Ayoub",
    "بابایی": "Babaei", "بابک": "Babak", "باقر": "Bagher", "باقری": "Bagheri", "بتول": "Batoul", "بهاره": "Bahareh",
    "بهرام": "Bahram", "بهرامی": "Bahrami", "بهروز": "Behrouz", "بهزاد": "Behzad", "بهشتی": "Beheshti",
    "بهمن": "Bahman", "بهنام": "Behnam", "بیات": "Bayat", "بیژن": "Bizhan",
    "پدرام": "Pedram", "پرستو": "Parastou", "پرویز": "Parviz", "پروین": "Parvin", "پریا": "Paria", "پریسا": "Parisa",
    "پژمان": "Pezhman", "پناهی": "Panahi", "پوران": "Pouran", "پورمحمدی": "Pourmohammadi", "پویا": "Pouya",
    "پیمان": "Peyman",
    "ترابی": "Torabi", "ترانه": "Taraneh", "تقی": "Taghi", "تقی\u200cزاده": "Taghizadeh", "توکلی": "Tavakoli",
    "ثابتی": "Sabeti", "ثریا": "Soraya",
    "جعفر": "Jafar", "جعفری": "Jafari", "جلال": "Jalal", "جلالی": "Jalali", "جمال": "Jamal", "جمالی": "Jamali",
    "جمشیدی": "Jamshidi", "جواد": "Javad", "جوادی": "Javadi", "جهانگیر": "Jahangir",
    "چگینی": "Chegini",
    "حاجی": "Haji", "حامد": "Hamed", "حبیب": "Habib", "حبیب\u200cالله": "Habibollah", "حدیث": "Hadis",
    "حسام": "Hesam", "حسن": "Hassan", "حسن\u200cزاده": "Hassanzadeh", "حسنی": "Hassani", "حسین": "Hossein",
    "حسین\u200cزاده": "Hosseinzadeh", "حسینی": "Hosseini", "حق\u200cشناس": "Haghshenas", "حمید": "Hamid",
    "حمیدرضا": "Hamidreza", "حمیده": "Hamideh", "حمیدی": "Hamidi", "حیدری": "Heydari",
    "خانی": "Khani", "خدیجه": "Khadijeh", "خرم": "Khorram", "خسروی": "Khosravi", "خلیل": "Khalil", "خلیلی": "Khalili",
    "داریوش": "Dariush", "داود": "Davoud", "داوودی": "Davoudi", "دهقان": "Dehghan", "دهقانی": "Dehghani",
    "ذوالفقاری": "Zolfaghari",
    "راضیه": "Razieh", "رامین": "Ramin", "ربیعی": "Rabiei", "رحمان": "Rahman", "رحمانی": "Rahmani", "رحمت": "Rahmat",
    "رحیم": "Rahim", "رحیمی": "Rahimi", "رستم": "Rostam", "رستمی": "Rostami", "رسول": "Rasoul", "رسولی": "Rasouli",
    "رضا": "Reza", "رضایی": "Rezaei", "رضوی": "Razavi", "رفیعی": "Rafiei", "رقیه": "Roghayeh", "رمضان": "Ramezan",
    "رنجبر": "Ranjbar", "روح\u200cالله": "Rouhollah", "روحانی": "Rouhani", "رویا": "Roya", "ریحانه": "Reyhaneh",
    "زارع": "Zare", "زارعی": "Zarei", "زری": "Zari", "زمانی": "Zamani", "زنگنه": "Zanganeh", "زهرا": "Zahra",
    "زهره": "Zohreh", "زینب": "Zeinab",
    "ژاله": "Zhaleh", "ژیلا": "Zhila",
    "سارا": "Sara", "سامان": "Saman", "ساناز": "Sanaz", "سبحانی": "Sobhani", "سپیده": "Sepideh", "ستاره": "Setareh",
    "ستاری": "Sattari", "سجاد": "Sajjad", "سحر": "Sahar", "سروش": "Soroush", "سعید": "Saeid", "سعیده": "Saeideh",
    "سعیدی": "Saeidi", "سلطانی": "Soltani", "سلیمان": "Soleiman", "سلیمانی": "Soleimani", "سمانه": "Samaneh",
    "سمیه": "Somayeh", "سوسن": "Sousan", "سهراب": "Sohrab", "سیاوش": "Siavash", "سید": "Seyyed", "سیده": "Seyyedeh",
    "سیمین": "Simin", "سینا": "Sina",
    "شاکری": "Shakeri", "شاهین": "Shahin", "شبنم": "Shabnam", "شجاعی": "Shojaei", "شریف": "Sharif",
    "شریفی": "Sharifi", "شفیعی": "Shafiei", "شقایق": "Shaghayegh", "شهاب": "Shahab", "شهبازی": "Shahbazi",
    "شهرام": "Shahram", "شهره": "Shohreh", "شهلا": "Shahla", "شیدا": "Sheida", "شیرازی": "Shirazi", "شیرین": "Shirin",
    "شیوا": "Shiva",
    "صادق": "Sadegh", "صادقی": "Sadeghi", "صالح": "Saleh", "صالحی": "Salehi", "صدیقه": "Sedigheh", "صغری": "Soghra",
    "صفری": "Safari", "صمد": "Samad",
    "طالبی": "Talebi", "طاها": "Taha", "طاهر": "Taher", "طاهره": "Tahereh", "طاهری": "Taheri",
    "طباطبایی": "Tabatabaei", "طیبه": "Tayebeh",
    "ظهیری": "Zahiri",
    "عادل": "Adel", "عارف": "Aref", "عاطفه": "Atefeh", "عباس": "Abbas", "عباسی": "Abbasi", "عبدالرضا": "Abdolreza",
    "عبدالله": "Abdollah", "عرفان": "Erfan", "عزت": "Ezzat", "عزیز": "Aziz", "عزیزی": "Azizi", "عسکری": "Askari",
    "عسگری": "Asgari", "عصمت": "Esmat", "عفت": "Effat", "علوی": "Alavi", "علی": "Ali", "علیرضا": "Alireza",
    "علیزاده": "Alizadeh", "عیسی": "Isa",
    "غفاری": "Ghaffari", "غلامحسین": "Gholamhossein", "غلامرضا": "Gholamreza", "غلامعلی": "Gholamali",
    "فاطمه": "Fatemeh", "فائزه": "Faezeh", "فتحی": "Fathi", "فرامرز": "Faramarz", "فراهانی": "Farahani",
    "فرجی": "Faraji", "فرح": "Farah", "فرخنده": "Farkhondeh", "فرزاد": "Farzad", "فرزانه": "Farzaneh",
    "فرشته": "Fereshteh", "فرشید": "Farshid", "فرناز": "Farnaz", "فرهاد": "Farhad", "فرهادی": "Farhadi",
    "فریبا": "Fariba", "فریبرز": "Fariborz", "فریدون": "Fereydoun", "فضل": "Fazl",
    "قاسم": "Ghasem", "قاسمی": "Ghasemi", "قربان": "Ghorban", "قربانی": "Ghorbani", "قنبری": "Ghanbari",
    "کاظم": "Kazem", "کاظمی": "Kazemi", "کامران": "Kamran", "کامرانی": "Kamrani", "کاویانی": "Kaviani",
    "کبری": "Kobra", "کرمانی": "Kermani", "کرمی": "Karami", "کریم": "Karim", "کریمی": "Karimi", "کسری": "Kasra",
    "کمال": "Kamal", "کمالی": "Kamali", "کوثر": "Kosar", "کوروش": "Kourosh", "کیانوش": "Kianoush", "کیانی": "Kiani",
    "کیوان": "Keyvan",
    "گلپایگانی": "Golpayegani", "گلناز": "Golnaz", "گودرزی": "Goudarzi",
    "لاله": "Laleh", "لیلا": "Leila",
    "مازیار": "Maziar", "مائده": "Maedeh", "مجتبی": "Mojtaba", "مجید": "Majid", "مجیدی": "Majidi",
    "محدثه": "Mohaddeseh", "محسن": "Mohsen", "محمد": "Mohammad", "محمدامین": "Mohammadamin",
    "محمدحسین": "Mohammadhossein", "محمدرضا": "Mohammadreza", "محمدزاده": "Mohammadzadeh", "محمدعلی": "Mohammadali",
    "محمدمهدی": "Mohammadmehdi", "محمدی": "Mohammadi", "محمدی\u200cنیا": "Mohammadinia", "محمود": "Mahmoud",
    "محمودی": "Mahmoudi", "مختاری": "Mokhtari", "مرادی": "Moradi", "مرتضی": "Morteza", "مرضیه": "Marzieh",
    "مریم": "Maryam", "مژگان": "Mozhgan", "مسعود": "Masoud", "مصطفی": "Mostafa", "معتمدی": "Motamedi",
    "معصومه": "Masoumeh", "مقدم": "Moghaddam", "ملکی": "Maleki", "ملیحه": "Maliheh", "منصور": "Mansour",
    "منصوره": "Mansoureh", "منصوری": "Mansouri", "منوچهر": "Manouchehr", "منیره": "Monireh", "منیژه": "Manizheh",
    "موسوی": "Mousavi", "موسی": "Mousa", "مولایی": "Molaei", "مهتاب": "Mahtab", "مهدوی": "Mahdavi", "مهدی": "Mehdi",
    "مهران": "Mehran", "مهرداد": "Mehrdad", "مهری": "Mehri", "مهسا": "Mahsa", "مهناز": "Mahnaz", "مهین": "Mahin",
    "میثم": "Meysam", "میرزایی": "Mirzaei", "میلاد": "Milad", "مینا": "Mina",
    "نادر": "Nader", "نادری": "Naderi", "نازنین": "Nazanin", "ناصر": "Naser", "ناهید": "Nahid", "نجفی": "Najafi",
    "نجمه": "Najmeh", "ندا": "Neda", "نرگس": "Narges", "نسترن": "Nastaran", "نسرین": "Nasrin", "نصر": "Nasr",
    "نصرالله": "Nasrollah", "نصیری": "Nasiri", "نظری": "Nazari", "نعمت": "Nemat", "نفیسه": "Nafiseh", "نقی": "Naghi",
    "نگار": "Negar", "نوروزی": "Norouzi", "نوری": "Nouri", "نوید": "Navid", "نیلوفر": "Niloufar",
    "وحید": "Vahid", "وکیلی": "Vakili", "ولی": "Vali", "ولی\u200cزاده": "Valizadeh",
    "هادی": "Hadi", "هاشم": "Hashem", "هاشمی": "Hashemi", "هانیه": "Hanieh", "هدایت": "Hedayat", "هستی": "Hasti",
    "هما": "Homa", "هومن": "Houman",
    "یاسر": "Yaser", "یاسمن": "Yasaman", "یاسین": "Yasin", "یحیی": "Yahya", "یزدانی": "Yazdani", "یعقوب": "Yaghoub",
    "یعقوبی": "Yaghoubi", "یوسف": "Yousef", "یوسفی": "Yousefi", "یونس": "Younes",
}

LOOKUP: dict[str, str] = {key.replace(ZWNJ, ""): value for key, value in {**WORDS, **NAMES}.items()}

# Pieces of a longer word: at least three letters, so that a word the dictionaries lack is not taken apart into
# accidental two-letter words ("آبان" is not "آب" + "ان"); conjunctions never start a piece.
_STEMS = frozenset(key for key, value in LOOKUP.items() if len(key) >= 3 and value[:1].isupper())

# Endings that follow a known word, in a surname ("کریم" + "یان", "حسین" + "زاده") or after a ZWNJ ("شیشه" + "ای").
# None: spelled by _attach, because the spelling depends on how the word before it ends.
SUFFIXES: dict[str, str | None] = {
    "ی": None, "ای": None, "یی": None, "ان": None, "یان": None,
    "آباد": "abad", "اباد": "abad", "الدین": "oddin", "الله": "ollah", "آلات": "alat", "ات": "at", "پور": "pour",
    "تر": "tar", "ترین": "tarin", "چی": "chi", "خانه": "khaneh", "دار": "dar", "داری": "dari", "زاده": "zadeh",
    "ساز": "saz", "سازی": "sazi", "ستان": "estan", "شهر": "shahr", "فر": "far", "کار": "kar", "کاری": "kari",
    "گاه": "gah", "گر": "gar", "گری": "gari", "لو": "lou", "مند": "mand", "نژاد": "nejad", "نیا": "nia",
    "وند": "vand", "ها": "ha", "های": "haye",
}

# Arabic words that take the article "ال" as the first half of a compound: عبدالحسین → Abd + ol + hossein.
ARABIC_HEADS: dict[str, str] = {
    "ابو": "Ab", "بیت": "Beyt", "بین": "Beyn", "حق": "Hagh", "دار": "Dar", "ذو": "Z", "عبد": "Abd", "فوق": "Fogh",
}

_CONSONANTS: dict[str, str] = {
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh", "د": "d", "ذ": "z", "ر": "r",
    "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "غ": "gh", "ف": "f", "ق": "gh",
    "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n",
}
# ع and the hamzas are glottal stops: passports leave them out, but they still take a vowel (Ja'far → Jafar).
_GLOTTAL = "عئء"
_LETTERS = "آا" + "".join(_CONSONANTS) + "وهی" + _GLOTTAL

# Two consonants that may close a syllable inside a word (dast-gah, hesh-mat): after any other pair the next
# consonant starts a new syllable and gets a vowel.
_CODA_PAIRS = frozenset({
    "ست", "شت", "فت", "خت", "زد", "سک", "شک", "رد", "رز", "رگ", "رک", "رف", "رم", "رس", "رش", "رت", "رب", "رج", "رخ",
    "رچ", "ند", "نگ", "نج", "نک", "لک",
})

_VARIANTS = str.maketrans({
    "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی", "ك": "ک", "ڪ": "ک", "ة": "ه", "ۀ": "ه", "ۂ": "ه", "ہ": "ه",
    "ە": "ه", "ھ": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ؤ": "و",
    # An English document gets English punctuation.
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".", "«": '"', "»": '"',
    # Some keyboards type a zero-width space where ZWNJ belongs.
    "\u200b": ZWNJ,
    # Tatweel stretches a letter, ZWJ forces a joined form, the rest set text direction: none is part of a name.
    **dict.fromkeys("\u0640\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"),
})
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
_RUN = re.compile(f"[{_LETTERS}]+(?:{ZWNJ}+[{_LETTERS}]+)*")
_ARTICLE_GAP = re.compile(
    f"(?<![{_LETTERS}])({'|'.join(sorted(ARABIC_HEADS, key=len, reverse=True))})[ \u00a0]+(?=ال[{_LETTERS}])")
# Whatever Persian is left (a letter outside the alphabet above) is dropped: an embassy clerk cannot read it, and
# the Persian original stands beside the transliteration anyway.
_LEFTOVER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u200c]")


def latin_digits(text: str) -> str:
    """Persian (۰..۹) and Arabic-Indic (٠..٩) digits as ASCII digits; everything else is kept."""
    return str(text).translate(_DIGITS)


def transliterate(text: str) -> str:
    """Persian text in Latin letters: each Persian word capitalised, Latin text, digits and punctuation kept."""
    if not text:
        return ""
    text = _normalise(text)
    first_word = next((i for i, ch in enumerate(text) if ch.isalnum()), -1)

    def spelled(match: re.Match) -> str:
        word = _word(match.group())
        # A conjunction stays in lower case inside a name, like "and" in an English title, but not as its first word.
        return word[:1].upper() + word[1:] if match.start() == first_word else word

    return _LEFTOVER.sub("", _RUN.sub(spelled, text))


def _normalise(text: str) -> str:
    text = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), str(text))
    text = _DIACRITICS.sub("", latin_digits(text).translate(_VARIANTS))
    # "بین المللی" with a space is the same word as "بین‌المللی".
    return _ARTICLE_GAP.sub(lambda m: m.group(1) + ZWNJ, text)


@functools.lru_cache(maxsize=4096)
def _word(run: str) -> str:
    parts = [part for part in run.split(ZWNJ) if part]
    whole = "".join(parts)
    if whole in LOOKUP:
        return LOOKUP[whole]
    pieces: list[tuple[str, str | None, bool]] = []
    for i, part in enumerate(parts):
        if i and part in SUFFIXES:
            pieces.append((part, SUFFIXES[part], True))
        elif part in ARABIC_HEADS and part not in LOOKUP:
            pieces.append((part, ARABIC_HEADS[part], False))
        elif i and part.startswith("ال") and len(part) > 2 and part not in LOOKUP:
            pieces += [("ال", "ol", False)] + _pieces(part[2:])
        else:
            pieces += _pieces(part)
    return _join(pieces)


def _pieces(word: str) -> list[tuple[str, str | None, bool]]:
    """(Persian, Latin, is a suffix) for the parts of a word written without ZWNJ."""
    if word in LOOKUP:
        return [(word, LOOKUP[word], False)]
    known = _segment(word)
    if known:
        return known
    for ending in ("الله", "الدین"):  # a name of God or of the faith ends many given names: Nematollah, Jalaloddin
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return _pieces(word[:-len(ending)]) + [(ending, SUFFIXES[ending], True)]
    article = word.find("ال", 1)
    if article > 0 and word[:article] in ARABIC_HEADS and len(word) > article + 2:
        head = word[:article]
        return [(head, ARABIC_HEADS[head], False), ("ال", "ol", False)] + _pieces(word[article + 2:])
    return [(word, _spell(word), False)]


def _segment(word: str) -> list[tuple[str, str | None, bool]] | None:
    """The word as known words followed by suffixes, in as few pieces as possible; None if it is not one."""
    memo: dict[tuple[int, bool], list | None] = {}

    def rest(start: int, in_suffixes: bool) -> list | None:
        if start == len(word):
            return []
        if (start, in_suffixes) not in memo:
            options = []
            for end in range(len(word), start, -1):
                piece = word[start:end]
                # As an ending first: الله after a name is "ollah", only on its own "Allah".
                if start and piece in SUFFIXES and (tail := rest(end, True)) is not None:
                    options.append([(piece, SUFFIXES[piece], True)] + tail)
                if not in_suffixes and piece in _STEMS and (tail := rest(end, False)) is not None:
                    options.append([(piece, LOOKUP[piece], False)] + tail)
            memo[start, in_suffixes] = min(options, key=len) if options else None
        return memo[start, in_suffixes]

    found = rest(0, False)
    return found if found and len(found) > 1 else None


def _join(pieces: list[tuple[str, str | None, bool]]) -> str:
    spelled, before = "", ""
    for persian, latin, _ in pieces:
        spelled = _attach(spelled, before, persian) if latin is None else spelled + latin.lower()
        before = persian
    return spelled[:1].upper() + spelled[1:]


def _attach(spelled: str, before: str, suffix: str) -> str:
    # A final silent ه is written "eh" only at the end of a word: زنجیره + ای is Zanjirei, not Zanjirehei.
    silent_h = before.endswith("ه") and spelled.endswith("eh")
    long_vowel = spelled.endswith(("a", "o", "u"))
    if suffix == "ی":
        return (spelled[:-1] if silent_h else spelled) + "i"
    if suffix in ("ای", "یی"):
        return spelled[:-1] + "i" if silent_h else spelled + "ei"  # Zanjirei, Ghazaei, Rezaei
    if long_vowel:
        return spelled + "yan"  # Aghayan
    if silent_h:
        return spelled[:-1] + ("gan" if suffix == "ان" else "ian")  # ستاره + ان is Setaregan
    if suffix == "ان" and spelled.endswith("i"):
        return spelled + "an"  # Irani + an
    return spelled + ("an" if suffix == "ان" else "ian")  # Mohandesan, Karimian


def _spell(word: str) -> str:
    """A word the dictionaries do not hold, letter by letter, with the unwritten short vowels guessed."""
    single = {**_CONSONANTS, "و": "v", "ه": "h", "ی": "y"}
    if len(word) == 1 and word in single:
        return single[word]  # an initial, as in "م. رضایی"
    units = _sounds(word)
    # Every Persian syllable has a vowel and starts with one consonant, so a consonant that is neither followed by a
    # written vowel nor can close the syllable before it gets the commonest short vowel, "a".
    out: list[str] = []
    nucleus, coda, closing, long_vowel = False, 0, "", ""
    for k, (latin, vowel, letter) in enumerate(units):
        if vowel:
            out.append(latin)
            nucleus, coda = True, 0
            # The ا or ع that carries a word's first vowel is a short vowel; every other written vowel is long.
            long_vowel = "" if k == 0 and letter in "ا" + _GLOTTAL and latin in ("a", "e") else latin
            continue
        following = units[k + 1] if k + 1 < len(units) else None
        if following is not None and following[1]:
            out.append(latin)  # the consonant that starts the written vowel's syllable
            continue
        # Before a "v" that starts a syllable the short vowel is the Arabic pattern of Mousavi, Alavi, Razavi.
        before_glide = (following is not None and following[0] == "v" and k + 2 < len(units) and units[k + 2][1])
        # A long vowel and two consonants end few words (Sakht, Ard): most such names are the Arabic patterns
        # Kazem, Kazemi, Fatemeh, Salamat, Nezafat after "a", the Persian Fanavari, Palayesh, and Niloufar, Zeinab
        # after the other vowels.
        after = units[k + 2:]
        last_two = following is not None and not following[1] and (
            not after or (long_vowel == "a" and len(after) == 1 and after[0][0] in ("i", "eh")))
        feminine_t = last_two and not after and following[2] in "تط" and letter not in "خشس"
        inserted = "a" if long_vowel != "a" or letter == "و" or feminine_t else "e"
        if not nucleus or before_glide:
            out.append(latin + "a")
            nucleus, coda, long_vowel = True, 0, ""
        elif long_vowel and coda == 0 and last_two and (feminine_t or letter + following[2] not in _CODA_PAIRS):
            out.append(latin + inserted)
            long_vowel = ""
        elif following is None:
            out.append(latin if coda < 2 else "a" + latin)
            coda += 1
        elif coda == 0 or (coda == 1 and closing + letter in _CODA_PAIRS):
            out.append(latin)
            coda, closing = coda + 1, letter
        else:
            out.append(latin + "a")
            coda, long_vowel = 0, ""
    return "".join(out)


def _sounds(word: str) -> list[tuple[str, bool, str]]:
    """(Latin, is a vowel, Persian letter) for each sound; و, ی, ا and ه are vowels or consonants by position."""
    units: list[tuple[str, bool, str]] = []
    i, n = 0, len(word)
    while i < n:
        letter, following = word[i], word[i + 1] if i + 1 < n else ""
        after_vowel = bool(units) and units[-1][1]
        sound: tuple[str, bool] | None
        step = 1
        if letter == "آ":
            sound = ("a", True)
        elif letter == "ا":
            if i == 0 and following in ("ی", "و"):
                sound, step = ("i" if following == "ی" else "ou", True), 2  # Iman, Ourang
            else:
                sound = (_initial_alef(word) if i == 0 else "a", True)
        elif letter == "و":
            if i and units and units[-1][:2] == ("i", True) and following not in ("", "ا", "آ", "ی", "و"):
                sound = ("ou", True)  # Dariush: ی and و both vowels
            elif i == 0 or after_vowel or following in ("ا", "آ", "ی", "و"):
                sound = ("v", False)  # Vahid, Davar, Javad, Mousavi
                if i and word[i - 1] == "خ" and following in ("ا", "ی"):
                    sound = None  # the silent و of خواهر (Khahar) and خویش (Khish)
            else:
                sound = ("o" if i == n - 1 else "ou", True)  # Khosro, Nouri
        elif letter == "ی":
            if i == 0:
                sound = ("y", False)
            elif after_vowel and following == "ی":
                sound, step = ("ei", True), 2  # Rezaei, Ghazaei
            elif after_vowel and following == "ع" and i + 2 == n:
                sound, step = ("ye", True), 2  # Sanaye
            elif after_vowel:
                sound = ("y", False)  # Payan, Ayandeh
            elif word[i - 1] in _GLOTTAL:
                sound = ("ei", True)  # Saeid, Raeis, Rafiei
            else:
                sound = ("i", True)  # Karim, Karimi
        elif letter == "ه":
            final = i == n - 1 and i > 0 and not after_vowel
            sound = ("eh", True) if final else ("h", False)  # Fatemeh, but Shah and Kouh
        elif letter in _GLOTTAL:
            if i == 0:
                if following in ("ی", "ا", "آ", "و"):
                    # Eid, Oud; عا is a long ā (Adel), so the unit is recorded as آ
                    sound, step = ({"ی": "ei", "و": "ou"}.get(following, "a"), True), 2
                    letter = "آ" if following in ("ا", "آ") else letter
                else:
                    sound = ("a", True)  # Abbas, Ali, Aziz
            else:
                sound = None if letter == "ء" else ("", False)
        else:
            sound = (_CONSONANTS[letter], False)
        if sound is not None:
            units.append((sound[0], sound[1], letter))
        i += step
    return units


def _initial_alef(word: str) -> str:
    """An initial ا is "e" in the Arabic verbal noun eCCaC (Ehsan, Elham, Ebrahim, Esfahan), else "a" (Ahmad, Akbar)."""
    consonant = set(_CONSONANTS) | {"ع", "ه"}
    rest = word[1:]
    if len(rest) >= 2 and rest[0] in consonant and rest[1] in consonant:
        run = 1
        while run < len(rest) and rest[run] in consonant:
            run += 1
        if run < len(rest) and rest[run] == "ا":
            return "e"
    return "a"
