// The public header of bot/: the knowledge base made searchable (articles) and
// answerable (FAQ intents, one model per language), and the FAQ bot and triage
// that run on every customer message: language detection, the emotional-peak
// check, the bot's answer or its handoff to a person through routing.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <mutex>

#include "env/env.h"
#include "intent/intent.h"
#include "kb/kb.h"
#include "store/store.h"
#include "triage.h"

namespace sb {

// One workspace's knowledge base at one revision, ready to query.
struct KnowledgeSnapshot {
  std::int64_t revision = -1;
  KbContent content;
  std::unique_ptr<kb::SearchIndex> articles;  // published articles
  // Enabled intents (id = index in content.intents), their question and phrasings:
  // an answer needs words in common with the intent, not only the model's vote.
  std::unique_ptr<kb::SearchIndex> intent_words;
  std::map<std::string, bot::IntentModel, std::less<>> models;  // by language
  const KbArticle* article(std::int64_t id) const;
  const KbArticle* article(std::string_view slug, std::string_view language) const;
  const FaqIntent* intent(std::string_view name, std::string_view language) const;
  // Whether the text shares enough words (by stem, typo or prefix) with the
  // intent's question and phrasings: the bot answers only then.
  bool shares_words(std::string_view text, const FaqIntent& intent) const;
  // Published articles for a reader's question, best first, at most `limit`.
  // The article that the bot's answer to it links comes first (the intent the
  // model picks, if it shares words with it), so the help center and the bot
  // agree: "parcel never arrived" is the tracking intent's "my package hasn't
  // arrived" even where no article says "never". Then the search's relevant
  // hits that match at least `min_coverage` of the question's words.
  std::vector<const KbArticle*> find_articles(std::string_view question, std::string_view language,
                                              std::size_t limit, double min_coverage = 0) const;
};

class Knowledge {
 public:
  explicit Knowledge(KnowledgeStore& store) : store_(store) {}
  ~Knowledge();  // waits for rebuilds in progress
  // Rebuilt when the workspace's kb_revision moved (any process may have written).
  // A small knowledge base is rebuilt at once (milliseconds), so an edit is live
  // for the next message; a large one (training takes seconds) in the
  // background, answering from the previous revision meanwhile.
  std::shared_ptr<const KnowledgeSnapshot> get(Id workspace);

 private:
  void install(Id workspace, std::shared_ptr<const KnowledgeSnapshot> fresh);
  KnowledgeStore& store_;  // only the knowledge base
  std::mutex mu_;
  std::map<Id, std::shared_ptr<const KnowledgeSnapshot>> cache_;
  std::map<Id, std::future<void>> rebuilding_;
};

// The article's page in the help center: /help/<slug>/articles/<article>?lang=<language>.
std::string help_article_url(std::string_view workspace_slug, const KbArticle& a);

// The language detector loads its dictionaries (~0.6 s) on a thread of its own
// at start, so the server listens at once; until then nothing is detected.
class LanguageDetection {
 public:
  LanguageDetection();
  ~LanguageDetection();
  // {language, confidence}; empty language while loading, if unavailable, or unsure.
  std::pair<std::string, double> detect(std::string_view text) const;
  std::string_view state() const;  // loading | ready | unavailable

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Ticket deflection (help center contact form, widget offline form): up to
// three published articles that match a third of what the customer is about
// to send; when any are shown, a deflection is counted (`source`) for their answer.
struct Suggestions {
  std::shared_ptr<const KnowledgeSnapshot> kb;  // keeps `articles` alive
  std::vector<const KbArticle*> articles;
  std::optional<Id> deflection;
};

// What the FAQ bot works with, and nothing else.
struct BotDeps {
  ConversationStore& conversations;
  DirectoryStore& directory;  // inboxes (hours, time zone), workspaces (slug)
  KnowledgeStore& kb;         // settings, questions, deflections
  Knowledge& knowledge;
  const LanguageDetection& languages;
  TimeZones& time_zones;
  Env& env;  // the clock
};

class Bot {
 public:
  explicit Bot(BotDeps deps) : d_(deps) {}
  Suggestions suggest_articles(Id workspace, std::string_view source, const std::string& question,
                               std::string_view language);
  // Bot settings with defaults filled in: enabled, name, min_confidence.
  boost::json::object settings(Id workspace);
  // A new chat starts with the bot when the workspace has it on.
  void prepare_new_conversation(NewConversation& c);
  // After a new conversation is stored: the bot's greeting or its first answer.
  void after_new_conversation(const Conversation& c);
  // After a customer message is stored (not a duplicate).
  void after_customer_message(const Conversation& c, const Event& message);
  // The customer pressed "talk to a person" (or a rule fired): the bot says so,
  // and the chat joins the routing queue. Idempotent once handed off.
  Conversation hand_off(const Conversation& c, std::string_view reason);

 private:
  BotDeps d_;
};

}  // namespace sb
