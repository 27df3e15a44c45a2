// The knowledge base made queryable, one snapshot per workspace and revision.
#include "server/bot.h"

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

std::shared_ptr<const KnowledgeSnapshot> Knowledge::get(Id ws) {
  auto revision = store_.kb_revision(ws);
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(ws);
    if (it != cache_.end() && it->second->revision == revision) return it->second;
  }
  // Built outside the lock; two threads may both build once, the last one wins.
  auto fresh = build(store_.kb_content(ws), revision);
  std::lock_guard lock(mu_);
  auto& slot = cache_[ws];
  if (!slot || slot->revision < fresh->revision) slot = fresh;
  return slot;
}

}  // namespace sb
