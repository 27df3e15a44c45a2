#include "intent/intent.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <unordered_map>

#include "intent/linear.h"
#include "intent/mlp.h"
#include "intent/text.h"

namespace sb::bot {

// The vocabulary (hashed feature -> id) with inverse document frequencies.
struct Vocabulary {
  std::unordered_map<std::uint64_t, std::uint32_t> ids;
  std::vector<float> idf;
  std::vector<bool> scored;  // false: in too many intents to tell them apart
  float unseen_idf = 1;      // idf of a feature no training phrase has
  double word_weight = 0.7;  // share of the squared norm for word features (tuned on CLINC val)

  // Sublinear tf x idf; the word and the character block are L2-normalized
  // apart and weighted so that the whole vector has norm 1. Features unseen
  // in training count in the norms (a mostly unknown phrase gets a small
  // score) but are dropped.
  SparseVector vectorize(std::string_view text) const {
    auto features = phrase_features(text);
    SparseVector x;
    add_block(features.words, word_weight, x);
    add_block(features.chars, 1 - word_weight, x);
    std::sort(x.begin(), x.end());
    return x;
  }

  void add_block(std::vector<std::uint64_t>& hashes, double share, SparseVector& x) const {
    std::sort(hashes.begin(), hashes.end());
    std::size_t first = x.size();
    double norm = 0;
    for (std::size_t i = 0; i < hashes.size();) {
      std::size_t j = i;
      while (j < hashes.size() && hashes[j] == hashes[i]) ++j;
      auto it = ids.find(hashes[i]);
      float idf_i = it == ids.end() ? unseen_idf : idf[it->second];
      float value = (1.0f + std::log(static_cast<float>(j - i))) * idf_i;
      norm += double(value) * value;
      if (it != ids.end() && scored[it->second]) x.emplace_back(it->second, value);
      i = j;
    }
    if (norm == 0) return;
    double scale = std::sqrt(share / norm);
    for (std::size_t i = first; i < x.size(); ++i)
      x[i].second = static_cast<float>(x[i].second * scale);
  }
};

struct IntentModel::Impl {
  Vocabulary vocabulary;
  LinearModel linear;
  MlpModel mlp;                    // empty when not trained (see use_mlp)
  double mlp_weight = 0;           // its share of the summed scores
  std::vector<std::string> names;  // class id -> intent
  long out_of_scope_class = -1;
  double threshold = 0;
  std::size_t top = 3;
};

namespace {

// Features found in more intents than this carry little to rank thousands of
// intents but would make scoring and training visit every one of them.
constexpr std::uint32_t kMaxIntentsPerFeature = 200;

constexpr std::size_t kMaxNeuralIntents = 500;

Vocabulary build_vocabulary(std::vector<const Example*> examples) {
  std::stable_sort(examples.begin(), examples.end(),
                   [](const Example* a, const Example* b) { return a->intent < b->intent; });
  Vocabulary v;
  std::vector<std::uint32_t> df, intents, last_example;
  for (std::uint32_t e = 0; e < examples.size(); ++e) {
    bool new_intent = e == 0 || examples[e]->intent != examples[e - 1]->intent;
    auto features = phrase_features(examples[e]->text);
    auto& hashes = features.words;
    hashes.insert(hashes.end(), features.chars.begin(), features.chars.end());
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    for (auto h : hashes) {
      auto [it, added] = v.ids.emplace(h, static_cast<std::uint32_t>(df.size()));
      if (added) {
        df.push_back(0);
        intents.push_back(0);
        last_example.push_back(0);
      }
      std::uint32_t f = it->second;
      // Examples are grouped by intent: count an intent at its first example with f.
      if (df[f] == 0 || new_intent || examples[last_example[f]]->intent != examples[e]->intent)
        ++intents[f];
      ++df[f];
      last_example[f] = e;
    }
  }
  double n = static_cast<double>(examples.size());
  for (std::size_t f = 0; f < df.size(); ++f) {
    v.idf.push_back(static_cast<float>(std::log((n + 1) / (df[f] + 1)) + 1));
    v.scored.push_back(intents[f] <= kMaxIntentsPerFeature);
  }
  v.unseen_idf = static_cast<float>(std::log(n + 1) + 1);
  return v;
}

// The neural model's softmax spreads all of its probability over the trained
// classes, so it can say "none of these" only through a trained oos class;
// without one it would lend confidence to unrelated messages. Its output
// layer costs hidden x classes per step, too slow for thousands of intents.
bool use_mlp(const TrainOptions& options, bool has_out_of_scope, std::size_t classes) {
  return options.neural_weight > 0 && has_out_of_scope && classes <= kMaxNeuralIntents;
}

}  // namespace

IntentModel IntentModel::train(const std::vector<Example>& examples, const TrainOptions& options) {
  auto impl = std::make_shared<Impl>();
  impl->threshold = options.threshold;
  impl->top = options.top;
  std::vector<const Example*> usable;
  for (const Example& e : examples)
    if (!words(e.text).empty() && !e.intent.empty()) usable.push_back(&e);
  impl->vocabulary = build_vocabulary(usable);

  std::unordered_map<std::string, std::uint32_t> class_of;
  std::vector<SparseVector> xs;
  std::vector<std::uint32_t> ys;
  for (const Example* e : usable) {
    auto [it, added] = class_of.emplace(e->intent, static_cast<std::uint32_t>(impl->names.size()));
    if (added) {
      impl->names.push_back(e->intent);
      if (e->intent == kOutOfScope) impl->out_of_scope_class = it->second;
    }
    xs.push_back(impl->vocabulary.vectorize(e->text));
    ys.push_back(it->second);
  }
  auto classes = static_cast<std::uint32_t>(impl->names.size());
  auto features = static_cast<std::uint32_t>(impl->vocabulary.idf.size());
  LinearTrainOptions linear_options;
  linear_options.epochs = options.epochs;
  linear_options.aggressiveness = options.aggressiveness;
  auto train_svm = [&] {
    impl->linear = LinearModel::train(xs, ys, classes, features, linear_options);
  };
  if (use_mlp(options, impl->out_of_scope_class >= 0, classes)) {
    // The two models learn independently: the SVM on a second thread (the
    // future's destructor waits for it, also if the network's training throws).
    auto svm = std::async(std::launch::async, train_svm);
    MlpTrainOptions mlp_options;
    mlp_options.epochs = options.neural_epochs;
    impl->mlp = MlpModel::train(xs, ys, classes, features, mlp_options);
    impl->mlp_weight = options.neural_weight;
    svm.get();
  } else {
    train_svm();
  }
  IntentModel model;
  model.impl_ = std::move(impl);
  return model;
}

Prediction IntentModel::classify(std::string_view text) const {
  return classify(text, threshold());
}

Prediction IntentModel::classify(std::string_view text, double threshold) const {
  Prediction p{"", 0.0, true, {}};
  if (!impl_ || impl_->names.empty()) return p;
  std::vector<float> scores;
  auto x = impl_->vocabulary.vectorize(text);
  impl_->linear.score(x, scores);
  if (!impl_->mlp.empty()) {
    std::vector<float> probabilities;
    impl_->mlp.score(x, probabilities);
    double w = impl_->mlp_weight;
    for (std::size_t k = 0; k < scores.size(); ++k)
      scores[k] = static_cast<float>((1 - w) * scores[k] + w * probabilities[k]);
  }
  std::vector<std::uint32_t> ranked;
  for (std::uint32_t k = 0; k < scores.size(); ++k)
    if (static_cast<long>(k) != impl_->out_of_scope_class) ranked.push_back(k);
  if (ranked.empty()) return p;
  std::size_t shown = std::min(std::max<std::size_t>(impl_->top, 1), ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + shown, ranked.end(),
                    [&](std::uint32_t a, std::uint32_t b) { return scores[a] > scores[b]; });
  auto clamped = [](double s) { return std::clamp(s, 0.0, 1.0); };
  for (std::size_t i = 0; i < shown; ++i)
    p.top.emplace_back(impl_->names[ranked[i]], clamped(scores[ranked[i]]));
  p.intent = p.top.front().first;
  // The best score less half the runner-up's: a message that two intents
  // fit about equally well is less certain than one only the best fits.
  double runner_up = shown > 1 ? std::max(0.0f, scores[ranked[1]]) : 0.0;
  p.confidence = clamped(scores[ranked.front()] - 0.5 * runner_up);
  bool out_of_scope_wins =
      impl_->out_of_scope_class >= 0 && scores[impl_->out_of_scope_class] > scores[ranked.front()];
  p.out_of_scope = out_of_scope_wins || p.confidence < threshold;
  return p;
}

std::size_t IntentModel::intents() const {
  if (!impl_) return 0;
  return impl_->names.size() - (impl_->out_of_scope_class >= 0 ? 1 : 0);
}

double IntentModel::threshold() const {
  return impl_ ? impl_->threshold : 0.0;
}

}  // namespace sb::bot
