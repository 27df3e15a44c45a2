// What the bot says in its own words, in the five product languages.
#include "bot/bot_phrases.h"

#include <array>

#include "kb/kb.h"

namespace sb {
namespace {

struct Phrases {
  std::string_view language;
  std::string_view greeting, handoff, unsure, upset, closed, article, greet_back, welcome;
  std::string_view weekdays[7];
};

// {name} is the bot's name, {when} the next opening ("Monday 09:00").
constexpr std::array<Phrases, 5> kPhrases = {{
    {"en",
     "Hi! I'm {name}, the virtual assistant. Ask me anything — or write “operator” to talk to a "
     "person.",
     "Sure, I'm getting a colleague for you. Please stay here, you're in the queue.",
     "I'm not sure I can answer that well, so I'm passing you to a colleague. Please stay here.",
     "I'm sorry about this. I'm getting a colleague for you right away.",
     "Our team is not available right now; a person will answer from {when}. Leave your message "
     "here (with your e-mail address if you'd like the answer by e-mail): nothing will be lost.",
     "This article may help:",
     "Hello! What can I help you with?",
     "You're welcome! Is there anything else I can help you with?",
     {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}},
    {"it",
     "Buongiorno! Sono {name}, l'assistente virtuale. Mi chieda pure — oppure scriva "
     "“operatore” per parlare con una persona.",
     "Certo, La metto in contatto con un collega. Resti qui, è in coda.",
     "Non sono sicuro di poter rispondere bene, quindi La passo a un collega. Resti qui.",
     "Mi dispiace per l'accaduto. La metto subito in contatto con un collega.",
     "In questo momento il nostro team non è disponibile; una persona Le risponderà da {when}. "
     "Lasci qui il Suo messaggio (con il Suo indirizzo e-mail se desidera la risposta per "
     "e-mail): non andrà perso nulla.",
     "Questo articolo può esserLe utile:",
     "Buongiorno! Come posso aiutarLa?",
     "Prego! Posso aiutarLa in qualcos'altro?",
     {"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"}},
    {"ru",
     "Здравствуйте! Я {name}, виртуальный помощник. Задайте вопрос — или напишите «оператор», "
     "чтобы поговорить с человеком.",
     "Конечно, соединяю вас с сотрудником. Пожалуйста, оставайтесь в чате — вы в очереди.",
     "Не уверен, что смогу хорошо ответить, поэтому передаю вас сотруднику. Пожалуйста, "
     "оставайтесь в чате.",
     "Приносим извинения. Сейчас же соединяю вас с сотрудником.",
     "Сейчас наша команда недоступна; вам ответят с {when}. Оставьте сообщение здесь (и ваш "
     "e-mail, если хотите получить ответ по почте) — ничего не потеряется.",
     "Возможно, вам поможет эта статья:",
     "Здравствуйте! Чем могу помочь?",
     "Пожалуйста! Могу ли я помочь чем-то ещё?",
     {"воскресенья", "понедельника", "вторника", "среды", "четверга", "пятницы", "субботы"}},
    {"hu",
     "Üdvözlöm! {name} vagyok, a virtuális asszisztens. Kérdezzen bátran — vagy írja be: "
     "„ügyintéző”, ha emberrel szeretne beszélni.",
     "Természetesen, kapcsolom egy kollégámat. Kérem, maradjon itt, már sorban áll.",
     "Nem vagyok biztos benne, hogy jól tudok válaszolni, ezért átadom egy kollégámnak. Kérem, "
     "maradjon itt.",
     "Sajnálom a kellemetlenséget. Azonnal kapcsolom egy kollégámat.",
     "Csapatunk most nem elérhető; egy munkatársunk ekkortól válaszol: {when}. Hagyja itt "
     "üzenetét (e-mail-címével együtt, ha e-mailben kéri a választ): semmi sem vész el.",
     "Ez a cikk segíthet:",
     "Üdvözlöm! Miben segíthetek?",
     "Szívesen! Segíthetek még valamiben?",
     {"vasárnap", "hétfő", "kedd", "szerda", "csütörtök", "péntek", "szombat"}},
    {"pl",
     "Dzień dobry! Jestem {name}, wirtualny asystent. Proszę pytać — albo napisać „konsultant”, "
     "aby porozmawiać z człowiekiem.",
     "Oczywiście, łączę z konsultantem. Proszę zostać na czacie, jest Pan/Pani w kolejce.",
     "Nie jestem pewien, czy dobrze odpowiem, więc przekazuję rozmowę konsultantowi. Proszę "
     "zostać na czacie.",
     "Przepraszamy za kłopot. Natychmiast łączę z konsultantem.",
     "Nasz zespół jest teraz niedostępny; konsultant odpowie od {when}. Proszę zostawić tu "
     "wiadomość (z adresem e-mail, jeśli odpowiedź ma przyjść e-mailem): nic nie zginie.",
     "Ten artykuł może pomóc:",
     "Dzień dobry! W czym mogę pomóc?",
     "Proszę bardzo! Czy mogę pomóc w czymś jeszcze?",
     {"niedzieli", "poniedziałku", "wtorku", "środy", "czwartku", "piątku", "soboty"}},
}};

const Phrases& phrases(std::string_view language) {
  for (const auto& p : kPhrases)
    if (p.language == language) return p;
  return kPhrases[0];
}

std::string replace_all(std::string text, std::string_view key, std::string_view value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

}  // namespace

std::string bot_phrase(BotPhrase which, std::string_view language, std::string_view name,
                       std::string_view when) {
  const auto& p = phrases(language);
  std::string_view text;
  switch (which) {
    case BotPhrase::kGreeting:
      text = p.greeting;
      break;
    case BotPhrase::kHandoff:
      text = p.handoff;
      break;
    case BotPhrase::kUnsure:
      text = p.unsure;
      break;
    case BotPhrase::kUpset:
      text = p.upset;
      break;
    case BotPhrase::kClosed:
      text = p.closed;
      break;
    case BotPhrase::kArticle:
      text = p.article;
      break;
    case BotPhrase::kGreetBack:
      text = p.greet_back;
      break;
    case BotPhrase::kWelcome:
      text = p.welcome;
      break;
  }
  return replace_all(replace_all(std::string(text), "{name}", name), "{when}", when);
}

namespace {

// Whole messages that only greet or thank, folded (kb::fold), per language; the
// first language listing a phrase is its language unless the chat's lists it too.
struct SmallTalkPhrases {
  std::string_view language;
  std::array<std::string_view, 16> greetings, thanks;
};
constexpr std::array<SmallTalkPhrases, 5> kSmallTalk = {{
    {"en",
     {"hi", "hello", "hey", "hiya", "hi there", "hello there", "hey there", "good morning",
      "good afternoon", "good evening", "hello everyone", "hi all", "greetings", "howdy"},
     {"thanks", "thank you", "thx", "ty", "thanks a lot", "thank you very much", "many thanks",
      "ok thanks", "ok thank you", "great thanks", "cheers", "thanks so much", "perfect thanks"}},
    {"it",
     {"ciao", "salve", "buongiorno", "buonasera", "buon pomeriggio", "ehi", "ciao a tutti",
      "buongiorno a tutti", "salve a tutti", "buona sera", "buon giorno"},
     {"grazie", "grazie mille", "grazie tante", "ok grazie", "grazie infinite", "perfetto grazie",
      "ti ringrazio", "la ringrazio", "molte grazie"}},
    {"ru",
     {"привет", "здравствуите", "здравствуи", "добрыи день", "доброе утро", "добрыи вечер",
      "приветствую", "здрасте", "добрый день", "добрый вечер", "здравствуйте", "здравствуй"},
     {"спасибо", "спасибо большое", "большое спасибо", "благодарю", "ок спасибо",
      "огромное спасибо", "спасибо за помощь"}},
    {"hu",
     {"szia", "sziasztok", "hello", "jo napot", "jo napot kivanok", "jo reggelt", "jo estet", "udv",
      "udvozlom", "csa", "szervusz", "hali"},
     {"koszonom", "koszi", "koszonom szepen", "kosz", "nagyon koszonom", "koszonom a segitseget",
      "koszike"}},
    {"pl",
     {"czesc", "dzien dobry", "witam", "dobry wieczor", "hej", "siema", "witam serdecznie",
      "dzien dobry panstwu", "halo"},
     {"dziekuje", "dzieki", "dziekuje bardzo", "wielkie dzieki", "bardzo dziekuje", "ok dzieki",
      "dziekuje za pomoc", "serdecznie dziekuje"}},
}};

bool lists(const std::array<std::string_view, 16>& phrases, std::string_view folded) {
  for (auto p : phrases)
    if (!p.empty() && p == folded) return true;
  return false;
}

}  // namespace

SmallTalk small_talk(std::string_view text, std::string_view chat_language) {
  if (text.size() > 80) return {};
  std::string folded;
  for (const auto& w : kb::words(text)) folded += (folded.empty() ? "" : " ") + kb::fold(w);
  if (folded.empty()) return {};
  SmallTalk found;
  for (const auto& p : kSmallTalk) {
    auto kind = lists(p.greetings, folded) ? SmallTalk::Kind::kGreeting
                : lists(p.thanks, folded)  ? SmallTalk::Kind::kThanks
                                           : SmallTalk::Kind::kNone;
    if (kind == SmallTalk::Kind::kNone) continue;
    if (found.kind == SmallTalk::Kind::kNone || p.language == chat_language)
      found = {kind, std::string(p.language)};
  }
  return found;
}

std::string weekday_name(int day, std::string_view language) {
  return std::string(phrases(language).weekdays[((day % 7) + 7) % 7]);
}

}  // namespace sb
