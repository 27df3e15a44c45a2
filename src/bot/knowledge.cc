// The knowledge base made queryable, one snapshot per workspace and revision.
#include <algorithm>

#include "bot/bot.h"

namespace sb {

const KbArticle* KnowledgeSnapshot::article(std::int64_t id) const {
  for (const auto& a : content.articles)
    if (a.id == id) return &a;
  return nullptr;
}

const KbArticle* KnowledgeSnapshot::article(std::string_view slug,
                                            std::string_view language) const {
  for (const auto& a : content.articles)
    if (a.slug == slug && a.language == language) return &a;
  return nullptr;
}

const FaqIntent* KnowledgeSnapshot::intent(std::string_view name, std::string_view language) const {
  for (const auto& i : content.intents)
    if (i.name == name && i.language == language) return &i;
  return nullptr;
}

namespace {

// Share of the question's content words an intent's question and phrasings must match.
constexpr double kIntentCoverage = 0.3;

// The article an intent's answer links (".../articles/<slug>"), if any.
std::string linked_article(std::string_view answer) {
  constexpr std::string_view kMark = "/articles/";
  auto at = answer.find(kMark);
  if (at == std::string_view::npos) return "";
  auto slug = answer.substr(at + kMark.size());
  auto end = slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_");
  return std::string(slug.substr(0, end));
}

}  // namespace

bool KnowledgeSnapshot::shares_words(std::string_view text, const FaqIntent& intent) const {
  for (const auto& h : intent_words->search(text, intent.language, 50))
    if (&content.intents[static_cast<std::size_t>(h.id)] == &intent)
      return h.coverage >= kIntentCoverage;
  return false;
}

std::vector<const KbArticle*> KnowledgeSnapshot::find_articles(std::string_view question,
                                                               std::string_view language,
                                                               std::size_t limit,
                                                               double min_coverage) const {
  std::vector<const KbArticle*> out;
  auto add = [&](const KbArticle* a) {
    if (a && a->published && out.size() < limit &&
        std::find(out.begin(), out.end(), a) == out.end())
      out.push_back(a);
  };
  auto says_something = [&] {  // "how do I" alone would match every "how do I ..." phrasing
    for (const auto& w : kb::words(question))
      if (!kb::is_stopword(kb::fold(w), language)) return true;
    return false;
  };
  if (auto model = models.find(language); model != models.end() && says_something()) {
    auto p = model->second.classify(question);
    const auto* i = p.out_of_scope ? nullptr : intent(p.intent, language);
    if (i && shares_words(question, *i)) add(article(linked_article(i->answer), language));
  }
  for (const auto& h : kb::relevant(articles->search(question, language, 20)))
    if (h.coverage >= min_coverage) add(article(h.id));
  return out;
}

namespace {

std::shared_ptr<const KnowledgeSnapshot> build(KbContent content, std::int64_t revision) {
  auto s = std::make_shared<KnowledgeSnapshot>();
  s->revision = revision;
  s->content = std::move(content);
  std::vector<kb::Document> docs;
  for (const auto& a : s->content.articles) {
    if (!a.published) continue;
    std::string keywords;
    for (const auto& k : a.keywords) keywords += k + " ";
    docs.push_back({a.id, a.language, a.title, keywords, kb::plain_text(a.body, 20000)});
  }
  s->articles = std::make_unique<kb::SearchIndex>(docs);
  std::map<std::string, std::vector<bot::Example>> examples;
  std::vector<kb::Document> intent_docs;
  for (std::size_t n = 0; n < s->content.intents.size(); ++n) {
    const auto& i = s->content.intents[n];
    if (!i.enabled) continue;
    std::string phrasings;
    for (const auto& p : i.phrasings) phrasings += p + "\n";
    intent_docs.push_back({static_cast<std::int64_t>(n), i.language, i.question, "", phrasings});
    auto& list = examples[i.language];
    list.push_back({i.question, i.name});
    for (const auto& p : i.phrasings) list.push_back({p, i.name});
  }
  s->intent_words = std::make_unique<kb::SearchIndex>(intent_docs);
  for (const auto& [language, list] : examples)
    s->models.emplace(language, bot::IntentModel::train(list));
  return s;
}

}  // namespace

Knowledge::~Knowledge() {
  std::map<Id, std::future<void>> pending;
  {
    std::lock_guard lock(mu_);
    pending.swap(rebuilding_);
  }
  for (auto& [ws, f] : pending) f.wait();
}

void Knowledge::install(Id ws, std::shared_ptr<const KnowledgeSnapshot> fresh) {
  std::lock_guard lock(mu_);
  auto& slot = cache_[ws];
  if (!slot || slot->revision < fresh->revision) slot = std::move(fresh);
}

std::shared_ptr<const KnowledgeSnapshot> Knowledge::get(Id ws) {
  constexpr std::size_t kInlineItems = 2000;  // intents + articles rebuilt inline
  auto revision = store_.kb_revision(ws);
  std::shared_ptr<const KnowledgeSnapshot> current;
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(ws); it != cache_.end()) current = it->second;
    if (current && current->revision == revision) return current;
    bool large = current &&
                 current->content.intents.size() + current->content.articles.size() > kInlineItems;
    if (large) {
      auto& job = rebuilding_[ws];
      if (!job.valid() || job.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        job = std::async(std::launch::async, [this, ws] {
          auto rev = store_.kb_revision(ws);
          install(ws, build(store_.kb_content(ws), rev));
        });
      return current;
    }
  }
  // Two threads may both build once; the newer revision wins.
  install(ws, build(store_.kb_content(ws), revision));
  std::lock_guard lock(mu_);
  return cache_[ws];
}

}  // namespace sb
