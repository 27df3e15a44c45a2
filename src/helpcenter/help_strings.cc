// The help center's interface text in en/it/ru/hu/pl.
#include "helpcenter/help_strings.h"

#include <array>

namespace sb {
namespace {

struct Entry {
  std::string_view key, en, it, ru, hu, pl;
};

constexpr std::array<Entry, 38> kTexts = {{
    {"rate_limited",
     "You have sent several messages in a short time. Please wait a minute and send again; what "
     "you wrote is kept below.",
     "Ha inviato diversi messaggi in poco tempo. Attenda un minuto e invii di nuovo: quello che "
     "ha scritto è qui sotto.",
     "Вы отправили несколько сообщений за короткое время. Подождите минуту и отправьте снова — ваш "
     "текст сохранён ниже.",
     "Rövid idő alatt több üzenetet küldött. Kérjük, várjon egy percet, és küldje újra; amit írt, "
     "lent megtalálja.",
     "Wysłano kilka wiadomości w krótkim czasie. Odczekaj minutę i wyślij ponownie; Twój tekst "
     "jest poniżej."},
    {"how_can_we_help", "How can we help?", "Come possiamo aiutarLa?", "Чем мы можем помочь?",
     "Miben segíthetünk?", "W czym możemy pomóc?"},
    {"title", "Help center", "Centro assistenza", "Центр помощи", "Súgóközpont", "Centrum pomocy"},
    {"search_placeholder", "Search articles…", "Cerca negli articoli…", "Поиск по статьям…",
     "Keresés a cikkekben…", "Szukaj w artykułach…"},
    {"search", "Search", "Cerca", "Найти", "Keresés", "Szukaj"},
    {"categories", "Categories", "Categorie", "Разделы", "Témakörök", "Kategorie"},
    {"results_for", "Results for", "Risultati per", "Результаты по запросу",
     "Találatok erre:", "Wyniki dla"},
    {"no_results", "No article matches. Try other words, or write to us.",
     "Nessun articolo trovato. Provi con altre parole, oppure ci scriva.",
     "Ничего не найдено. Попробуйте другие слова или напишите нам.",
     "Nincs találat. Próbálja más szavakkal, vagy írjon nekünk.",
     "Brak wyników. Spróbuj innych słów albo napisz do nas."},
    {"contact", "Contact us", "Ci scriva", "Написать нам", "Kapcsolat", "Napisz do nas"},
    {"contact_intro", "Tell us what you need; we reply by e-mail.",
     "Ci dica di cosa ha bisogno: Le rispondiamo per e-mail.",
     "Опишите, что вам нужно, — мы ответим по e-mail.",
     "Írja meg, miben segíthetünk; e-mailben válaszolunk.",
     "Napisz, czego potrzebujesz — odpowiemy e-mailem."},
    {"name", "Your name", "Il Suo nome", "Ваше имя", "Az Ön neve", "Imię i nazwisko"},
    {"email", "E-mail", "E-mail", "E-mail", "E-mail-cím", "E-mail"},
    {"subject", "Subject", "Oggetto", "Тема", "Tárgy", "Temat"},
    {"message", "Message", "Messaggio", "Сообщение", "Üzenet", "Wiadomość"},
    {"send", "Send", "Invia", "Отправить", "Küldés", "Wyślij"},
    {"suggest_title", "These articles may answer your question",
     "Questi articoli potrebbero rispondere alla Sua domanda",
     "Возможно, эти статьи ответят на ваш вопрос", "Ezek a cikkek talán választ adnak a kérdésére",
     "Te artykuły mogą odpowiedzieć na Twoje pytanie"},
    {"suggest_helped", "Yes, this solved it", "Sì, ho risolto", "Да, это помогло",
     "Igen, ez megoldotta", "Tak, to rozwiązało problem"},
    {"suggest_continue", "No, send my message", "No, inviare il messaggio",
     "Нет, отправить сообщение", "Nem, elküldöm az üzenetet", "Nie, wyślij moją wiadomość"},
    {"thanks_ticket", "Thank you! We have your message and will reply by e-mail.",
     "Grazie! Abbiamo ricevuto il Suo messaggio e Le risponderemo per e-mail.",
     "Спасибо! Мы получили ваше сообщение и ответим по e-mail.",
     "Köszönjük! Megkaptuk üzenetét, e-mailben válaszolunk.",
     "Dziękujemy! Otrzymaliśmy wiadomość i odpowiemy e-mailem."},
    {"thanks_helped", "Great, glad it helped!", "Perfetto, siamo contenti di esserLe stati utili!",
     "Отлично, рады, что помогло!", "Nagyszerű, örülünk, hogy segített!",
     "Świetnie, cieszymy się, że pomogło!"},
    {"helpful_q", "Was this article helpful?", "Questo articolo Le è stato utile?",
     "Статья была полезной?", "Hasznos volt ez a cikk?", "Czy ten artykuł był pomocny?"},
    {"yes", "Yes", "Sì", "Да", "Igen", "Tak"},
    {"no", "No", "No", "Нет", "Nem", "Nie"},
    {"thanks_vote", "Thanks for your feedback.", "Grazie per il Suo riscontro.",
     "Спасибо за отзыв.", "Köszönjük a visszajelzést.", "Dziękujemy za opinię."},
    {"back", "All articles", "Tutti gli articoli", "Все статьи", "Összes cikk",
     "Wszystkie artykuły"},
    {"other_languages", "Also in", "Disponibile anche in", "Также на языках", "Más nyelven",
     "Dostępne także w"},
    {"email_invalid", "Please enter a valid e-mail address.",
     "Inserisca un indirizzo e-mail valido.", "Введите правильный адрес e-mail.",
     "Adjon meg érvényes e-mail-címet.", "Podaj poprawny adres e-mail."},
    {"message_required", "Please write your message.", "Scriva il Suo messaggio.",
     "Напишите сообщение.", "Kérjük, írja meg üzenetét.", "Napisz wiadomość."},
    {"not_found", "Page not found", "Pagina non trovata", "Страница не найдена",
     "Az oldal nem található", "Nie znaleziono strony"},
    {"found_helpful", "found this helpful", "l'hanno trovato utile", "сочли полезной",
     "találta hasznosnak", "uznało za pomocne"},
    {"language", "Language", "Lingua", "Язык", "Nyelv", "Język"},
    {"breadcrumbs", "Breadcrumbs", "Percorso", "Навигация", "Útvonal", "Ścieżka"},
    {"browse", "Browse by topic", "Sfogli per argomento", "Темы", "Témakörök szerint",
     "Przeglądaj według tematu"},
    {"popular", "Popular articles", "Articoli più letti", "Популярные статьи", "Népszerű cikkek",
     "Popularne artykuły"},
    {"related", "Related articles", "Articoli correlati", "Похожие статьи", "Kapcsolódó cikkek",
     "Powiązane artykuły"},
    {"still_need_help", "Still need help?", "Ha ancora bisogno di aiuto?", "Остались вопросы?",
     "További segítségre van szüksége?", "Nadal potrzebujesz pomocy?"},
    {"still_need_help_text", "Our team is happy to help you.",
     "Il nostro team è a Sua disposizione.", "Наша команда с радостью поможет.",
     "Csapatunk szívesen segít.", "Nasz zespół chętnie pomoże."},
    {"chat", "Chat with us", "Chatti con noi", "Написать в чат", "Csevegés velünk", "Czat z nami"},
}};

}  // namespace

std::string_view help_text(std::string_view key, std::string_view language) {
  for (const auto& e : kTexts) {
    if (e.key != key) continue;
    if (language == "it") return e.it;
    if (language == "ru") return e.ru;
    if (language == "hu") return e.hu;
    if (language == "pl") return e.pl;
    return e.en;
  }
  return key;
}

std::string_view language_name(std::string_view language) {
  if (language == "it") return "Italiano";
  if (language == "ru") return "Русский";
  if (language == "hu") return "Magyar";
  if (language == "pl") return "Polski";
  return "English";
}

}  // namespace sb
