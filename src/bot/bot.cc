// Triage of every customer message (language, emotional peak) and the FAQ bot:
// it answers from intents, then from articles, and otherwise hands the chat to
// routing, saying so in the customer's language.
#include "bot/bot.h"

#include "bot/bot_phrases.h"
#include "emotion/emotion.h"
#include "http/http.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr int kUpsetPriorityBoost = 20;
// Share of the question's content words an article must match.
constexpr double kArticleCoverage = 0.6;

// With defaults filled in: enabled, name, min_confidence.
json::object bot_settings(const BotDeps& d, Id ws) {
  auto s = d.kb.bot_settings(ws);
  if (!s.contains("enabled")) s["enabled"] = false;
  if (!s.contains("name")) s["name"] = "Assistant";
  if (!s.contains("min_confidence")) s["min_confidence"] = nullptr;  // the model's own
  return s;
}

std::string bot_name(const json::object& settings) {
  return json_string(settings, "name").value_or("Assistant");
}

// A message from the bot, signed with its name.
void say(const BotDeps& d, const Conversation& c, const std::string& name, const std::string& text,
         json::object notice = {}) {
  NewEvent e{c.workspace_id, c.id, "message", {AuthorType::kBot, 0, name}, text, "", {}};
  e.notice = std::move(notice);
  d.conversations.append_event(e);
}

// "Monday 09:00" in the inbox's time zone, or "" while open.
std::string next_opening(const BotDeps& d, const Conversation& c, std::string_view language) {
  auto inbox = d.directory.get_inbox(c.workspace_id, c.inbox_id);
  if (!inbox) return "";
  auto tz = d.time_zones.get(inbox->timezone).value_or(TimeZone::utc());
  auto hours = availability_at(inbox->hours, tz, d.env.now_ms());
  if (hours.open || !hours.next_open_at) return "";
  Millis local = *hours.next_open_at + tz.offset_seconds_at(*hours.next_open_at) * 1000LL;
  std::int64_t days = local / 86'400'000;  // 1970-01-01 was a Thursday
  int minute = static_cast<int>((local % 86'400'000) / 60'000);
  return weekday_name(static_cast<int>((days + 4) % 7), language) + " " + format_clock(minute);
}

// The question's id: the answer's "did this help?" names it.
Id record(const BotDeps& d, const Conversation& c, const Event& m, std::string_view language,
          std::string outcome, std::string ref, double confidence) {
  return d.kb.record_bot_question({0, c.workspace_id, c.id, std::string(language), m.body,
                                   std::move(outcome), std::move(ref), confidence, 0});
}

// An intent's answer that ends in a link to a help-center article ("... Details:
// /help/demo/articles/how-to-return"): the widget shows the text without the link
// and the article as a card; the stored body keeps the link for e-mail and transcripts.
struct LinkedArticle {
  std::string text;  // the answer without the link and its lead-in word ("Details:")
  const KbArticle* article = nullptr;
};

LinkedArticle linked_article(const std::string& answer, const KnowledgeSnapshot& k,
                             std::string_view language) {
  auto at = answer.rfind("/help/");
  auto articles = at == std::string::npos ? at : answer.find("/articles/", at);
  if (articles == std::string::npos) return {};
  auto slug_from = articles + std::string_view("/articles/").size();
  auto slug_end = answer.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-", slug_from);
  if (slug_end == std::string::npos) slug_end = answer.size();
  if (answer.find_first_not_of(" .", slug_end) != std::string::npos) return {};  // not at the end
  const auto* a = k.article(answer.substr(slug_from, slug_end - slug_from), language);
  if (!a) return {};
  auto text = trim(answer.substr(0, at));
  // A one-word lead-in after the last sentence ("Details:", "See", "Vedi") goes with
  // the link; a sentence that ran into it ("... within 14 days:") ends with a full stop.
  auto sentence = text.find_last_of(".?!");
  auto tail = sentence == std::string::npos ? text : text.substr(sentence + 1);
  if (sentence != std::string::npos && trim(tail).find(' ') == std::string::npos)
    text = text.substr(0, sentence + 1);
  else if (!text.empty() && text.back() == ':')
    text.back() = '.';
  return {text, a};
}

bool answer_from_intents(const BotDeps& d, const Conversation& c, const Event& m,
                         const KnowledgeSnapshot& k, const std::string& language,
                         const json::object& settings) {
  const auto& min = settings.at("min_confidence");
  double threshold = min.is_number() ? min.to_number<double>() : 0;
  auto model = k.models.find(language);
  if (model == k.models.end()) return false;
  auto p =
      threshold > 0 ? model->second.classify(m.body, threshold) : model->second.classify(m.body);
  if (p.out_of_scope) return false;
  const auto* intent = k.intent(p.intent, language);
  if (!intent || !k.shares_words(m.body, *intent)) return false;
  auto question = record(d, c, m, language, "answered", "intent:" + intent->name, p.confidence);
  json::object args{{"intent", intent->name}, {"question_id", question}};
  auto linked = linked_article(intent->answer, k, language);
  auto ws = linked.article ? d.directory.get_workspace(c.workspace_id) : std::nullopt;
  if (ws) {
    args["text"] = linked.text;
    args["title"] = linked.article->title;
    args["url"] = help_article_url(ws->slug, *linked.article);
    args["snippet"] = kb::plain_text(linked.article->body, 280);
  }
  say(d, c, bot_name(settings), intent->answer, {{"code", "bot_answer"}, {"args", args}});
  return true;
}

bool answer_from_articles(const BotDeps& d, const Conversation& c, const Event& m,
                          const KnowledgeSnapshot& k, const std::string& language,
                          const json::object& settings) {
  auto hits = k.articles->search(m.body, language, 1);
  if (hits.empty() || hits[0].coverage < kArticleCoverage) return false;
  const auto* a = k.article(hits[0].id);
  auto ws = d.directory.get_workspace(c.workspace_id);
  if (!a || !ws) return false;
  auto url = help_article_url(ws->slug, *a);
  auto snippet = kb::plain_text(a->body, 280);
  // The text is for transcripts and e-mail; the widget shows a card from the args.
  auto text =
      bot_phrase(BotPhrase::kArticle, language, "") + " " + a->title + " — " + snippet + " " + url;
  auto question = record(d, c, m, language, "answered", "article:" + a->slug, hits[0].coverage);
  say(d, c, bot_name(settings), text,
      {{"code", "bot_article"},
       {"args",
        {{"title", a->title},
         {"url", url},
         {"slug", a->slug},
         {"snippet", snippet},
         {"question_id", question}}}});
  return true;
}

// Triage runs after the commit, so the conversation in the change may be older
// than the stored one (a handoff, a flag, an assignment since): read it again
// before deciding anything that writes.
Conversation fresh(const BotDeps& d, const Conversation& c) {
  return d.conversations.get_conversation(c.workspace_id, c.id).value_or(c);
}

// Language, the first time we are sure of it: routing's language rule and the
// bot use it. Retried on each message until a confident guess.
Conversation detect_language(const BotDeps& d, const Conversation& c, const Event& m) {
  // Only the opening messages: a conversation that gave no confident guess by
  // then keeps the browser's language, and long chats cost nothing per message.
  constexpr std::int64_t kOpeningEvents = 8;
  if (!c.detected_language.empty() || m.seq > kOpeningEvents) return c;
  auto [lang, confidence] = d.languages.detect(m.body);
  if (lang.empty() || confidence < 0.5) return c;
  if (auto now = fresh(d, c); !now.detected_language.empty()) return now;
  return d.conversations.set_detected_language(c.workspace_id, c.id, lang);
}

std::vector<std::string> recent_customer_messages(const BotDeps& d, const Conversation& c) {
  auto events = d.conversations.events_after(c.workspace_id, c.id,
                                             std::max<std::int64_t>(0, c.last_seq - 12), false, 12);
  std::vector<std::string> out;
  for (const auto& e : events)
    if (e.kind == "message" && e.author.type == AuthorType::kVisitor) out.push_back(e.body);
  if (out.size() > 5) out.erase(out.begin(), out.end() - 5);
  return out;
}

// Returns true when this message is an emotional peak (flagged, priority raised).
bool check_emotion(const BotDeps& d, const Conversation& c, const Event& m) {
  if (c.emotional_peak()) return false;
  // A message with no cue of its own cannot peak (the history adds at most
  // "asked again", 0.4, and a rising trend on top of a cue), so most messages
  // cost no read of the history.
  if (emotion::assess(m.body, c.customer_language()).score == 0) return false;
  auto texts = recent_customer_messages(d, c);
  if (texts.empty()) return false;
  std::vector<std::string_view> views(texts.begin(), texts.end());
  auto signal = emotion::assess(views, c.customer_language());
  if (!signal.peak) return false;
  if (fresh(d, c).emotional_peak()) return false;  // flagged by an earlier message meanwhile
  d.conversations.flag_emotional_peak(
      c.workspace_id, c.id, {signal.score, signal.reasons, d.env.now_ms()}, kUpsetPriorityBoost);
  std::string list;
  json::array reasons;
  for (const auto& r : signal.reasons) {
    list += (list.empty() ? "" : ", ") + r;
    reasons.emplace_back(r);
  }
  NewEvent note{c.workspace_id,
                c.id,
                "note",
                {AuthorType::kSystem, 0, ""},
                "Emotional peak: the customer sounds upset (" + list + "). Priority raised.",
                "",
                {}};
  note.notice = {{"code", "emotional_peak"}, {"args", {{"reasons", reasons}}}};
  d.conversations.append_event(note);
  return true;
}

// The handoff itself, with the settings already read.
Conversation hand_off_with(const BotDeps& d, const Conversation& c, std::string_view reason,
                           const json::object& settings, const std::string& language) {
  auto when = next_opening(d, c, language);
  auto phrase = !when.empty()                ? BotPhrase::kClosed
                : reason == "emotional_peak" ? BotPhrase::kUpset
                : reason == "low_confidence" ? BotPhrase::kUnsure
                                             : BotPhrase::kHandoff;
  say(d, c, bot_name(settings), bot_phrase(phrase, language, bot_name(settings), when),
      {{"code", "bot_handoff"}, {"args", {{"reason", reason}}}});
  // requeued: waiting starts now, not when the bot started talking
  return d.conversations.set_bot_state(
      c.workspace_id, c.id, {BotPhase::kHandedOff, std::string(reason), d.env.now_ms()}, true);
}

bool is_product_language(std::string_view l) {
  return l == "en" || l == "it" || l == "ru" || l == "hu" || l == "pl";
}

// The language of this message when it says clearly (a chat may switch: an
// English chat asking "come posso fare un reso?" is answered in Italian), else
// the conversation's.
std::string message_language(const BotDeps& d, const Conversation& c, const Event& m) {
  constexpr double kSure = 0.6;
  constexpr std::size_t kMinWords = 3;
  if (kb::words(m.body).size() >= kMinWords) {
    auto [lang, confidence] = d.languages.detect(m.body);
    if (confidence >= kSure && is_product_language(lang)) return lang;
  }
  return c.customer_language();
}

// Greetings and thanks answered in kind, in their own language.
bool answer_small_talk(const BotDeps& d, const Conversation& c, const Event& m,
                       const json::object& settings) {
  auto talk = small_talk(m.body, c.customer_language());
  if (talk.kind == SmallTalk::Kind::kNone) return false;
  auto phrase =
      talk.kind == SmallTalk::Kind::kGreeting ? BotPhrase::kGreetBack : BotPhrase::kWelcome;
  say(d, c, bot_name(settings), bot_phrase(phrase, talk.language, bot_name(settings)),
      {{"code", "bot_small_talk"}, {"args", {{"language", talk.language}}}});
  return true;
}

void bot_reply(const BotDeps& d, const Conversation& c, const Event& m, bool upset) {
  auto settings = bot_settings(d, c.workspace_id);
  if (upset) {
    hand_off_with(d, c, "emotional_peak", settings, c.customer_language());
    return;
  }
  if (answer_small_talk(d, c, m, settings)) return;
  auto language = message_language(d, c, m);
  if (kb::asks_for_human(m.body)) {
    record(d, c, m, language, "handoff", "", 0);
    hand_off_with(d, c, "asked_for_human", settings, language);
    return;
  }
  auto k = d.knowledge.get(c.workspace_id);
  if (answer_from_intents(d, c, m, *k, language, settings)) return;
  if (answer_from_articles(d, c, m, *k, language, settings)) return;
  record(d, c, m, language, "unanswered", "", 0);
  hand_off_with(d, c, "low_confidence", settings, language);
}

}  // namespace

std::string help_article_url(std::string_view workspace_slug, const KbArticle& a) {
  return "/help/" + std::string(workspace_slug) + "/articles/" + a.slug + "?lang=" + a.language;
}

Suggestions Bot::suggest_articles(Id ws, std::string_view source, const std::string& question,
                                  std::string_view language) {
  const auto& d = d_;
  constexpr double kSuggestCoverage = 0.34;
  Suggestions out{d.knowledge.get(ws), {}, std::nullopt};
  out.articles = out.kb->find_articles(question, language, 3, kSuggestCoverage);
  std::vector<Id> ids;
  for (const auto* a : out.articles) ids.push_back(a->id);
  if (!ids.empty()) out.deflection = d.kb.record_deflection(ws, std::string(source), question, ids);
  return out;
}

json::object Bot::settings(Id ws) {
  return bot_settings(d_, ws);
}

void Bot::prepare_new_conversation(NewConversation& c) {
  if (c.kind != ConversationKind::kChat) return;
  if (bot_settings(d_, c.workspace_id).at("enabled") == true) c.bot.phase = BotPhase::kActive;
}

void Bot::after_new_conversation(const Conversation& c) {
  const auto& d = d_;
  if (c.last_message) {  // the customer's first message, stored with the conversation
    after_customer_message(c, *c.last_message);
  } else if (c.bot_active() && fresh(d, c).bot_active()) {  // not handed off already
    auto name = bot_name(bot_settings(d, c.workspace_id));
    say(d, c, name, bot_phrase(BotPhrase::kGreeting, c.customer_language(), name),
        {{"code", "bot_greeting"}});
  }
}

void Bot::after_customer_message(const Conversation& c0, const Event& m) {
  const auto& d = d_;
  if (m.body.empty()) return;
  try {
    auto c = detect_language(d, c0, m);
    bool upset = check_emotion(d, c, m);
    if (!c.bot_active()) return;
    c = fresh(d, c);  // an earlier message may have handed off meanwhile
    if (!c.bot_active() || c.assignee_id || c.status != ConversationStatus::kOpen) return;
    bot_reply(d, c, m, upset);
  } catch (const std::exception& e) {
    // The customer's message is stored; triage failing must not fail their send.
    log_json({{"level", "error"},
              {"msg", "triage failed"},
              {"conversation", c0.id},
              {"error", e.what()}});
  }
}

Conversation Bot::hand_off(const Conversation& c, std::string_view reason) {
  if (!c.bot_active()) return c;
  return hand_off_with(d_, c, reason, bot_settings(d_, c.workspace_id), c.customer_language());
}

}  // namespace sb
