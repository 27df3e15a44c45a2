// Emotional-peak detector: how angry or frustrated a
// customer sounds in chat, in en, it, ru, hu and pl. Rules and per-language
// lexicons only (no model, no I/O); assess() is pure and safe to call from
// many threads at once.
//
// Evidence in the newest message, each with a weight, combined as
// 1 - prod(1 - w) so that one cue alone stays moderate and cues add up:
//   swearing          0.60 (two or more different words 0.70); "f***", "c@zzo" count
//   threat_to_leave   0.55 (0.65): lawyer, consumer protection, bad review, never again
//   anger_words       0.40 (0.55, three+ 0.65): "ridiculous", "vergogna", "безобразие"
//   repeated_contact  0.40 (0.50): "third time I write", "nobody answers", or the
//                     same question sent again
//   exclamations      0.20 for "!!" or "???", 0.30 for "!!!" or "?!"
//   all_caps          0.35 for two+ shouted words, 0.45 when most words shout
//   escalation        0.30 when the last three messages score higher each time
// Exclamations and capitals count half in a message that thanks ("grazie!!!").
// A peak is a score of at least kPeakThreshold: swearing or a threat alone is a
// peak; an anger word needs another cue ("ridiculous!!", "ridiculous, third time").
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sb::emotion {

inline constexpr double kPeakThreshold = 0.5;

struct Signal {
  double score = 0;                  // 0..1
  bool peak = false;                 // score >= kPeakThreshold: raise priority, flag it
  std::vector<std::string> reasons;  // codes, strongest kind first (see reason order above)
};

// recent: the customer's recent messages, oldest first; the last one is the new
// message (the score is about it, the earlier ones give the trend).
// language: "en", "it", "ru", "hu" or "pl"; anything else (e.g. "") means unknown
// and every lexicon is used. English swearing counts in every language.
Signal assess(std::span<const std::string_view> recent, std::string_view language);

// One message without history.
Signal assess(std::string_view message, std::string_view language);

}  // namespace sb::emotion
