// The checker: the draft as words (folded, with their bytes and sentence), the
// rules as folded word sequences indexed by first word, then one pass per rule.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "coach/coach.h"
#include "core/core.h"
#include "kb/kb.h"

namespace sb::coach {
namespace {

using Words = std::vector<std::string>;  // folded

struct Token {
  std::string folded;
  std::size_t begin = 0, end = 0;  // bytes
  int sentence = 0;
  bool capitalized = false;
  bool has_digit = false;
  int letters = 0;
};

Words fold_words(std::string_view text) {
  Words out;
  kb::WordScanner s(text);
  while (s.next()) out.push_back(kb::fold(s.lower()));
  return out;
}

std::vector<Words> fold_all(const std::vector<std::string>& phrases) {
  std::vector<Words> out;
  for (const auto& p : phrases)
    if (auto w = fold_words(p); !w.empty()) out.push_back(std::move(w));
  return out;
}

bool is_break(std::string_view s, std::size_t i) {
  char c = s[i];
  if (c == '.' || c == '!' || c == '?' || c == '\n') return true;
  return s.substr(i, 3) == "\xE2\x80\xA6";  // …
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  kb::WordScanner s(text);
  int sentence = 0;
  std::size_t last_end = 0;
  while (s.next()) {
    for (std::size_t i = last_end; i < s.begin(); ++i)
      if (is_break(text, i)) {
        if (!out.empty() && out.back().sentence == sentence) ++sentence;
        break;
      }
    Token t{kb::fold(s.lower()), s.begin(), s.end(), sentence};
    std::size_t i = s.begin();
    char32_t first = next_code_point(text, i);
    t.capitalized = to_lower(first) != first;
    for (std::size_t j = s.begin(); j < s.end();) {
      char32_t c = next_code_point(text, j);
      t.has_digit = t.has_digit || (c >= '0' && c <= '9');
      ++t.letters;
    }
    out.push_back(std::move(t));
    last_end = s.end();
  }
  return out;
}

bool matches_at(const std::vector<Token>& tokens, std::size_t i, const Words& phrase) {
  if (i + phrase.size() > tokens.size()) return false;
  for (std::size_t k = 0; k < phrase.size(); ++k)
    if (tokens[i + k].folded != phrase[k]) return false;
  return true;
}

// The first position in [from, to) where one of `phrases` starts; npos if none.
std::size_t find_any(const std::vector<Token>& tokens, std::size_t from, std::size_t to,
                     const std::vector<Words>& phrases, std::size_t* length = nullptr) {
  for (std::size_t i = from; i < std::min(to, tokens.size()); ++i)
    for (const auto& p : phrases)
      if (matches_at(tokens, i, p)) {
        if (length) *length = p.size();
        return i;
      }
  return std::string::npos;
}

// Byte offset -> UTF-16 offset, for the whole draft at once.
class Utf16 {
 public:
  explicit Utf16(std::string_view s) : at_(s.size() + 1, 0) {
    int u = 0;
    for (std::size_t i = 0; i < s.size();) {
      auto start = i;
      char32_t c = next_code_point(s, i);
      for (auto j = start; j < i; ++j) at_[j] = u;
      u += c > 0xFFFF ? 2 : 1;
    }
    at_[s.size()] = u;
  }
  int operator()(std::size_t byte) const { return at_[std::min(byte, at_.size() - 1)]; }

 private:
  std::vector<int> at_;
};

std::u32string lower32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out += to_lower(next_code_point(s, i));
  return out;
}

std::size_t distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The suggestion as it reads in place: variables filled; mid-sentence, its
// capital dropped ("Sorry, let me find out for you").
std::string fill(std::string text, const Context& ctx) {
  auto replace = [&](std::string_view var, const std::string& value) {
    for (auto p = text.find(var); p != std::string::npos; p = text.find(var, p + value.size()))
      text.replace(p, var.size(), value);
  };
  auto first_name = ctx.customer_name.substr(0, ctx.customer_name.find(' '));
  replace("{{agent.name}}", ctx.agent_name);
  replace("{{contact.first_name}}", first_name);
  replace("{{contact.name}}", ctx.customer_name);
  return text;
}

std::string in_sentence(std::string text, bool sentence_start) {
  if (sentence_start || text.empty() || text.starts_with("I ") || text.starts_with("I'"))
    return text;
  std::size_t i = 0;
  char32_t c = next_code_point(text, i);
  std::string lowered;
  append_utf8(lowered, to_lower(c));
  return lowered + text.substr(i);
}

}  // namespace

struct CompiledPhrase {
  Words words;
  const PhraseRule* rule;
};

struct Coach::Impl {
  Rules rules;
  std::unordered_map<std::string, std::vector<CompiledPhrase>> by_first;  // longest first
  std::unordered_set<std::string> impolite, no_words;
  std::vector<Words> no_followed_by, informal, closers, questions;
  std::vector<std::vector<Words>> required;  // rules.required's `any`, folded

  struct Run {
    const Impl& impl;
    std::string_view text;
    const Context& ctx;
    std::vector<Token> tokens;
    Utf16 utf16;
    std::vector<bool> taken;  // tokens inside a phrase, word or name flag
    std::vector<Flag> flags;

    Run(const Impl& i, std::string_view t, const Context& c)
        : impl(i), text(t), ctx(c), tokens(tokenize(t)), utf16(t), taken(tokens.size()) {}

    Flag& add(std::string rule, std::string kind, std::size_t first, std::size_t last) {
      Flag f;
      f.rule = std::move(rule);
      f.kind = std::move(kind);
      if (first != std::string::npos) {
        f.start = utf16(tokens[first].begin);
        f.end = utf16(tokens[last].end);
        f.text =
            std::string(text.substr(tokens[first].begin, tokens[last].end - tokens[first].begin));
      }
      flags.push_back(std::move(f));
      return flags.back();
    }
    bool sentence_start(std::size_t i) const {
      return i == 0 || tokens[i - 1].sentence != tokens[i].sentence;
    }
    std::size_t sentence_last(std::size_t i) const {
      while (i + 1 < tokens.size() && tokens[i + 1].sentence == tokens[i].sentence) ++i;
      return i;
    }
    std::size_t sentence_first(std::size_t i) const {
      while (i > 0 && tokens[i - 1].sentence == tokens[i].sentence) --i;
      return i;
    }
    // Where the sentence of token `last` ends: its closing punctuation included.
    std::size_t sentence_end_byte(std::size_t last) const {
      auto end = tokens[last].end;
      while (end < text.size()) {
        if (text.substr(end, 3) == "\xE2\x80\xA6") {
          end += 3;
        } else if (std::string_view(".!?\"')").find(text[end]) != std::string_view::npos) {
          ++end;
        } else {
          break;
        }
      }
      return end;
    }
    Edit edit(std::string with, std::size_t from_byte, std::size_t to_byte) const {
      return {std::move(with), utf16(from_byte), utf16(to_byte)};
    }

    void phrases() {
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        auto it = impl.by_first.find(tokens[i].folded);
        if (it == impl.by_first.end()) continue;
        for (const auto& p : it->second) {
          if (!matches_at(tokens, i, p.words)) continue;
          auto last = i + p.words.size() - 1;
          auto& f = add("phrase." + p.rule->id, "phrase", i, last);
          auto to = tokens[last].end;
          for (const auto& s : p.rule->suggest) {
            auto say = in_sentence(fill(s, ctx), sentence_start(i));
            // "…our website?" -> "Here is the page that explains it:" takes the "?" too.
            bool own_end =
                !say.empty() && std::string_view(".:?!").find(say.back()) != std::string::npos;
            auto end = own_end && to < text.size() &&
                               std::string_view(".?!").find(text[to]) != std::string::npos
                           ? to + 1
                           : to;
            f.suggestions.push_back(edit(std::move(say), tokens[i].begin, end));
          }
          for (auto k = i; k <= last; ++k) taken[k] = true;
          i = last;
          break;
        }
      }
    }

    void impolite_words() {
      for (std::size_t i = 0; i < tokens.size(); ++i)
        if (!taken[i] && impl.impolite.contains(tokens[i].folded)) {
          add("impolite_word", "impolite_word", i, i).params["word"] = tokens[i].folded;
          taken[i] = true;
        }
    }

    // "we can", "możemy" — but not "we can't", "nie możemy".
    bool offers_alternative(std::size_t from, std::size_t to) const {
      static const std::unordered_set<std::string> negators{"not", "cannot", "non",
                                                            "не",  "nem",    "nie"};
      for (std::size_t length = 0; from < to; from += 1) {
        auto at = find_any(tokens, from, to, impl.no_followed_by, &length);
        if (at == std::string::npos) return false;
        bool negated = (at > 0 && negators.contains(tokens[at - 1].folded)) ||
                       (at + length < tokens.size() && tokens[at + length].folded == "t");
        if (!negated) return true;
        from = at;
      }
      return false;
    }

    // "No," or "No." opening a sentence, with no alternative in it or the next one.
    void bare_no() {
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!sentence_start(i) || !impl.no_words.contains(tokens[i].folded)) continue;
        auto after = tokens[i].end;
        while (after < text.size() && text[after] == ' ') ++after;
        if (after < text.size() &&
            std::string_view(",.!;:\n").find(text[after]) == std::string::npos)
          continue;  // "No problem", "nem tudom": not an answer "no"
        auto last = sentence_last(i);
        auto next_last = last + 1 < tokens.size() ? sentence_last(last + 1) : last;
        if (offers_alternative(i + 1, next_last + 1)) continue;
        auto& f = add("bare_no", "bare_no", i, i);
        if (!impl.rules.no_suggest.empty())
          f.suggestions.push_back(edit(", " + fill(impl.rules.no_suggest, ctx), tokens[last].end,
                                       sentence_end_byte(last)));
        taken[i] = true;
      }
    }

    void greeting() {
      if (!ctx.first_message || tokens.empty()) return;
      auto whole = edit(fill(impl.rules.greeting_suggest, ctx), 0, text.size());
      std::size_t length = 0;
      if (find_any(tokens, 0, 1, impl.informal, &length) == 0) {
        auto& f = add("greeting_informal", "greeting_informal", 0, length - 1);
        if (!impl.rules.greeting_suggest.empty()) f.suggestions.push_back(whole);
        return;
      }
      int words = static_cast<int>(tokens.size());
      const char* kind = words < impl.rules.greeting_min_words   ? "greeting_short"
                         : words > impl.rules.greeting_max_words ? "greeting_long"
                                                                 : nullptr;
      if (!kind) return;
      auto& f = add(kind, kind, std::string::npos, 0);
      f.params["words"] = words;
      f.params["max"] = words < impl.rules.greeting_min_words ? impl.rules.greeting_min_words
                                                              : impl.rules.greeting_max_words;
      if (!impl.rules.greeting_suggest.empty()) f.suggestions.push_back(whole);
    }

    std::size_t closer(std::size_t* length) const {
      return find_any(tokens, 0, tokens.size(), impl.closers, length);
    }

    // A goodbye with no "anything else?" asked: the question instead of the goodbye.
    void closing() {
      std::size_t length = 0;
      auto at = closer(&length);
      if (at == std::string::npos || ctx.asked_anything_else) return;
      if (find_any(tokens, 0, tokens.size(), impl.questions) != std::string::npos) return;
      auto& f = add("closing_without_question", "closing_without_question", at, at + length - 1);
      if (impl.rules.closing_suggest.empty()) return;
      auto first = sentence_first(at);
      f.suggestions.push_back(edit(fill(impl.rules.closing_suggest, ctx), tokens[first].begin,
                                   sentence_end_byte(sentence_last(at))));
    }

    void name_spelling() {
      if (!impl.rules.name_check || ctx.customer_name.empty()) return;
      struct NamePart {
        std::string written;
        std::u32string lower;
      };
      std::vector<NamePart> name;
      kb::WordScanner s(ctx.customer_name);
      while (s.next())
        if (s.end() - s.begin() >= 3)
          name.push_back(
              {ctx.customer_name.substr(s.begin(), s.end() - s.begin()), lower32(s.lower())});
      auto agent = fold_words(ctx.agent_name);
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        if (taken[i] || !t.capitalized || t.letters < 3 || t.has_digit) continue;
        if (std::find(agent.begin(), agent.end(), t.folded) != agent.end()) continue;
        auto word = lower32(text.substr(t.begin, t.end - t.begin));
        const NamePart* near = nullptr;
        for (const auto& part : name) {
          if (word == part.lower) {
            near = nullptr;  // spelled right (another part may look alike)
            break;
          }
          // An inflected form (Małgorzato, Zsófiának, Натальи) keeps all but the
          // name's last letter.
          auto stem = part.lower.substr(0, part.lower.size() - 1);
          if (part.lower.size() >= 4 && word.starts_with(stem)) {
            near = nullptr;
            break;
          }
          auto d = distance(word, part.lower);
          auto allowed = part.lower.size() >= 7 ? 2u : 1u;
          if (d <= allowed && without_diacritics(word[0]) == without_diacritics(part.lower[0]))
            near = &part;
        }
        if (!near) continue;
        auto& f = add("name_spelling", "name_spelling", i, i);
        f.params["name"] = near->written;
        f.suggestions.push_back(edit(near->written, t.begin, t.end));
        taken[i] = true;
      }
    }

    void readability() {
      for (std::size_t i = 0; i < tokens.size();) {
        auto last = sentence_last(i);
        int words = static_cast<int>(last - i + 1);
        if (words > impl.rules.max_sentence_words) {
          auto& f = add("long_sentence", "long_sentence", i, last);
          f.params["words"] = words;
          f.params["max"] = impl.rules.max_sentence_words;
        }
        i = last + 1;
      }
      for (std::size_t i = 0; i < tokens.size(); ++i)
        if (!taken[i] && !tokens[i].has_digit && tokens[i].letters > impl.rules.max_word_letters) {
          auto& f = add("long_word", "long_word", i, i);
          f.params["letters"] = tokens[i].letters;
          f.params["max"] = impl.rules.max_word_letters;
        }
    }

    void required_keywords() {
      bool closes = closer(nullptr) != std::string::npos;
      for (std::size_t k = 0; k < impl.rules.required.size(); ++k) {
        const auto& r = impl.rules.required[k];
        bool applies = r.when == When::any || (r.when == When::first && ctx.first_message) ||
                       (r.when == When::closing && closes);
        if (!applies || tokens.empty()) continue;
        if (find_any(tokens, 0, tokens.size(), impl.required[k]) != std::string::npos) continue;
        auto& f = add("required." + r.id, "missing_keyword", std::string::npos, 0);
        f.params["keyword"] = r.any.front();
      }
    }
  };
};

Coach::Coach(const Rules& rules) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.rules = rules;
  for (const auto& p : m.rules.phrases)
    for (auto& words : fold_all(p.match)) {
      auto& list = m.by_first[words.front()];
      list.push_back({std::move(words), &p});
    }
  for (auto& [_, list] : m.by_first)
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.words.size() > b.words.size(); });
  for (const auto& w : fold_all(m.rules.impolite_words))
    if (w.size() == 1) m.impolite.insert(w.front());
  for (const auto& w : fold_all(m.rules.no_words))
    if (w.size() == 1) m.no_words.insert(w.front());
  m.no_followed_by = fold_all(m.rules.no_followed_by);
  m.informal = fold_all(m.rules.greeting_informal);
  m.closers = fold_all(m.rules.closers);
  m.questions = fold_all(m.rules.closing_questions);
  for (const auto& r : m.rules.required) m.required.push_back(fold_all(r.any));
}

Coach::~Coach() = default;
Coach::Coach(Coach&&) noexcept = default;
Coach& Coach::operator=(Coach&&) noexcept = default;

std::vector<Flag> Coach::check(std::string_view draft, const Context& context) const {
  Impl::Run run(*impl_, draft, context);
  run.phrases();
  run.impolite_words();
  run.bare_no();
  run.name_spelling();
  run.greeting();
  run.closing();
  run.readability();
  run.required_keywords();
  std::stable_sort(run.flags.begin(), run.flags.end(),
                   [](const Flag& a, const Flag& b) { return a.start < b.start; });
  return std::move(run.flags);
}

bool Coach::asks_anything_else(std::string_view message) const {
  auto tokens = tokenize(message);
  return find_any(tokens, 0, tokens.size(), impl_->questions) != std::string::npos;
}

}  // namespace sb::coach
