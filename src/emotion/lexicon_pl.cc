// Polish lexicon. Stems cover the cases and verb forms: "oszuk*" is oszukali,
// oszukańcy; "oszust*" is oszust, oszuści, oszustwo.
#include "emotion/lexicon.h"

namespace sb::emotion {
namespace {

// Tables are packed by hand, a few words a line.
// clang-format off
constexpr std::string_view kSwearing[] = {
    "kurw*", "kurde", "choler*", "chuj*", "huj*", "pierdol*", "pierdziel*", "spierdal*",
    "wypierdal*", "odpierdal*", "popierdol*", "jeba*", "jebi*", "pojeb*", "pizd*", "skurw*",
    "gówn*", "dupa", "dupy", "dupie", "wkurw*", "debil*",
};

constexpr std::string_view kAnger[] = {
    "skandal*", "żenad*", "żenując*", "oszust*", "oszuk*", "złodziej*", "kpin*", "kpicie", "kpią", "porażk*",
    "masakr*", "bezczeln*", "niekompetent*", "wkurz*", "wściek*", "oburz*", "nie do przyjęcia",
    "mam dość", "mam dosyć", "dramat", "horror", "nieudoln*", "olewa*", "olał*", "lekceważ*",
    "idioc*", "idiot*", "kretyn*", "szlag", "cyrk", "absurd*", "farsa", "nienormaln*",
    "nie jest normaln*", "naciągacz*", "naciągan*", "haniebn*", "co za wstyd", "hańb*",
};

constexpr std::string_view kThreats[] = {
    "prawnik*", "adwokat*", "pozew", "pozwę", "pozwiemy", "pozwać", "do sądu", "sądow*", "uokik",
    "rzecznik* .. konsument*", "federacj* konsument*", "inspekcj* handlow*", "negatywn* opini*",
    "negatywn* komentarz*", "zła opinia", "złą opinię", "złe opinie", "nigdy więcej",
    "więcej nie kupi*", "więcej nie zamówi*", "więcej u was nie", "do konkurencji", "chargeback",
    "policj*", "prokuratur*",
};

constexpr std::string_view kRepeatedContact[] = {
    "po raz trzeci", "trzeci raz", "czwarty raz", "kolejny raz", "po raz kolejny", "po raz enty",
    "enty raz", "który raz", "ile razy", "wiele razy", "kilka razy", "już pisał*", "już dzwonił*",
    "nadal brak", "nadal nic", "nadal nie", "wciąż nie", "wciąż brak", "dalej nic", "dalej brak",
    "nikt .. odpowi*", "nikt .. odbier*", "nikt .. oddzwoni*", "brak odpowiedzi", "bez odpowiedzi",
    "od tygodni", "od tygodnia", "od miesiąca", "od dwóch tygodni", "czekam od", "czekam już",
};

constexpr std::string_view kGratitude[] = {
    "dziękuj*", "dzięki", "pozdrawiam",
};

// clang-format on
constexpr Lexicon kPolish{"pl", kSwearing, kAnger, kThreats, kRepeatedContact, kGratitude};

}  // namespace

const Lexicon& polish_lexicon() {
  return kPolish;
}

}  // namespace sb::emotion
