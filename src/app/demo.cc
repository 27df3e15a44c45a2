#include "app/demo.h"

#include <boost/json.hpp>

#include "server/server.h"

namespace sb {

std::string_view demo_kb_json();  // examples/demo/kb.json, embedded at build time

namespace {

struct DemoLogin {
  const char* name;
  const char* email;
  const char* password;
  const char* role;
  const char* color;
};

constexpr DemoLogin kLogins[] = {
    {"Alice Admin", "admin@demo.switchboard.test", "demo-admin-pass", "admin", "#6366f1"},
    {"Anna Rossi", "anna@demo.switchboard.test", "demo-agent-pass", "agent", "#0ea5e9"},
    {"Marek Nowak", "marek@demo.switchboard.test", "demo-agent-pass", "agent", "#10b981"},
};

// The greeting and topics in the shop's other languages (formal address, as the bot).
boost::json::object demo_widget_translations() {
  auto topics = [](const char* orders, const char* returns, const char* billing,
                   const char* product) {
    return boost::json::object{{"Orders and delivery", orders},
                               {"Returns", returns},
                               {"Billing", billing},
                               {"Product question", product}};
  };
  return {
      {"it",
       {{"greeting", "Buongiorno! Domande su un ordine? Siamo qui per aiutarLa."},
        {"topics",
         topics("Ordini e spedizioni", "Resi", "Fatturazione", "Domande su un prodotto")}}},
      {"ru",
       {{"greeting", "Здравствуйте! Есть вопросы о заказе? Мы рады помочь."},
        {"topics", topics("Заказы и доставка", "Возврат", "Оплата", "Вопрос о товаре")}}},
      {"hu",
       {{"greeting", "Üdvözöljük! Kérdése van egy rendeléssel kapcsolatban? Szívesen segítünk."},
        {"topics",
         topics("Rendelés és szállítás", "Visszaküldés", "Számlázás", "Kérdés egy termékről")}}},
      {"pl",
       {{"greeting", "Dzień dobry! Mają Państwo pytania o zamówienie? Chętnie pomożemy."},
        {"topics", topics("Zamówienia i dostawa", "Zwroty", "Płatności", "Pytanie o produkt")}}}};
}

Inbox demo_inbox(Id ws) {
  Inbox i;
  i.workspace_id = ws;
  i.name = "Demo Shop";
  i.public_key = "demo";
  i.timezone = "Europe/Rome";
  for (int day = 1; day <= 5; ++day) i.hours.weekly.push_back({day, 8 * 60, 20 * 60});
  i.hours.weekly.push_back({6, 9 * 60, 13 * 60});
  i.hours.holidays = {"2026-12-25", "2026-12-26", "2027-01-01", "2027-01-06"};
  i.widget = {{"color", "#2563eb"},
              {"position", "right"},
              {"greeting", "Hi! Questions about an order? We're here to help."},
              {"language", "auto"},
              {"button_style", "bubble"},
              {"prechat_mode", "progressive"},  // the customer writes first; details at handoff
              {"translations", demo_widget_translations()}};
  i.prechat_fields = {"name", "email", "topic"};
  i.topics = {"Orders and delivery", "Returns", "Billing", "Product question"};
  return i;
}

// The shop FAQ in five languages, the bot switched on, the help center at /help/demo.
// Only into an empty knowledge base: a demo someone has edited stays theirs.
void seed_demo_help_center(Store& store, Id ws) {
  if (store.kb_revision(ws) != 0) return;
  store.import_kb(ws, parse_kb_content(demo_kb_json()), false);
  store.set_bot_settings(ws, {{"enabled", true}, {"name", "Sofia"}, {"min_confidence", nullptr}});
  if (auto current = store.get_workspace(ws); current && current->slug != "demo") {
    // Taken by another workspace meanwhile: this one keeps its own.
    if (!store.find_workspace_by_slug("demo"))
      static_cast<void>(store.set_workspace_slug(ws, "demo"));
  }
}

}  // namespace

std::string seed_demo(Store& store, const std::string& base_url) {
  if (store.find_agents_by_email(kLogins[0].email).empty()) {
    Id ws = store.create_workspace("Demo Shop");
    for (const auto& l : kLogins) {
      Agent a;
      a.workspace_id = ws;
      a.name = l.name;
      a.email = l.email;
      a.role = l.role;
      a.super_admin = a.role == "admin";  // the demo's admin may try creating workspaces
      a.avatar_color = l.color;
      a.password_hash = hash_agent_password(l.password);
      if (auto created = store.create_agent(a); !created)
        throw std::runtime_error(created.refused().reason);
    }
    store.create_inbox(demo_inbox(ws));
  }
  seed_demo_help_center(store, store.find_agents_by_email(kLogins[0].email).front().workspace_id);
  std::string out = "Demo workspace ready.\n  Console: " + base_url +
                    "/console/\n  Demo shop with the widget: " + base_url + "/demo/\n  Logins:\n";
  for (const auto& l : kLogins)
    out += std::string("    ") + l.role + "  " + l.email + "  password: " + l.password + "\n";
  out += "  Help center: " + base_url + "/help/demo  (FAQ bot \"Sofia\" answers in the widget)\n";
  out +=
      "  The demo inbox keeps business hours Mon-Fri 08:00-20:00, Sat 09:00-13:00 (Europe/Rome);\n"
      "  outside them, or with no agent online, the widget offers the offline form.\n";
  return out;
}

}  // namespace sb
