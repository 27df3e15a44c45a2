// The shipped rules, in the admins' JSON format (what they start editing from).
// Phrases and alternatives: seed 004 (LiveAgent's live-chat etiquette: the
// positive and negative examples, the impolite words, "no" followed by what can
// be done, greeting neither too short nor too long, ask before closing) and the
// everyday equivalents in each language.
#include <boost/json/parse.hpp>
#include <map>
#include <mutex>

#include "coach/coach.h"

namespace sb::coach {
namespace {

constexpr std::string_view kEnglish = R"json({
 "phrases": [
  {"id": "dont_know", "match": ["i don't know", "i do not know", "i dont know", "no idea", "dunno"],
   "suggest": ["Let me find out for you"]},
  {"id": "not_sure", "match": ["i'm not sure", "i am not sure", "im not sure"],
   "suggest": ["Let me check that for you"]},
  {"id": "policy", "match": ["that's company policy", "that is company policy", "it's company policy",
     "it is company policy", "company policy", "that's our policy", "that is our policy"],
   "suggest": ["Let me see what I can do for you"]},
  {"id": "calm_down", "match": ["calm down", "relax"], "suggest": ["I understand how frustrating this is"]},
  {"id": "never_do", "match": ["we never do that", "we don't do that", "we do not do that"],
   "suggest": ["What we can do instead is"]},
  {"id": "website", "match": ["did you check our website", "have you checked our website",
     "did you look at our website", "it's on our website", "it is on our website", "read the faq"],
   "suggest": ["Here is the page that explains it:"]},
  {"id": "cant_help", "match": ["i can't help you", "i cannot help you", "not my department", "not my job",
     "not my problem"], "suggest": ["Let me connect you with the right person"]},
  {"id": "as_i_said", "match": ["as i said", "as i already said", "like i said", "as i told you"],
   "suggest": ["To recap"]},
  {"id": "youre_wrong", "match": ["you're wrong", "you are wrong"], "suggest": ["I see what you mean"]},
  {"id": "hold_on", "match": ["hold on", "wait a sec"],
   "suggest": ["Could you give me a moment to check this for you?"]}
 ],
 "impolite_words": ["never", "nothing", "nobody", "impossible", "terrible", "wrong", "none", "bad"],
 "no": {"words": ["no", "nope"],
        "followed_by": ["but", "however", "instead", "what i can", "what we can", "let me", "alternatively",
                        "i can", "we can", "happy to"],
        "suggest": "but let me find out what we can do instead."},
 "greeting": {"min_words": 4, "max_words": 35, "informal": ["hey", "yo", "sup", "hiya", "heya"],
              "suggest": "Hello, welcome! My name is {{agent.name}}. How can I help you?"},
 "closing": {"closers": ["have a nice day", "have a great day", "have a good day", "goodbye", "good bye",
                         "bye", "take care"],
             "questions": ["anything else", "something else", "any other question", "any other questions",
                           "any more questions", "help you with anything"],
             "suggest": "Is there anything else I can help you with?"},
 "readability": {"max_sentence_words": 25, "max_word_letters": 16},
 "name_check": true,
 "required": []
})json";

constexpr std::string_view kItalian = R"json({
 "phrases": [
  {"id": "dont_know", "match": ["non lo so", "non so", "non ne ho idea", "boh"],
   "suggest": ["Lo verifico subito per lei"]},
  {"id": "not_sure", "match": ["non sono sicuro", "non sono sicura"],
   "suggest": ["Controllo e le faccio sapere"]},
  {"id": "policy", "match": ["è la politica aziendale", "politica aziendale", "è la nostra politica",
     "sono le regole"], "suggest": ["Vediamo cosa posso fare per lei"]},
  {"id": "calm_down", "match": ["si calmi", "stia calmo", "stia calma", "calmati"],
   "suggest": ["Capisco quanto sia frustrante"]},
  {"id": "never_do", "match": ["non lo facciamo mai", "non facciamo queste cose"],
   "suggest": ["Quello che possiamo fare invece è"]},
  {"id": "website", "match": ["ha controllato il nostro sito", "è scritto sul sito", "legga le faq",
     "guardi sul sito"], "suggest": ["Ecco la pagina che lo spiega:"]},
  {"id": "cant_help", "match": ["non posso aiutarla", "non è compito mio", "non è il mio reparto"],
   "suggest": ["La metto in contatto con la persona giusta"]},
  {"id": "as_i_said", "match": ["come ho già detto", "come le ho detto", "come ho detto"],
   "suggest": ["Riassumendo"]},
  {"id": "youre_wrong", "match": ["lei sbaglia", "si sbaglia", "ha torto"],
   "suggest": ["Capisco il suo punto di vista"]},
  {"id": "hold_on", "match": ["attenda", "aspetti un attimo"],
   "suggest": ["Mi concede un momento per verificare?"]}
 ],
 "impolite_words": ["mai", "niente", "nessuno", "impossibile", "terribile", "sbagliato", "nulla"],
 "no": {"words": ["no"],
        "followed_by": ["ma", "però", "tuttavia", "invece", "posso", "possiamo", "le propongo",
                        "in alternativa", "volentieri"],
        "suggest": "ma vediamo subito cosa possiamo fare invece."},
 "greeting": {"min_words": 4, "max_words": 35, "informal": ["ehi", "ehilà", "oh", "we"],
              "suggest": "Buongiorno e benvenuto! Sono {{agent.name}}, come posso aiutarla?"},
 "closing": {"closers": ["buona giornata", "buona serata", "arrivederci", "ciao ciao", "a presto"],
             "questions": ["qualcos'altro", "qualcosa d'altro", "altre domande", "serve altro",
                           "bisogno d'altro", "posso fare altro", "aiutarla in altro"],
             "suggest": "Posso aiutarla in qualcos'altro?"},
 "readability": {"max_sentence_words": 25, "max_word_letters": 17},
 "name_check": true,
 "required": []
})json";

constexpr std::string_view kRussian = R"json({
 "phrases": [
  {"id": "dont_know", "match": ["я не знаю", "не знаю", "понятия не имею"],
   "suggest": ["Сейчас уточню для вас"]},
  {"id": "not_sure", "match": ["не уверен", "не уверена"], "suggest": ["Я проверю и сообщу вам"]},
  {"id": "policy", "match": ["такова политика компании", "политика компании", "такие правила",
     "так положено"], "suggest": ["Давайте посмотрим, что я могу для вас сделать"]},
  {"id": "calm_down", "match": ["успокойтесь", "не нервничайте"],
   "suggest": ["Я понимаю, как это неприятно"]},
  {"id": "never_do", "match": ["мы так никогда не делаем", "мы так не делаем"],
   "suggest": ["Вместо этого мы можем"]},
  {"id": "website", "match": ["посмотрите на сайте", "читайте на сайте", "вы смотрели наш сайт",
     "всё есть на сайте"], "suggest": ["Вот страница, где это описано:"]},
  {"id": "cant_help", "match": ["это не ко мне", "это не мой отдел", "ничем не могу помочь",
     "не могу вам помочь"], "suggest": ["Я передам ваш вопрос специалисту, который поможет"]},
  {"id": "as_i_said", "match": ["как я уже говорил", "как я уже говорила", "как я уже сказал",
     "как я уже сказала", "я же сказал"], "suggest": ["Напомню"]},
  {"id": "youre_wrong", "match": ["вы не правы", "вы ошибаетесь"],
   "suggest": ["Я понимаю вашу точку зрения"]},
  {"id": "hold_on", "match": ["ждите", "подождите"],
   "suggest": ["Можно я возьму минуту, чтобы всё проверить?"]}
 ],
 "impolite_words": ["никогда", "ничего", "никто", "невозможно", "ужасно", "неправильно", "плохо"],
 "no": {"words": ["нет"],
        "followed_by": ["но", "однако", "зато", "вместо", "могу", "можем", "предлагаю", "давайте",
                        "с удовольствием"],
        "suggest": "но давайте я узнаю, что мы можем сделать вместо этого."},
 "greeting": {"min_words": 3, "max_words": 30, "informal": ["привет", "здорово", "хай", "прив"],
              "suggest": "Здравствуйте! Меня зовут {{agent.name}}. Чем могу помочь?"},
 "closing": {"closers": ["всего доброго", "до свидания", "хорошего дня", "всего хорошего", "пока"],
             "questions": ["что-нибудь ещё", "что-то ещё", "чем-нибудь ещё", "чем-то ещё", "ещё вопросы",
                           "другие вопросы", "могу ли я ещё"],
             "suggest": "Могу ли я помочь вам чем-нибудь ещё?"},
 "readability": {"max_sentence_words": 22, "max_word_letters": 17},
 "name_check": true,
 "required": []
})json";

constexpr std::string_view kHungarian = R"json({
 "phrases": [
  {"id": "dont_know", "match": ["nem tudom", "fogalmam sincs"], "suggest": ["Hadd derítsem ki önnek"]},
  {"id": "not_sure", "match": ["nem vagyok benne biztos", "nem vagyok biztos"],
   "suggest": ["Utánanézek, és jelentkezem"]},
  {"id": "policy", "match": ["ez a vállalati politika", "vállalati politika", "ez a szabály"],
   "suggest": ["Nézzük meg, mit tehetek önért"]},
  {"id": "calm_down", "match": ["nyugodjon meg", "nyugi"], "suggest": ["Megértem, mennyire bosszantó ez"]},
  {"id": "never_do", "match": ["ezt soha nem csináljuk", "ilyet nem csinálunk"],
   "suggest": ["Nézzük meg, mit tehetünk helyette"]},
  {"id": "website", "match": ["megnézte a weboldalunkat", "nézze meg a weboldalon", "olvassa el a gyik"],
   "suggest": ["Itt találja az erről szóló oldalt:"]},
  {"id": "cant_help", "match": ["nem tudok segíteni", "ez nem az én dolgom", "nem az én osztályom"],
   "suggest": ["Hadd kapcsoljam a megfelelő kollégához"]},
  {"id": "as_i_said", "match": ["ahogy már mondtam", "mint már mondtam", "már mondtam"],
   "suggest": ["Összefoglalva"]},
  {"id": "youre_wrong", "match": ["ön téved", "téved"], "suggest": ["Értem, mire gondol"]},
  {"id": "hold_on", "match": ["várjon"],
   "suggest": ["Szükségem lenne egy pillanatra, hogy megvizsgáljam a kérését. Várakozásra tehetem?"]}
 ],
 "impolite_words": ["soha", "semmi", "érv", "vége", "szörnyű", "rossz", "senki", "helytelen",
                    "semmiképpen"],
 "no": {"words": ["nem"],
        "followed_by": ["de", "viszont", "helyette", "azonban", "tudok", "tudunk", "hadd", "javaslom",
                        "szívesen"],
        "suggest": "de hadd derítsem ki, mit tehetünk helyette."},
 "greeting": {"min_words": 4, "max_words": 25, "informal": ["hé", "szevasz", "csá", "hali"],
              "suggest": "Helló, üdvözlöm! Az én nevem {{agent.name}}. Miben segíthetek?"},
 "closing": {"closers": ["szép napot", "további szép napot", "viszontlátásra", "viszlát", "minden jót"],
             "questions": ["van még valami", "segíthetek még", "egyéb kérdés", "más kérdés",
                           "további kérdés"],
             "suggest": "Van még valami, amiben segíthetek?"},
 "readability": {"max_sentence_words": 22, "max_word_letters": 21},
 "name_check": true,
 "required": []
})json";

constexpr std::string_view kPolish = R"json({
 "phrases": [
  {"id": "dont_know", "match": ["nie wiem", "nie mam pojęcia"], "suggest": ["Sprawdzę to dla Pana/Pani"]},
  {"id": "not_sure", "match": ["nie jestem pewien", "nie jestem pewna"],
   "suggest": ["Sprawdzę i dam znać"]},
  {"id": "policy", "match": ["taka jest polityka firmy", "polityka firmy", "takie są zasady"],
   "suggest": ["Zobaczmy, co mogę dla Pana/Pani zrobić"]},
  {"id": "calm_down", "match": ["proszę się uspokoić", "niech się pan uspokoi", "niech się pani uspokoi",
     "uspokój się"], "suggest": ["Rozumiem, jak bardzo to frustrujące"]},
  {"id": "never_do", "match": ["nigdy tego nie robimy", "tego nie robimy"],
   "suggest": ["Zamiast tego możemy"]},
  {"id": "website", "match": ["proszę sprawdzić na stronie", "czy sprawdził pan naszą stronę",
     "czy sprawdziła pani naszą stronę", "jest na stronie"], "suggest": ["Oto strona, która to wyjaśnia:"]},
  {"id": "cant_help", "match": ["to nie mój dział", "nie mogę pomóc", "to nie moja sprawa"],
   "suggest": ["Połączę Pana/Panią z właściwą osobą"]},
  {"id": "as_i_said", "match": ["jak już mówiłem", "jak już mówiłam", "jak wspomniałem", "jak wspomniałam"],
   "suggest": ["Podsumowując"]},
  {"id": "youre_wrong", "match": ["nie ma pan racji", "nie ma pani racji", "myli się pan", "myli się pani"],
   "suggest": ["Rozumiem Pana/Pani punkt widzenia"]},
  {"id": "hold_on", "match": ["proszę czekać", "czekaj"],
   "suggest": ["Czy mogę poprosić o chwilę na sprawdzenie?"]}
 ],
 "impolite_words": ["nigdy", "nic", "nikt", "niemożliwe", "okropne", "źle", "błędnie", "żaden"],
 "no": {"words": ["nie"],
        "followed_by": ["ale", "jednak", "natomiast", "zamiast", "mogę", "możemy", "proponuję", "chętnie"],
        "suggest": "ale sprawdzę, co możemy zrobić zamiast tego."},
 "greeting": {"min_words": 4, "max_words": 35, "informal": ["hej", "siema", "elo", "cześć", "yo"],
              "suggest": "Dzień dobry! Nazywam się {{agent.name}}. W czym mogę pomóc?"},
 "closing": {"closers": ["miłego dnia", "do widzenia", "wszystkiego dobrego", "do usłyszenia"],
             "questions": ["coś jeszcze", "w czymś jeszcze", "inne pytania", "czy mogę jeszcze",
                           "dodatkowe pytania"],
             "suggest": "Czy mogę pomóc w czymś jeszcze?"},
 "readability": {"max_sentence_words": 22, "max_word_letters": 18},
 "name_check": true,
 "required": []
})json";

std::string_view source_of(std::string_view language) {
  if (language == "it") return kItalian;
  if (language == "ru") return kRussian;
  if (language == "hu") return kHungarian;
  if (language == "pl") return kPolish;
  return kEnglish;
}

}  // namespace

const std::vector<std::string>& languages() {
  static const std::vector<std::string> all{"en", "it", "ru", "hu", "pl"};
  return all;
}

bool is_language(std::string_view code) {
  for (const auto& l : languages())
    if (l == code) return true;
  return false;
}

const Rules& default_rules(std::string_view language) {
  static std::once_flag once;
  static std::map<std::string, Rules, std::less<>> parsed;
  std::call_once(once, [] {
    for (const auto& l : languages()) parsed[l] = rules_from_json(boost::json::parse(source_of(l)));
  });
  auto it = parsed.find(language);
  return it != parsed.end() ? it->second : parsed.at("en");
}

}  // namespace sb::coach
