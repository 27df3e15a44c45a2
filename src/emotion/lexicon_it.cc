// Italian lexicon. Stems cover the forms: "vergogn*" is vergogna, vergognoso,
// vergognatevi; "truff*" is truffa, truffatori.
#include "emotion/lexicon.h"

namespace sb::emotion {
namespace {

// Tables are packed by hand, a few words a line.
// clang-format off
constexpr std::string_view kSwearing[] = {
    "cazz*", "incazz*", "sticazz*", "minchi*", "merd*", "stronz*", "vaffanc*", "fanculo",
    "affanculo", "coglion*", "rompicoglion*", "porca puttana", "porco .. dio", "porca troia",
    "porca miseria", "puttan*", "bastard*", "culo", "cacchio", "mortacci*",
};

constexpr std::string_view kAnger[] = {
    "vergogn*", "ridicol*", "assurd*", "inaccettabil*", "inammissibil*", "scandal*", "schifo",
    "schifos*", "schifezz*", "pessim*", "truff*", "ladri", "ladro", "ladrocinio", "imbroglion*",
    "incompetent*", "arrabbiat*", "furios*", "indecent*", "prend* in giro", "presa in giro",
    "presi in giro", "sono stufo", "sono stufa", "stufo di", "ne ho abbastanza",
    "non se ne può più", "idiot*", "deficient*", "cretin*", "imbecill*", "buffon*", "pagliacc*",
    "non è accettabile", "non è normale", "non è serio", "fregatur*", "fregat*", "delinquent*",
    "disgust*", "inaudit*", "allucinant*", "squallid*",
};

constexpr std::string_view kThreats[] = {
    "avvocat*", "vie legali", "azione legale", "denunc*", "codacons", "altroconsumo",
    "associazion* .. consumator*", "tutela .. consumator*", "giudice di pace", "agcm",
    "recension* negativ*", "pessima recensione", "una stella", "mai più", "prima e ultima",
    "dalla concorrenza", "alla concorrenza", "dai concorrenti", "compr* altrove", "ordin* altrove",
    "controversi*", "chargeback",
};

constexpr std::string_view kRepeatedContact[] = {
    "terza volta", "quarta volta", "quinta volta", "ennesim*", "più volte", "tante volte",
    "mille volte", "ancora nessun*", "ancora niente", "ancora nulla", "ancora non .. arrivat*",
    "ancora aspett*", "aspetto da", "da settimane", "da giorni", "da un mese",
    "nessuno .. rispond*", "non rispond* mai", "mai risposto", "nessuna risposta", "senza risposta",
    "già scritto", "già chiamato", "mai un operatore", "nessun operatore",
};

constexpr std::string_view kGratitude[] = {
    "grazie", "ringrazi*", "gentil*", "cortes*",
};

// clang-format on
constexpr Lexicon kItalian{"it", kSwearing, kAnger, kThreats, kRepeatedContact, kGratitude};

}  // namespace

const Lexicon& italian_lexicon() {
  return kItalian;
}

}  // namespace sb::emotion
