// FAQ bot intent model: which of an FAQ's intents a customer's
// message asks about, or that it is out of scope and a human should answer.
// TF-IDF over words, word bigrams and character n-grams, a linear multiclass
// SVM summed with a small neural network over the same features (when the
// FAQ has out-of-scope examples), and a threshold on the best intent's score.
// No I/O; classify() is safe to call from many threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::bot {

// Training examples labelled kOutOfScope teach the model what not to answer.
inline constexpr std::string_view kOutOfScope = "oos";

struct Example {
  std::string text;
  std::string intent;
};

struct TrainOptions {
  // Tuned on CLINC150 val (docs/BENCHMARKS.md); they also suit small FAQs.
  int epochs = 30;              // of the SVM
  double aggressiveness = 0.3;  // the SVM's largest step per example
  double threshold = 0.18;      // confidence below this is out of scope
  // The neural model's share of the summed scores (0: SVM only). It is
  // trained only with kOutOfScope examples and at most 500 intents.
  double neural_weight = 0.4;
  int neural_epochs = 20;
  std::size_t top = 3;  // intents listed in Prediction::top
};

struct Prediction {
  std::string intent;  // the best intent (empty if the model has none)
  double confidence;   // 0..1: best score less half the runner-up's, clamped
  bool out_of_scope;   // do not answer: hand off to a person
  std::vector<std::pair<std::string, double>> top;  // best intents first, scores clamped to 0..1
};

class IntentModel {
 public:
  // Examples with an empty text are skipped; any training set is accepted.
  static IntentModel train(const std::vector<Example>& examples, const TrainOptions& options = {});

  Prediction classify(std::string_view text) const;  // with the trained threshold
  Prediction classify(std::string_view text, double threshold) const;
  std::size_t intents() const;  // distinct intents, not counting kOutOfScope
  double threshold() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace sb::bot
