// The etiquette coach (Q1): reads an agent's draft in the conversation's
// language and points at what customers take badly — negative phrases, a bare
// "no", a greeting too short or too long, a goodbye before asking whether
// anything else is needed, the customer's name misspelled, hard sentences,
// missing mandatory keywords — with edits that fix it. Rules per language come
// from seeds 004/000/002 and can be replaced by an admin's (JSON, docs/COACH.md).
// No I/O; one check of a 2,000-character draft takes microseconds.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sb::coach {

// Replace [start, end) of the draft with `text` (start == end: insert). Offsets
// are UTF-16 code units, the console's string indices.
struct Edit {
  std::string text;
  int start = 0, end = 0;
};

struct Flag {
  std::string rule;          // "phrase.dont_know", "bare_no", "name_spelling"...
  std::string kind;          // the rule family, for the console's explanation
  int start = -1, end = -1;  // UTF-16; -1: about the whole draft
  std::string text;          // the flagged words as written
  std::vector<Edit> suggestions;
  boost::json::object params;  // words, max, name, keyword
};

struct PhraseRule {
  std::string id;
  std::vector<std::string> match;    // phrases, any of which flags
  std::vector<std::string> suggest;  // what to say instead
};

enum class When { first, closing, any };

struct RequiredKeyword {
  std::string id;
  std::vector<std::string> any;  // one of these must be present
  When when = When::any;
};

struct Rules {
  std::vector<PhraseRule> phrases;
  std::vector<std::string> impolite_words;
  // "No," / "No." opening a sentence with nothing after it about what can be done.
  std::vector<std::string> no_words, no_followed_by;
  std::string no_suggest;
  int greeting_min_words = 4, greeting_max_words = 35;
  std::vector<std::string> greeting_informal;
  std::string greeting_suggest;
  std::vector<std::string> closers, closing_questions;
  std::string closing_suggest;
  int max_sentence_words = 25, max_word_letters = 16;
  bool name_check = true;
  std::vector<RequiredKeyword> required;
};

// en, it, ru, hu, pl.
const std::vector<std::string>& languages();
bool is_language(std::string_view code);
// The shipped rules of `language` (English for one not in languages()).
const Rules& default_rules(std::string_view language);

boost::json::object to_json(const Rules& rules);
// Throws std::invalid_argument naming the field ("phrases[2].match: ...").
Rules rules_from_json(const boost::json::value& v);

// What the conversation tells about the draft.
struct Context {
  bool first_message = false;        // the agent side has not written yet: a greeting
  bool asked_anything_else = false;  // an earlier agent message asked
  std::string customer_name;         // as the customer wrote it; "" unknown
  std::string agent_name;            // fills {{agent.name}} in suggestions
};

// One language's rules, prepared for checking (phrases indexed by first word).
class Coach {
 public:
  explicit Coach(const Rules& rules);
  ~Coach();
  Coach(Coach&&) noexcept;
  Coach& operator=(Coach&&) noexcept;

  // Flags in the order they appear (those about the whole draft first). Phrase,
  // word and name flags never overlap; a long sentence may hold some of them.
  std::vector<Flag> check(std::string_view draft, const Context& context) const;
  // Whether `message` asks if anything else is needed (an earlier agent message
  // doing so lets the next goodbye pass).
  bool asks_anything_else(std::string_view message) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb::coach
