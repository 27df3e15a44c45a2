// The SLA timer's words in en, it, ru, hu, pl (kLanguages' order). Each text is
// one array of five, so a language cannot be left out; the wording matches the
// console's strings for the same notices and settings.
#include "sla_runner/texts.h"

#include <array>
#include <utility>
#include <vector>

namespace sb::sla_runner {
namespace {

using Words = std::array<std::string_view, kLanguages.size()>;

std::size_t index_of(std::string_view lang) {
  for (std::size_t i = 0; i < kLanguages.size(); ++i)
    if (kLanguages[i] == lang) return i;
  return 0;  // English
}

// `text` with each {name} replaced by its value.
std::string fill(std::string_view text,
                 const std::vector<std::pair<std::string_view, std::string>>& values) {
  std::string out(text);
  for (const auto& [name, value] : values) {
    auto mark = "{" + std::string(name) + "}";
    if (auto at = out.find(mark); at != std::string::npos) out.replace(at, mark.size(), value);
  }
  return out;
}

constexpr std::array<Words, sla::kMetrics> kMetricNames = {{
    {"first response", "prima risposta", "первый ответ", "első válasz", "pierwsza odpowiedź"},
    {"next response", "risposta successiva", "следующий ответ", "következő válasz",
     "kolejna odpowiedź"},
    {"resolution", "risoluzione", "решение", "megoldás", "rozwiązanie"},
}};

constexpr std::array<Words, 4> kPriorityNames = {{
    {"low", "bassa", "низкий", "alacsony", "niski"},
    {"normal", "normale", "обычный", "normál", "normalny"},
    {"high", "alta", "высокий", "magas", "wysoki"},
    {"urgent", "urgente", "срочный", "sürgős", "pilny"},
}};

constexpr Words kAtRisk = {"at risk", "a rischio", "срок под угрозой", "veszélyben",
                           "termin zagrożony"};
constexpr Words kOverdue = {"overdue", "in ritardo", "срок нарушен", "késésben", "po terminie"};
constexpr Words kHeadline = {
    "SLA {policy}: {metric} {state}: {action}", "SLA {policy}: {metric} {state}: {action}",
    "SLA {policy}: {metric} — {state}: {action}", "SLA {policy}: {metric} {state}: {action}",
    "SLA {policy}: {metric} — {state}: {action}"};

constexpr Words kNotifiedAssignee = {"the assignee was notified", "l'assegnatario è stato avvisato",
                                     "ответственный уведомлён", "a felelős értesítést kapott",
                                     "powiadomiono przypisaną osobę"};
constexpr Words kNotifiedSupervisors = {
    "the supervisors were notified", "i supervisori sono stati avvisati", "супервизоры уведомлены",
    "a felügyelők értesítést kaptak", "powiadomiono kierowników"};
constexpr Words kRaised = {"priority raised to {priority}", "priorità alzata: {priority}",
                           "приоритет повышен до «{priority}»", "prioritás emelve: {priority}",
                           "priorytet podniesiony do: {priority}"};
constexpr Words kToTeam = {"moved to the queue of team {team}",
                           "spostato nella coda del team {team}",
                           "передан в очередь команды {team}", "áthelyezve a csapat sorába: {team}",
                           "przeniesiono do kolejki zespołu {team}"};
constexpr Words kUnassigned = {"back to the queue", "rimesso in coda", "возвращён в очередь",
                               "visszakerült a sorba", "przywrócono do kolejki"};

constexpr Words kReminder = {
    "We are still waiting for your reply. This request closes by itself if we do not hear from "
    "you.",
    "Stiamo ancora aspettando una tua risposta. Se non ti sentiamo, la richiesta si chiuderà da "
    "sola.",
    "Мы всё ещё ждём вашего ответа. Если вы не ответите, обращение закроется автоматически.",
    "Még várjuk a válaszát. Ha nem jelentkezik, a kérés magától lezárul.",
    "Wciąż czekamy na Twoją odpowiedź. Jeśli się nie odezwiesz, zgłoszenie zamknie się samo."};

// {days} is a number; one day reads differently in en, it and pl.
constexpr Words kSolvedAfter = {"Ticket solved automatically after {days} days",
                                "Ticket risolto automaticamente dopo {days} giorni",
                                "Заявка автоматически решена через {days} дн.",
                                "A jegy {days} nap után automatikusan megoldódott",
                                "Zgłoszenie rozwiązane automatycznie po {days} dniach"};
constexpr Words kSolvedAfterOne = {
    "Ticket solved automatically after 1 day", "Ticket risolto automaticamente dopo 1 giorno",
    "Заявка автоматически решена через 1 дн.", "A jegy 1 nap után automatikusan megoldódott",
    "Zgłoszenie rozwiązane automatycznie po 1 dniu"};
constexpr Words kClosedAfter = {"Ticket closed automatically after {days} days",
                                "Ticket chiuso automaticamente dopo {days} giorni",
                                "Заявка автоматически закрыта через {days} дн.",
                                "A jegy {days} nap után automatikusan lezárult",
                                "Zgłoszenie zamknięte automatycznie po {days} dniach"};
constexpr Words kClosedAfterOne = {
    "Ticket closed automatically after 1 day", "Ticket chiuso automaticamente dopo 1 giorno",
    "Заявка автоматически закрыта через 1 дн.", "A jegy 1 nap után automatikusan lezárult",
    "Zgłoszenie zamknięte automatycznie po 1 dniu"};

constexpr Words kFollowUp = {
    "Follow-up due: this chat became a ticket {hours} hours ago and has no answer yet",
    "Follow-up da fare: questa chat è diventata un ticket {hours} ore fa e non ha ancora risposta",
    "Нужно связаться: этот чат стал тикетом {hours} ч назад и ещё без ответа",
    "Utánkövetés esedékes: ez a csevegés {hours} órája lett jegy, és még nincs rá válasz",
    "Czas na kontakt: ten czat stał się zgłoszeniem {hours} godz. temu i nie ma jeszcze "
    "odpowiedzi"};

std::string action_text(std::size_t l, const sla::Escalation& e) {
  switch (e.action) {
    case sla::EscalationAction::kNotifyAssignee:
      return std::string(kNotifiedAssignee[l]);
    case sla::EscalationAction::kNotifySupervisor:
      return std::string(kNotifiedSupervisors[l]);
    case sla::EscalationAction::kRaisePriority: {
      auto p = static_cast<std::size_t>(e.priority.value_or(TicketPriority::kUrgent));
      return fill(kRaised[l], {{"priority", std::string(kPriorityNames.at(p)[l])}});
    }
    case sla::EscalationAction::kReassignTeam:
      return fill(kToTeam[l], {{"team", e.team ? std::to_string(*e.team) : std::string("?")}});
    case sla::EscalationAction::kUnassign:
      return std::string(kUnassigned[l]);
  }
  return "";
}

std::string supported_or_empty(std::string_view lang) {
  return is_supported_language(lang) ? std::string(lang) : std::string();
}

}  // namespace

std::string agents_language(const Inbox* inbox) {
  std::string lang;
  if (inbox)
    if (auto* v = inbox->widget.if_contains("language"); v && v->is_string())
      lang = supported_or_empty(v->as_string());
  return lang.empty() ? std::string(kLanguages[0]) : lang;
}

std::string customer_language(const Conversation& ticket, const Inbox* inbox) {
  auto lang = supported_or_empty(ticket.customer_language());
  return lang.empty() ? agents_language(inbox) : lang;
}

std::string escalation_text(std::string_view lang, const std::string& policy,
                            const sla::Escalation& e, sla::Badge state) {
  auto l = index_of(lang);
  return fill(kHeadline[l],
              {{"policy", policy},
               {"metric", std::string(kMetricNames.at(static_cast<std::size_t>(e.metric))[l])},
               {"state", std::string(state == sla::Badge::kBreached ? kOverdue[l] : kAtRisk[l])},
               {"action", action_text(l, e)}});
}

std::string reminder_text(std::string_view lang) {
  return std::string(kReminder[index_of(lang)]);
}

std::string auto_close_text(std::string_view lang, TicketStatus to, Millis days) {
  auto l = index_of(lang);
  bool solved = to == TicketStatus::kSolved;
  if (days == 1) return std::string(solved ? kSolvedAfterOne[l] : kClosedAfterOne[l]);
  return fill(solved ? kSolvedAfter[l] : kClosedAfter[l], {{"days", std::to_string(days)}});
}

std::string follow_up_text(std::string_view lang, int hours) {
  return fill(kFollowUp[index_of(lang)], {{"hours", std::to_string(hours)}});
}

}  // namespace sb::sla_runner
