// Hungarian lexicon. Stems cover the suffixes: "felháborít*" is felháborító,
// felháborítóan; "átver*" is átvertek, átverés.
#include "emotion/lexicon.h"

namespace sb::emotion {
namespace {

// Tables are packed by hand, a few words a line.
// clang-format off
constexpr std::string_view kSwearing[] = {
    "kurva*", "basz*", "bassz*", "bazd*", "bazmeg", "kibasz*", "geci*", "fasz*", "szar", "szarul",
    "szarság*", "szaros*", "picsa*", "a francba", "rohadt*", "seggfej*", "köcsög*",
};

constexpr std::string_view kAnger[] = {
    "felháborít*", "felháborod*", "botrány*", "szégyen*", "elfogadhatatlan*", "nevetséges*",
    "pofátlan*", "csaló*", "csalás*", "átver*", "gyalázat*", "tűrhetetlen*", "vérlázító*",
    "idegesít*", "dühös*", "mérges*", "elegem", "kritikán aluli", "inkompetens*", "hülye*",
    "idióta*", "tolvaj*", "rablás*", "lehúz*", "nem normális", "nem elfogadhat*", "komolytalan*",
    "katasztróf*", "undorító*", "ez egy vicc", "ez vicc",
};

constexpr std::string_view kThreats[] = {
    "ügyvéd*", "bíróság*", "beperel*", "perel*", "feljelent*", "fogyasztóvéd*", "békéltető*",
    "soha többé", "soha .. többé", "nem rendel* .. többet", "nem vásárol* .. többet", "konkurenci*",
    "máshol rendel*", "máshol vásárol*", "negatív értékelés*", "rossz értékelés*",
    "negatív vélemény*", "visszaterhel*", "rendőrség*",
};

constexpr std::string_view kRepeatedContact[] = {
    "harmadszor", "negyedszer", "sokadszor", "többször", "sokszor", "már írtam", "már hívtam",
    "már jeleztem", "még mindig nem", "még mindig nincs", "még mindig semmi", "senki .. válaszol*",
    "senki .. reagál*", "nincs válasz", "válasz nélkül", "hetek óta", "napok óta", "hónapok óta",
};

constexpr std::string_view kGratitude[] = {
    "köszön*", "köszi", "kösz",
};

// clang-format on
constexpr Lexicon kHungarian{"hu", kSwearing, kAnger, kThreats, kRepeatedContact, kGratitude};

}  // namespace

const Lexicon& hungarian_lexicon() {
  return kHungarian;
}

}  // namespace sb::emotion
