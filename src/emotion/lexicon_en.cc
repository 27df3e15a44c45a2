// English lexicon, plus the lists shared by all languages.
#include "emotion/lexicon.h"

namespace sb::emotion {
namespace {

// Tables are packed by hand, a few words a line.
// clang-format off
constexpr std::string_view kSwearing[] = {
    "fuck*", "motherfuck*", "fck*", "fcuk*", "shit*", "bullshit*", "crap", "crappy", "damn",
    "damned", "dammit", "goddamn*", "bastard*", "bitch*", "asshole*", "arsehole*", "ass", "dick",
    "dickhead*", "pissed", "piss off", "bloody hell", "wtf", "stfu", "screw you", "screw this",
    "douche*", "twat*", "wanker*", "cunt*",
};

constexpr std::string_view kAnger[] = {
    "ridiculous*", "outrage*", "unacceptable", "disgrace*", "disgust*", "scam", "scams", "scammer*",
    "scammed", "fraud*", "thief", "thieves", "robbery", "rip off", "ripoff", "ripped off",
    "pathetic*", "useless", "incompeten*", "absurd*", "furious*", "angry", "livid", "fed up",
    "sick of", "sick and tired", "had enough", "worst service", "worst shop", "worst company",
    "worst experience", "worst customer", "shame on you", "shameful*", "idiot*", "moron*", "clowns",
    "liar*", "lied to", "lying to", "a joke", "insult*", "thanks for nothing", "sucks", "jerks",
    "horrendous", "appalling", "atrocious", "infuriat*", "frustrat*", "waste of time",
    "waste of money",
};

constexpr std::string_view kThreats[] = {
    "lawyer*", "attorney*", "sue you", "sue your*", "will sue", "to sue", "suing", "legal action",
    "to court", "in court", "consumer protection", "consumer rights", "trading standards",
    "small claims", "ombudsman", "chargeback*", "open* a dispute", "file a dispute", "report you",
    "reporting you", "bad review*", "negative review*", "1 star", "one star", "trustpilot",
    "never .. again", "go* to .. competit*", "switch* to .. competit*", "competitors instead",
    "shop* elsewhere", "buy* elsewhere", "order* elsewhere", "business elsewhere", "go elsewhere",
    "going elsewhere", "cancel* everything",
};

constexpr std::string_view kRepeatedContact[] = {
    "third time", "fourth time", "fifth time", "umpteenth", "how many times", "many times",
    "several times", "again and again", "still waiting", "still no", "still nothing",
    "still not .. arriv*", "still not .. receiv*", "still haven", "still hasn", "nobody .. answer*",
    "nobody .. repl*", "nobody .. respond*", "no one .. answer*", "no one .. repl*",
    "no one .. respond*", "no answer", "no reply", "no response", "never answer*", "never repl*",
    "never respond*", "already wrote", "already written", "already called", "already asked",
    "for weeks", "for days", "weeks ago", "for a month", "waiting since",
};

constexpr std::string_view kGratitude[] = {
    "thank*", "thx", "thanx", "appreciate*", "cheers",
};

constexpr std::string_view kInternationalSwearing[] = {
    "fuck*", "motherfuck*", "fck*", "wtf", "shit", "bullshit*",
};

constexpr std::string_view kAcronyms[] = {
    // carriers, payments, documents, tech
    "dhl", "ups", "gls", "dpd", "tnt", "fedex", "usps", "inpost", "foxpost", "mpl", "iban", "bic",
    "swift", "sepa", "blik", "paypal", "visa", "cvv", "cvc", "otp", "pin", "pdf", "usb", "hdmi",
    "sms", "gps", "led", "lcd", "sim", "ssd", "ram", "cpu", "dvd", "nfc", "api", "url", "www",
    "faq", "asap", "eta", "rma", "cod", "ok", "okay", "usa", "eur", "euro", "usd", "pln", "huf",
    "rub", "vat", "ceo",
    // Italian, Polish, Hungarian and Russian forms, ids and companies
    "iva", "cap", "pec", "spid", "inps", "srl", "spa", "nip", "pesel", "regon", "krs", "pko", "zus",
    "rodo", "uokik", "kft", "zrt", "afa", "nav", "taj", "szja", "сдэк", "пвз", "инн", "огрн", "кпп",
    "бик", "рф", "смс", "ооо", "зао", "оао", "ип", "ттн", "снилс", "мфц"};

constexpr std::string_view kNegations[] = {
    "not", "t", "non", "не", "nem", "sem", "nie",
};

// clang-format on
constexpr Lexicon kEnglish{"en", kSwearing, kAnger, kThreats, kRepeatedContact, kGratitude};

}  // namespace

const Lexicon& english_lexicon() {
  return kEnglish;
}

Patterns international_swearing() {
  return kInternationalSwearing;
}

Patterns acronyms() {
  return kAcronyms;
}

Patterns negations() {
  return kNegations;
}

}  // namespace sb::emotion
