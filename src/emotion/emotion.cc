#include "emotion/emotion.h"

#include <algorithm>
#include <array>

#include "emotion/lexicon.h"
#include "emotion/matcher.h"
#include "emotion/text.h"

namespace sb::emotion {
namespace {

// The phrases one assessment looks for, lexicons merged per cue.
struct CueSet {
  std::vector<Phrase> swearing, anger, threats, repeated_contact, gratitude;
};

void append(std::vector<Phrase>& to, Patterns patterns) {
  auto phrases = compile(patterns);
  to.insert(to.end(), phrases.begin(), phrases.end());
}

CueSet merge(std::span<const Lexicon* const> lexicons) {
  CueSet set;
  append(set.swearing, international_swearing());
  for (const Lexicon* l : lexicons) {
    append(set.swearing, l->swearing);
    append(set.anger, l->anger);
    append(set.threats, l->threats);
    append(set.repeated_contact, l->repeated_contact);
    append(set.gratitude, l->gratitude);
  }
  for (auto* phrases : {&set.swearing, &set.anger, &set.threats, &set.repeated_contact}) {
    std::stable_sort(phrases->begin(), phrases->end(),
                     [](const Phrase& a, const Phrase& b) { return a.size() > b.size(); });
  }
  return set;
}

const std::array<const Lexicon*, 5>& lexicons() {
  static const std::array<const Lexicon*, 5> all = {&english_lexicon(), &italian_lexicon(),
                                                    &russian_lexicon(), &hungarian_lexicon(),
                                                    &polish_lexicon()};
  return all;
}

// Built once (thread-safe static initialisation), read-only afterwards.
const CueSet& cues_for(std::string_view language) {
  static const auto sets = [] {
    std::vector<CueSet> v;
    for (const Lexicon* l : lexicons()) v.push_back(merge(std::span(&l, 1)));
    v.push_back(merge(lexicons()));  // unknown language
    return v;
  }();
  for (std::size_t i = 0; i < lexicons().size(); ++i) {
    if (lexicons()[i]->language == language) return sets[i];
  }
  return sets.back();
}

struct Evidence {
  int swearing = 0, anger = 0, threats = 0, repeated_contact = 0, gratitude = 0;
  int exclamations = 0;  // 0 none, 1 "!!" or "???", 2 "!!!" or "?!"
  int all_caps = 0;      // 0 none, 1 two or more shouted words, 2 most words shouted
};

int exclamation_level(std::string_view text) {
  int level = 0, total_bangs = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '!' && text[i] != '?') {
      ++i;
      continue;
    }
    int bangs = 0, questions = 0;
    for (; i < text.size() && (text[i] == '!' || text[i] == '?'); ++i) {
      ++(text[i] == '!' ? bangs : questions);
    }
    total_bangs += bangs;
    if ((bangs > 0 && questions > 0) || bangs >= 3) level = 2;
    if (bangs == 2 || questions >= 3) level = std::max(level, 1);
  }
  // "Now! Where is it! I need it! Today!" shouts without any run.
  return total_bangs >= 4 ? std::max(level, 1) : level;
}

bool has_vowel(const std::u32string& key) {
  return key.find_first_of(U"aeiouyаеиоуыэюя") != std::u32string::npos;
}

bool is_acronym(const Word& w) {
  static const std::vector<Phrase> kAcronyms = compile(acronyms());
  // Vowel-less capitals are abbreviations: "DHL", "GLS", "DPD", "PKP".
  return !has_vowel(w.key) || std::any_of(kAcronyms.begin(), kAcronyms.end(),
                                          [&](const Phrase& a) { return a.front().text == w.key; });
}

int caps_level(const std::vector<Word>& words) {
  int considered = 0, shouted = 0, long_shouted = 0;
  for (const Word& w : words) {
    if (w.letters < 3 || w.has_digit || w.masked) continue;
    ++considered;
    if (!w.uppercase || is_acronym(w)) continue;
    ++shouted;
    if (w.letters >= 5) ++long_shouted;
  }
  if (shouted < 2) return 0;
  double share = static_cast<double>(shouted) / considered;
  if (shouted >= 3 && share >= 0.6) return 2;
  return shouted >= 3 || long_shouted > 0 || share >= 0.5 ? 1 : 0;
}

Evidence gather(std::string_view text, const CueSet& cues) {
  auto words = split_words(text);
  Evidence e;
  e.swearing = count_matches(cues.swearing, words, {.masked_words = true});
  e.anger = count_matches(cues.anger, words, {.skip_negated = true});
  e.threats = count_matches(cues.threats, words, {});
  e.repeated_contact = count_matches(cues.repeated_contact, words, {});
  e.gratitude = count_matches(cues.gratitude, words, {});
  e.exclamations = exclamation_level(text);
  e.all_caps = caps_level(words);
  return e;
}

struct Weight {
  const char* reason;
  double value;
};

// Weights are documented in emotion.h; keep the two in step.
std::vector<Weight> weigh(const Evidence& e) {
  auto by_count = [](int n, double one, double two, double more) {
    return n <= 0 ? 0.0 : n == 1 ? one : n == 2 ? two : more;
  };
  bool words_say_angry = e.swearing + e.anger + e.threats + e.repeated_contact > 0;
  // "Grazie!!! GRAZIE MILLE": delight, not anger, unless angry words are there too.
  double intensity = e.gratitude > 0 && !words_say_angry ? 0.5 : 1.0;
  std::vector<Weight> all = {
      {"swearing", by_count(e.swearing, 0.60, 0.70, 0.70)},
      {"threat_to_leave", by_count(e.threats, 0.55, 0.65, 0.65)},
      {"anger_words", by_count(e.anger, 0.40, 0.55, 0.65)},
      {"repeated_contact", by_count(e.repeated_contact, 0.40, 0.50, 0.50)},
      {"exclamations", intensity * by_count(e.exclamations, 0.20, 0.30, 0.30)},
      {"all_caps", intensity * by_count(e.all_caps, 0.35, 0.45, 0.45)},
  };
  std::erase_if(all, [](const Weight& w) { return w.value <= 0; });
  return all;
}

double combine(const std::vector<Weight>& weights) {
  double calm = 1.0;
  for (const Weight& w : weights) calm *= 1.0 - w.value;
  return 1.0 - calm;
}

double score_alone(std::string_view text, const CueSet& cues) {
  return combine(weigh(gather(text, cues)));
}

// The same question or complaint sent again: the customer is repeating themselves.
bool repeats_earlier(std::span<const std::string_view> recent) {
  std::string_view last = recent.back();
  auto key = [](std::string_view text) {
    std::u32string k;
    for (const Word& w : split_words(text)) k += w.key + U' ';
    return k;
  };
  auto last_key = key(last);
  bool substantial = last.find('?') != std::string_view::npos || split_words(last).size() >= 3;
  if (last_key.empty() || !substantial) return false;
  return std::any_of(recent.begin(), recent.end() - 1,
                     [&](std::string_view earlier) { return key(earlier) == last_key; });
}

// Three messages in a row, each clearly worse than the one before.
bool rising(std::span<const std::string_view> recent, double last_score, const CueSet& cues) {
  constexpr double kStep = 0.05, kFloor = 0.3;
  if (recent.size() < 3 || last_score < kFloor) return false;
  double before = score_alone(recent[recent.size() - 2], cues);
  double first = score_alone(recent[recent.size() - 3], cues);
  return first + kStep <= before && before + kStep <= last_score;
}

}  // namespace

Signal assess(std::span<const std::string_view> recent, std::string_view language) {
  if (recent.empty()) return {};
  const CueSet& cues = cues_for(language);
  Evidence e = gather(recent.back(), cues);
  if (repeats_earlier(recent)) ++e.repeated_contact;
  auto weights = weigh(e);
  if (rising(recent, combine(weights), cues)) weights.push_back({"escalation", 0.30});
  Signal s;
  s.score = combine(weights);
  s.peak = s.score >= kPeakThreshold;
  for (const Weight& w : weights) s.reasons.emplace_back(w.reason);
  return s;
}

Signal assess(std::string_view message, std::string_view language) {
  return assess(std::span(&message, 1), language);
}

}  // namespace sb::emotion
