"""Compile `search/entities/data/countries.json`, the country gazetteer used by
`search.entities.countries`.

Inputs (facts only, no article text):
  * ../shared/gazetteers/countries_demonyms_ar.json — Arabic country names, spelling variants,
    run-on forms and demonyms (from ArWikiCats, MIT; see that folder's README).
  * Babel/CLDR territory names (`babel.Locale('ar'|'en').territories`) — the display labels.
  * The hand-written tables below: extra name variants, capitals and major cities that stand for
    their country, regions that must *not* match a country, venue cities deliberately left
    unmapped, and English search aliases.

Output: one JSON file, one country (or city) per line, written in ordinary Arabic spelling; the
runtime normalizes every form with `search.arabic.normalize`, so forms that differ only by
hamza/alef/ة/ى spelling are stored once.

Usage:  .venv/bin/python scripts/build_country_gazetteer.py [--shared ../shared] [--out PATH]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
from pathlib import Path

from search.arabic import normalize

REPO = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------------------------
# Hand-written facts
# --------------------------------------------------------------------------------------------

# ISO 3166-1 alpha-2 codes that CLDR lists but that are not countries/territories of ISO 3166-1
# (reserved or CLDR-private codes). XK (Kosovo) is user-assigned but used by CLDR, the EU and
# most data providers; it is kept so that Kosovo news has a facet value.
NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}

# Arabic display labels where CLDR's is not the form Arabic newsrooms use.
AR_LABEL_OVERRIDES = {
    "PS": "فلسطين",  # CLDR: «الأراضي الفلسطينية» (a description, not the news name)
    "HK": "هونغ كونغ",  # CLDR: «هونغ كونغ الصينية (منطقة إدارية خاصة)»
    "MO": "ماكاو",  # CLDR: «منطقة ماكاو الإدارية الخاصة»
    "MM": "ميانمار",  # CLDR: «ميانمار (بورما)»
    "CD": "الكونغو الديمقراطية",  # CLDR: «الكونغو - كينشاسا»
    "CG": "جمهورية الكونغو",  # CLDR: «الكونغو - برازافيل»
    "TL": "تيمور الشرقية",  # CLDR: «تيمور - ليشتي»
    "DK": "الدنمارك",  # CLDR: «الدانمرك»; the press writes الدنمارك
    "HU": "المجر",  # CLDR: «هنغاريا»; the press writes المجر
    "OM": "عُمان",  # CLDR has it with damma already; kept (distinguishes it from عمّان)
}

# English display labels where CLDR's is a description rather than the name.
EN_LABEL_OVERRIDES = {"PS": "Palestine", "HK": "Hong Kong", "MO": "Macao", "MM": "Myanmar"}

# Records of the shared gazetteer without an ISO code that still stand for a country.
EXTRA_RECORD_KEYS = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",  # constituent countries of the UK
    "korea": "KR",  # bare «كوريا/كوري» in the news is South Korea; the North is qualified
    "kosovo": "XK",
}
# Records whose demonyms are NOT used: «الإنجليزية» is overwhelmingly the English language.
SKIP_DEMONYMS = {
    "england",
    "comoros",  # قمري/القمرية = lunar (السنة القمرية)
    "aruba",
}  # الأروبية = European (Maghreb spelling of الأوروبية)
# Records not used at all (historic, regional, or duplicates of another record).
# "america" duplicates US (the continent reading is handled by the BLOCKED phrases); "timor"
# is replaced by the explicit East-Timor forms below (bare «تيمور» is a personal name).
SKIP_RECORDS = {"america", "timor"}
# Record-level ISO overrides: bare «الكونغو» → CD (the DRC is what Arabic news means by it in
# the overwhelming majority of cases; Congo-Brazzaville is named «الكونغو برازافيل» or
# «جمهورية الكونغو»).
RECORD_KEY_OVERRIDES = {"congo": "CD"}

# Extra name variants (spelling variants and official/long forms the press uses).
EXTRA_NAMES = {
    "AE": ["دولة الإمارات العربية المتحدة", "الإمارات العربية"],
    "BA": ["البوسنة"],
    "BD": ["بنجلاديش", "بنغلادش"],
    "BH": ["مملكة البحرين"],
    "BY": ["بيلاروسيا", "روسيا البيضاء"],
    "CD": ["الكونغو الديمقراطية", "الكونغو الديموقراطية", "الكونغو كينشاسا", "الكونغو", "الكونجو"],
    "CG": ["الكونغو برازافيل"],
    "CI": ["كوت ديفوار"],
    "CN": ["الصين الشعبية"],
    "CZ": ["جمهورية التشيك", "تشيكيا"],
    "DK": ["الدنمرك", "الدانمارك"],
    "DZ": ["الجمهورية الجزائرية"],
    "ER": ["إريتريا", "أريتريا", "إرتيريا"],
    "ET": ["أثيوبيا"],
    "GB": ["إنكلترا", "إنجلترا", "انكلترا", "اسكتلندا", "اسكوتلندا", "إيرلندا الشمالية", "أيرلندا الشمالية"],
    "HK": ["هونغ كونغ", "هونج كونج", "هونغ كونج", "هونكونغ"],
    "IE": ["إيرلندا", "ايرلندة"],
    "IQ": ["جمهورية العراق"],
    "IS": ["ايسلندا", "أيسلندا"],
    "KP": ["كوريا الشمالية", "كوريا الديمقراطية"],
    "KR": ["كوريا الجنوبية"],
    "KW": ["دولة الكويت"],
    "LB": ["الجمهورية اللبنانية"],
    "MK": ["مقدونيا الشمالية"],
    "MT": ["مالطة"],
    "NZ": ["نيوزلندا"],
    "PG": ["غينيا الجديدة"],
    "PH": ["الفيليبين", "الفليبين"],
    "QA": ["دولة قطر"],
    "SA": ["بلاد الحرمين", "بلاد الحرمين الشريفين"],
    "SS": ["دولة جنوب السودان"],
    "TH": ["تايلند"],
    "TL": ["تيمور الشرقية", "تيمور ليشتي"],
    "TN": ["الجمهورية التونسية"],
    "TR": ["الجمهورية التركية"],
    "UA": ["اوكرانيا"],
    "US": ["الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية"],
    # Egyptian spelling: ج for the foreign g (Uruguay's demonym so, 140 times in the corpus)
    "UY": ["أوروجواي", "أورجواي"],
    # Moroccan Darija spellings (Goud.ma): «فرانسا», «سبانيا», «بيرمانيا»
    "FR": ["فرانسا"],
    "ES": ["سبانيا"],
    "MM": ["بيرمانيا"],
    "GA": ["الجابون"],
    "VA": ["دولة الفاتيكان"],
    "YE": ["الجمهورية اليمنية"],
    "ZA": ["جنوب إفريقيا", "جنوب افريقيا"],
}

# Extra demonym bases (masculine singular; every word ends in ي and is inflected together).
EXTRA_DEMONYMS = {
    "KR": ["كوري جنوبي"],
    "KP": ["كوري شمالي"],
    "ZA": ["جنوب أفريقي", "جنوب إفريقي"],
    "SS": ["جنوب سوداني"],
    "CZ": ["تشيكي"],
    "BY": ["بيلاروسي"],
    "ER": ["إريتري"],
    "UY": ["أوروجوياني", "أوروجواياني", "أوروغواياني"],
}

# Demonym forms that are ordinary words and must never be keys (checked on normalized forms).
EXCLUDED_FORMS = {
    "HU": ["مجريات", "المجريات", "مجري"],  # «مجريات الأحداث» = the course of events; مجري = مجرى
    "BN": ["بروني"],  # Carla Bruni; Brunei's demonym is بروناوي
    "RO": ["رومان", "الرومان"],  # the (ancient) Romans
    "TL": ["تيمور"],  # personal name (Timur)
    "AL": ["ألبان", "الألبان"],  # dairy products (ألبان), far more often than Albanians
    "RU": ["روس"],  # bare روس is a name (Ross) or «ك/ب + روس» (Kroos, Bruce)
    "JE": ["جيرسي"],  # New Jersey, jersey
    "MF": ["سان مارتن", "سانمارتن"],  # a footballer's name in this corpus; St. Martin is rare
}

# Capitals and major cities used for their country («واشنطن تحض…» → US).
# canonical name → (ISO2, [variants]). Cities whose spelling is an everyday word are left out
# (e.g. سيول floods ≠ Seoul, العين the eye, الخبر the news, صور pictures, حماة protectors,
# جنين fetus, معان meanings, الزرقاء blue, العيون eyes, كيف how ≠ Kyiv's كييف, مشهد scene,
# قم, العقبة obstacle, الرمادي grey, الزاوية corner).
CITIES: dict[str, tuple[str, list[str]]] = {
    # United States
    "واشنطن": ("US", []),
    "لوس أنجلوس": ("US", ["لوس انجلس", "لوس أنجليس"]),
    "شيكاغو": ("US", []),
    "هيوستن": ("US", []),
    "سان فرانسيسكو": ("US", []),
    "ميامي": ("US", []),
    "بوسطن": ("US", []),
    "فيلادلفيا": ("US", []),
    "لاس فيغاس": ("US", ["لاس فيجاس"]),
    "ولاية جورجيا": ("US", []),  # the US state, so that «جورجيا» inside it is not Georgia (GE)
    # States the press names for the place of an event (not جورجيا: the country GE).
    "كاليفورنيا": ("US", []),
    "تكساس": ("US", []),
    "فلوريدا": ("US", []),
    "هاواي": ("US", []),
    "ألاسكا": ("US", []),
    "أريزونا": ("US", []),
    "نيفادا": ("US", []),
    "أوهايو": ("US", []),
    "بنسلفانيا": ("US", []),
    "فرجينيا": ("US", ["فيرجينيا"]),
    "ماساتشوستس": ("US", []),
    "كولورادو": ("US", []),
    "لويزيانا": ("US", []),
    "ميشيغان": ("US", ["ميشيجان"]),
    # Russia, Ukraine, Belarus
    "موسكو": ("RU", []),
    "سان بطرسبرغ": ("RU", ["سانت بطرسبرغ", "بطرسبرغ"]),
    "سوتشي": ("RU", []),
    "كييف": ("UA", []),
    "مينسك": ("BY", []),
    # Iran, Afghanistan, Pakistan, India
    "طهران": ("IR", []),
    "أصفهان": ("IR", []),
    "تبريز": ("IR", []),
    "شيراز": ("IR", []),
    "كابول": ("AF", ["كابل"]),
    "قندهار": ("AF", []),
    "إسلام آباد": ("PK", ["إسلام أباد", "اسلام اباد", "إسلامآباد"]),
    "كراتشي": ("PK", []),
    "لاهور": ("PK", []),
    "بيشاور": ("PK", []),
    "نيودلهي": ("IN", ["نيو دلهي", "دلهي"]),
    "مومباي": ("IN", ["بومباي"]),
    # Europe
    "لندن": ("GB", []),
    "مانشستر": ("GB", []),
    "ليفربول": ("GB", []),
    "برمنغهام": ("GB", []),
    "باريس": ("FR", []),
    "مرسيليا": ("FR", []),
    "ليون": ("FR", []),
    "برلين": ("DE", []),
    "ميونيخ": ("DE", []),
    "فرانكفورت": ("DE", []),
    "هامبورغ": ("DE", []),
    "روما": ("IT", []),
    "ميلانو": ("IT", []),
    "نابولي": ("IT", []),
    "مدريد": ("ES", []),
    "برشلونة": ("ES", []),
    "إشبيلية": ("ES", []),
    "كتالونيا": ("ES", ["كاتالونيا", "كاطالونيا"]),  # the region, where events happen
    "أثينا": ("GR", []),
    "بروكسل": ("BE", []),  # BE, not the EU: see COUNTRIES.md
    "أمستردام": ("NL", []),
    "روتردام": ("NL", []),
    "زيوريخ": ("CH", []),
    "برن": ("CH", []),
    "لشبونة": ("PT", []),
    "دبلن": ("IE", []),
    "ستوكهولم": ("SE", []),
    "أوسلو": ("NO", []),
    "كوبنهاغن": ("DK", ["كوبنهاجن"]),
    "هلسنكي": ("FI", []),
    "وارسو": ("PL", []),
    "بودابست": ("HU", []),
    "براغ": ("CZ", []),
    "بوخارست": ("RO", []),
    "بلغراد": ("RS", []),
    "سراييفو": ("BA", []),
    "نيقوسيا": ("CY", []),
    "إسطنبول": ("TR", ["استانبول", "اسطنبول"]),
    "أنقرة": ("TR", []),
    "إزمير": ("TR", []),
    "أنطاليا": ("TR", []),
    # East and South-East Asia, Oceania
    "بكين": ("CN", ["بيجين", "بيجينغ"]),
    "شنغهاي": ("CN", ["شانغهاي"]),
    "طوكيو": ("JP", []),
    "أوساكا": ("JP", []),
    "هيروشيما": ("JP", []),
    "بيونغ يانغ": ("KP", ["بيونغيانغ", "بيونج يانج"]),
    "بانكوك": ("TH", []),
    "جاكرتا": ("ID", []),
    "كوالالمبور": ("MY", ["كوالا لمبور"]),
    "مانيلا": ("PH", []),
    "هانوي": ("VN", []),
    "دكا": ("BD", []),
    "كاتماندو": ("NP", []),
    "كولومبو": ("LK", []),
    "طشقند": ("UZ", []),
    "باكو": ("AZ", []),
    "تبليسي": ("GE", []),
    "يريفان": ("AM", []),
    "أستانا": ("KZ", []),
    "كانبرا": ("AU", []),
    "سيدني": ("AU", []),
    "ملبورن": ("AU", []),
    # Americas
    "أوتاوا": ("CA", []),
    "تورونتو": ("CA", []),
    "مونتريال": ("CA", []),
    "مكسيكو سيتي": ("MX", []),
    "ريو دي جانيرو": ("BR", ["ريو دي جانيرو"]),
    "ساو باولو": ("BR", []),
    "برازيليا": ("BR", []),
    "بوينس آيرس": ("AR", ["بوينس ايرس"]),
    "بوغوتا": ("CO", []),
    "كاراكاس": ("VE", []),
    "هافانا": ("CU", []),
    # Gulf and Arabian Peninsula
    "الرياض": ("SA", []),
    "جدة": ("SA", []),
    "مكة المكرمة": ("SA", ["مكة", "العاصمة المقدسة"]),
    "المدينة المنورة": ("SA", []),
    "الدمام": ("SA", []),
    "الطائف": ("SA", []),
    "تبوك": ("SA", []),
    "أبها": ("SA", []),
    "بريدة": ("SA", []),
    "حائل": ("SA", []),
    "نجران": ("SA", []),
    "جازان": ("SA", ["جيزان"]),
    "ينبع": ("SA", []),
    "الأحساء": ("SA", []),
    "القطيف": ("SA", []),
    "الجبيل": ("SA", []),
    "خميس مشيط": ("SA", []),
    "الظهران": ("SA", []),
    "الدوحة": ("QA", []),
    "أبوظبي": ("AE", ["أبو ظبي"]),
    "دبي": ("AE", []),
    "الشارقة": ("AE", []),
    "عجمان": ("AE", []),
    "رأس الخيمة": ("AE", []),
    "الفجيرة": ("AE", []),
    "المنامة": ("BH", []),
    "مسقط": ("OM", []),
    "صلالة": ("OM", []),
    "صنعاء": ("YE", []),
    "عدن": ("YE", []),
    "تعز": ("YE", []),
    "الحديدة": ("YE", []),
    "مأرب": ("YE", []),
    "المكلا": ("YE", []),
    "صعدة": ("YE", []),
    "حضرموت": ("YE", []),
    # Levant and Iraq
    "دمشق": ("SY", []),
    "حلب": ("SY", []),
    "حمص": ("SY", []),
    "إدلب": ("SY", []),
    "اللاذقية": ("SY", []),
    "دير الزور": ("SY", []),
    "طرطوس": ("SY", []),
    "درعا": ("SY", []),
    "الرقة": ("SY", []),
    "بغداد": ("IQ", []),
    "البصرة": ("IQ", []),
    "الموصل": ("IQ", []),
    "أربيل": ("IQ", []),
    "كركوك": ("IQ", []),
    "النجف": ("IQ", []),
    "كربلاء": ("IQ", []),
    "الفلوجة": ("IQ", []),
    "تكريت": ("IQ", []),
    "الأنبار": ("IQ", []),
    "بيروت": ("LB", []),
    "صيدا": ("LB", []),
    "بعلبك": ("LB", []),
    "طرابلس": ("LY", []),  # LY by default; LB by context (see countries.py)
    # عمّان (Amman) normalizes to عمان (Oman): it is resolved in countries.py, not listed here.
    "إربد": ("JO", []),
    # Palestine and Israel (see COUNTRIES.md for the choice)
    "القدس": ("PS", ["القدس الشرقية"]),
    "رام الله": ("PS", []),
    "غزة": ("PS", []),
    "قطاع غزة": ("PS", []),
    "الضفة الغربية": ("PS", []),
    "نابلس": ("PS", []),
    "الخليل": ("PS", []),
    "بيت لحم": ("PS", []),
    "أريحا": ("PS", []),
    "رفح": ("PS", []),
    "خان يونس": ("PS", []),
    "طولكرم": ("PS", []),
    "قلقيلية": ("PS", []),
    "القدس الغربية": ("IL", []),
    "تل أبيب": ("IL", ["تل ابيب"]),
    "حيفا": ("IL", []),
    "إيلات": ("IL", []),
    # Egypt, Sudan
    "القاهرة": ("EG", []),
    "الإسكندرية": ("EG", []),
    "أسوان": ("EG", []),
    "بورسعيد": ("EG", ["بور سعيد"]),
    "السويس": ("EG", []),
    "شرم الشيخ": ("EG", []),
    "الجيزة": ("EG", []),
    "سيناء": ("EG", []),
    "الإسماعيلية": ("EG", []),
    "الخرطوم": ("SD", []),
    "أم درمان": ("SD", []),
    "بورتسودان": ("SD", ["بور سودان"]),
    "دارفور": ("SD", []),
    "جوبا": ("SS", []),
    # Maghreb
    "الرباط": ("MA", []),
    "الدار البيضاء": ("MA", []),
    "مراكش": ("MA", []),
    "فاس": ("MA", []),
    "طنجة": ("MA", []),
    "أكادير": ("MA", []),
    "مكناس": ("MA", []),
    "وجدة": ("MA", []),
    "تطوان": ("MA", []),
    "الحسيمة": ("MA", []),
    "الناظور": ("MA", []),
    "بني ملال": ("MA", []),
    "وهران": ("DZ", []),
    "قسنطينة": ("DZ", []),
    "عنابة": ("DZ", []),
    "تلمسان": ("DZ", []),
    "صفاقس": ("TN", []),
    "سوسة": ("TN", []),
    "القيروان": ("TN", []),
    "بنزرت": ("TN", []),
    "قابس": ("TN", []),
    "المنستير": ("TN", []),
    "نابل": ("TN", []),
    "قفصة": ("TN", []),
    "المهدية": ("TN", []),
    "توزر": ("TN", []),
    "جندوبة": ("TN", []),
    "مدنين": ("TN", []),
    "تطاوين": ("TN", []),
    "سيدي بوزيد": ("TN", []),
    "القصرين": ("TN", []),
    "بنغازي": ("LY", []),
    "مصراتة": ("LY", []),
    "سرت": ("LY", []),
    "درنة": ("LY", []),
    "سبها": ("LY", []),
    "طبرق": ("LY", []),
    "نواكشوط": ("MR", []),
    # Sub-Saharan Africa
    "نيروبي": ("KE", []),
    "أديس أبابا": ("ET", []),
    "مقديشو": ("SO", []),
    "أسمرة": ("ER", []),
    "كمبالا": ("UG", []),
    "كيغالي": ("RW", []),
    "كينشاسا": ("CD", []),
    "لواندا": ("AO", []),
    "أبوجا": ("NG", []),
    "لاغوس": ("NG", []),
    "نيامي": ("NE", []),
    "باماكو": ("ML", []),
    "تمبكتو": ("ML", []),
    "داكار": ("SN", []),
    "أكرا": ("GH", []),
    "أبيدجان": ("CI", []),
    "جوهانسبرغ": ("ZA", ["جوهانسبرج"]),
    "بريتوريا": ("ZA", []),
    "كيب تاون": ("ZA", []),
    "هراري": ("ZW", []),
    "نجامينا": ("TD", ["انجامينا"]),
}

# Regions and phrases containing a country form that do NOT name that country. They are matched
# (longest match) and then dropped, so «أمريكا اللاتينية» never yields US.
BLOCKED = [
    "أمريكا اللاتينية",
    "أمريكا الجنوبية",
    "أمريكا الشمالية",
    "أمريكا الوسطى",
    "أميركا اللاتينية",
    "أميركا الجنوبية",
    "أميركا الشمالية",
    "أميركا الوسطى",
    "القارة الأمريكية",
    "القارة الأميركية",
    "الأمريكتين",
    "الأمريكيتين",
    "الأميركتين",
    "الأميركيتين",
    "القارتين الأمريكيتين",
    "المغرب العربي",
    "المغرب الكبير",
    "المغرب الإسلامي",
    "بلاد المغرب",
    "المشرق والمغرب",
    "المشرق العربي والمغرب",
    "صلاة المغرب",
    "أذان المغرب",
    "آذان المغرب",
    "المغرب والعشاء",
    "خليج عمان",
    "بحر عمان",  # the Gulf of Oman, a sea (never Amman)
    "شبه الجزيرة الكورية",  # the Korean peninsula, both Koreas
    "المحيط الهندي",
    "الهنود الحمر",
    "التمر الهندي",
    "الجوز الهندي",
    "القسط الهندي",
    "بني إسرائيل",
    "بنو إسرائيل",
    "بنى إسرائيل",
    "القدس العربي",  # London-based newspaper
    "فيلق القدس",  # Iranian Revolutionary Guard unit
    "جنة عدن",
    "جنات عدن",
    "مضيق جبل طارق",
    "الإمبراطورية الرومانية",
    "الحضارة الرومانية",
    "العصر الروماني",
    "المسرح الروماني",
    "الأرقام الرومانية",
    "الأرقام الهندية",
    "الأرقام العربية",
    "سوسة النخيل",
    "سوسة الحمراء",
    "السوسة الحمراء",  # red palm weevil
    "الاتحاد السوفيتي",
    "الاتحاد السوفياتي",
    "اللغة الإنجليزية",
    "اللغة الإنكليزية",
    "الرباط الصليبي",  # cruciate ligament
    "كوبا أمريكا",
    "كوبا أميركا",
    "كوبا ليبرتادوريس",
    "كوبا ليبرتادورس",  # football cups
    "نصف قطر",
    "نصف القطر",  # radius
    # Single words that look like «clitic + form» but are other words:
    "مثلث برمودا",
    "القنب الهندي",
    "المنخفض الهندي",  # Bermuda triangle, cannabis, monsoon low
    "إبراهيم الخليل",
    "خليل الخليل",  # the prophet Abraham; a surname
    "كوبا ليبيرتادوريس",
    "كوبا كوكا",
    "وجوبا",  # «وُجوباً» obligatorily, not «و + جوبا»
    "وسوسة",  # whispering, not «و + سوسة»
    "باندورا",  # Pandora, not «ب + أندورا»
    "بنيوي",  # structural, not «ب + نيوي» (Niue)
    "بنين وبنات",
    "البنين والبنات",
    "للبنين والبنات",  # boys and girls (schools)
    "بليون",  # billion, not «ب + ليون»
]

# Cities deliberately NOT mapped to a country: they are venues of international organizations and
# talks, so a mention says little about the host country (Geneva talks on Syria, Vienna nuclear
# talks on Iran, the UN in New York, the courts in The Hague, Lausanne framework, Camp David).
VENUES_NOT_MAPPED = {
    "جنيف": "CH",
    "فيينا": "AT",
    "نيويورك": "US",
    "لاهاي": "NL",
    "لوزان": "CH",
    "كامب ديفيد": "US",
    "ستراسبورغ": "FR",
}

# English aliases for the facet filter box (in addition to CLDR's English name and the
# gazetteer's English country name and nationality keys).
EN_ALIASES = {
    "US": ["USA", "U.S.", "America", "United States of America"],
    "GB": ["UK", "Britain", "Great Britain", "England", "Scotland", "Wales"],
    "AE": ["UAE", "Emirates"],
    "SA": ["KSA", "Saudi"],
    "KR": ["Korea", "South Korea"],
    "KP": ["North Korea", "DPRK"],
    "TR": ["Turkey"],
    "CZ": ["Czech Republic"],
    "MM": ["Burma"],
    "CI": ["Ivory Coast"],
    "SZ": ["Swaziland"],
    "MK": ["Macedonia"],
    "PS": ["Palestine", "Gaza", "West Bank"],
    "NL": ["Holland"],
    "CD": ["DRC", "Zaire"],
    "CG": ["Congo-Brazzaville"],
    "VA": ["Holy See", "Vatican"],
    "RU": ["Russian Federation"],
    "IR": ["Persia"],
    "TL": ["East Timor"],
    "CV": ["Cabo Verde"],
    "BY": ["Belarus", "Byelorussia"],
}

# --------------------------------------------------------------------------------------------
# Inflection
# --------------------------------------------------------------------------------------------

# Suffixes that turn a masculine singular nisba (…ي) into its other forms. Dual forms included:
# -ان/-ين (masc. dual; the oblique equals the plural oblique) and -تان/-تين (fem. dual).
NISBA_SUFFIXES = ["", "ة", "ون", "ين", "ات", "ان", "تان", "تين"]


def with_article(phrase: str) -> str:
    return " ".join("ال" + w if not w.startswith("ال") else w for w in phrase.split())


def inflect_nisba(base: str) -> list[str]:
    """All forms of a (possibly multi-word) masculine singular nisba: every word ends in ي and
    takes the same suffix («كوري جنوبي» → «الكوريون الجنوبيون» …)."""
    words = base.split()
    if not all(w.endswith("ي") for w in words):
        return [base, with_article(base)]
    out = []
    for suffix in NISBA_SUFFIXES:
        phrase = " ".join(w + suffix for w in words)
        out += [phrase, with_article(phrase)]
    return out


def run_on_variants(phrase: str) -> list[str]:
    """The phrase with every subset of its spaces removed (الولاياتالمتحدة الأمريكية …)."""
    words = phrase.split()
    if len(words) < 2 or len(words) > 5:
        return [phrase]
    out = []
    for joins in itertools.product((" ", ""), repeat=len(words) - 1):
        out.append(words[0] + "".join(j + w for j, w in zip(joins, words[1:], strict=True)))
    return out


def clean_cldr(name: str) -> list[str]:
    """CLDR name → name form: drop parentheses (their content is a description, «منطقة إدارية
    خاصة», or an old name the shared gazetteer already has) and turn « - » into a space."""
    base = re.sub(r"\s*\([^)]*\)", "", name).strip()
    base = re.sub(r"\s+-\s+", " ", base).strip()
    return [base] if base else []


def dedupe(forms, exclude=()) -> list[str]:
    """Keep the first spelling of each normalized form (and drop excluded normalized forms)."""
    seen = {normalize(x) for x in exclude}
    out = []
    for f in forms:
        f = re.sub(r"\s+", " ", f).strip()
        n = normalize(f)
        if f and n not in seen:
            seen.add(n)
            out.append(f)
    return out


# --------------------------------------------------------------------------------------------


def build(shared: Path) -> dict:
    import babel
    from babel import Locale

    records = json.loads((shared / "gazetteers" / "countries_demonyms_ar.json").read_text("utf-8"))
    ar_terr = Locale("ar").territories
    en_terr = Locale("en").territories

    keys = sorted(k for k in ar_terr if isinstance(k, str) and re.fullmatch("[A-Z]{2}", k) and k not in NOT_ISO)
    names: dict[str, list[str]] = {k: [] for k in keys}
    demonyms: dict[str, list[str]] = {k: [] for k in keys}
    en_alias: dict[str, list[str]] = {k: [] for k in keys}

    for k in keys:
        names[k] += clean_cldr(ar_terr[k])
        if k in AR_LABEL_OVERRIDES:
            names[k].append(AR_LABEL_OVERRIDES[k])

    for rec in records:
        en = rec["country_en"]
        if en in SKIP_RECORDS:
            continue
        key = RECORD_KEY_OVERRIDES.get(en) or rec["iso_3166_1_alpha2"] or EXTRA_RECORD_KEYS.get(en)
        if not key or key not in names:
            continue
        names[key] += rec["names_ar"]
        en_alias[key] += [en.replace("-", " ")] + rec.get("nationality_keys_en", [])
        if en in SKIP_DEMONYMS:
            continue
        dm = rec["demonyms_ar"]
        for base in dm["male"]:
            if " " in base or base.endswith("ي"):
                demonyms[key] += inflect_nisba(base)
        # Broken plurals (أتراك، روس، ألمان…) and any listed form not produced by inflection.
        for field in ("males", "females", "female"):
            for form in dm[field]:
                demonyms[key] += [form, with_article(form)]

    for k, extra in EXTRA_NAMES.items():
        names[k] += extra
    for k, bases in EXTRA_DEMONYMS.items():
        for base in bases:
            demonyms[k] += inflect_nisba(base)

    # A demonym form shared by two countries stays with the one whose bare name owns it
    # (كونغوي → CD, like bare «الكونغو»); names are never shared.
    demonym_owner: dict[str, str] = {}
    for k in sorted(keys, key=lambda k: k != "CD"):
        for d in demonyms[k]:
            demonym_owner.setdefault(normalize(d), k)
    blocked_norm = {normalize(b) for b in BLOCKED}
    countries = {}
    for k in keys:
        demonyms[k] = [d for d in demonyms[k] if demonym_owner[normalize(d)] == k]
        excl = list(EXCLUDED_FORMS.get(k, ())) + [b for b in blocked_norm if " " not in b]
        nm = dedupe([v for n in names[k] for v in run_on_variants(n)], excl)
        dmy = dedupe(
            [v for d in demonyms[k] for v in run_on_variants(d)], excl + nm
        )  # a form that is a name stays a name
        ar_label = AR_LABEL_OVERRIDES.get(k, ar_terr[k])
        en_label = EN_LABEL_OVERRIDES.get(k, en_terr.get(k, k))
        entry = {"ar": ar_label, "en": en_label, "names": nm}
        if dmy:
            entry["demonyms"] = dmy
        aliases = dedupe(EN_ALIASES.get(k, []) + [en_terr.get(k, k)] + [a.title() for a in en_alias[k]], [en_label])
        aliases = [a for a in aliases if a.lower() != en_label.lower()]
        if aliases:
            entry["en_aliases"] = aliases
        countries[k] = entry

    cities = {}
    for canonical, (key, variants) in CITIES.items():
        assert key in countries, key
        forms = dedupe([v for f in [canonical, *variants] for v in run_on_variants(f)])
        cities[canonical] = [key, *forms[1:]] if forms[0] == canonical else [key, *forms]

    blocked = dedupe([v for b in BLOCKED for v in run_on_variants(b)])

    return {
        "_provenance": {
            "built_by": "scripts/build_country_gazetteer.py (see search/entities/data/COUNTRIES.md)",
            "names_demonyms": "ArWikiCats/ArWikiCats ArWikiCats/jsons/nationalities/nationalities_data.json "
            "@ d55a83f7dc71cf23f275a7ce38004055945cd72b (MIT), via "
            "../shared/gazetteers/countries_demonyms_ar.json; demonym inflections "
            "(feminine, plurals, duals, article) generated by the script",
            "labels": f"Unicode CLDR via Babel {babel.__version__} (Locale('ar'|'en').territories), "
            "Unicode licence / BSD; Arabic label overrides listed in the script",
            "cities_blocked_aliases": "hand-written facts in the build script (Arshif contributors)",
            "keys": "ISO 3166-1 alpha-2, plus XK (Kosovo, user-assigned, as in CLDR)",
            "forms": "ordinary Arabic spelling; the runtime normalizes with search.arabic.normalize",
        },
        "countries": countries,
        "cities": cities,
        "blocked": blocked,
        "venues_not_mapped": VENUES_NOT_MAPPED,
    }


def dump(data: dict) -> str:
    """Compact but readable JSON: one country / city per line."""

    def j(x):
        return json.dumps(x, ensure_ascii=False, separators=(", ", ": "))

    lines = ["{", f'"_provenance": {json.dumps(data["_provenance"], ensure_ascii=False, indent=1)},', '"countries": {']
    items = list(data["countries"].items())
    for i, (k, v) in enumerate(items):
        lines.append(f"{j(k)}: {j(v)}" + ("," if i < len(items) - 1 else ""))
    lines.append("},")
    lines.append('"cities": {')
    items = list(data["cities"].items())
    for i, (k, v) in enumerate(items):
        lines.append(f"{j(k)}: {j(v)}" + ("," if i < len(items) - 1 else ""))
    lines.append("},")
    lines.append(f'"blocked": {j(data["blocked"])},')
    lines.append(f'"venues_not_mapped": {j(data["venues_not_mapped"])}')
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # sanity
    return text


def report_collisions(data: dict) -> None:
    """Print normalized forms claimed by two different keys (the runtime keeps the first:
    names, then demonyms, then cities; blocked phrases always win)."""
    owner: dict[str, str] = {}
    order = [(k, f) for k, v in data["countries"].items() for f in v["names"]]
    order += [(k, f) for k, v in data["countries"].items() for f in v.get("demonyms", ())]
    order += [(v[0], f) for c, v in data["cities"].items() for f in [c, *v[1:]]]
    for key, form in order:
        n = normalize(form)
        if n in owner and owner[n] != key:
            print(f"  collision: {form!r} {owner[n]} (kept) vs {key}")
        owner.setdefault(n, key)


def main(argv=None) -> int:
    default_shared = Path(os.environ.get("ARSHIF_SHARED", REPO.parent / "shared"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=default_shared)
    ap.add_argument("--out", type=Path, default=REPO / "search" / "entities" / "data" / "countries.json")
    args = ap.parse_args(argv)
    data = build(args.shared)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dump(data), "utf-8")
    report_collisions(data)
    n_forms = sum(len(v["names"]) + len(v.get("demonyms", ())) for v in data["countries"].values())
    print(
        f"wrote {args.out}: {len(data['countries'])} countries, {n_forms} name/demonym forms, "
        f"{len(data['cities'])} cities, {len(data['blocked'])} blocked phrases"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
