// What the bot says in its own words, in the five product languages.
#include "bot/bot_phrases.h"

#include <array>

namespace sb {
namespace {

struct Phrases {
  std::string_view language;
  std::string_view greeting, handoff, unsure, upset, closed, article, weekdays[7];
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
     {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}},
    {"it",
     "Ciao! Sono {name}, l'assistente virtuale. Chiedimi pure — oppure scrivi “operatore” per "
     "parlare con una persona.",
     "Certo, ti metto in contatto con un collega. Resta qui, sei in coda.",
     "Non sono sicuro di poter rispondere bene, quindi ti passo a un collega. Resta qui.",
     "Mi dispiace per l'accaduto. Ti metto subito in contatto con un collega.",
     "In questo momento il nostro team non è disponibile; una persona ti risponderà da {when}. "
     "Lascia qui il tuo messaggio (con il tuo indirizzo e-mail se vuoi la risposta per e-mail): "
     "non andrà perso nulla.",
     "Questo articolo può esserti utile:",
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
  }
  return replace_all(replace_all(std::string(text), "{name}", name), "{when}", when);
}

std::string weekday_name(int day, std::string_view language) {
  return std::string(phrases(language).weekdays[((day % 7) + 7) % 7]);
}

}  // namespace sb
