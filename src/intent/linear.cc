#include "intent/linear.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace sb::bot {
namespace {

constexpr std::size_t kMaxSteps = 400000;  // examples x epochs

// One class's weight for one feature while training: the current weight and
// the step-weighted sum of updates that yields the average (Daume's trick).
struct Entry {
  std::uint32_t cls;
  float w = 0;
  float u = 0;
};

class Trainer {
 public:
  Trainer(std::uint32_t classes, std::uint32_t features)
      : rows_(features), scores_(classes, 0.0f), seen_(classes, 0), classes_(classes) {}

  // One PA-I step on (x, y); returns whether it changed the weights.
  bool step(const SparseVector& x, std::uint32_t y, double c) {
    score(x);
    auto [rival, rival_score] = best_rival(y);
    double loss = 1.0 - (scores_[y] - rival_score);
    clear();
    ++t_;
    double sq = 0;
    for (auto& [f, v] : x) sq += double(v) * v;
    if (loss <= 0 || sq == 0) return false;
    double tau = std::min(c, loss / (rival < 0 ? sq : 2 * sq));
    update(x, y, tau);
    if (rival >= 0) update(x, static_cast<std::uint32_t>(rival), -tau);
    return true;
  }

  // The averaged weights, without near-zero entries.
  template <class Emit>
  void finish(Emit&& emit) const {
    for (std::uint32_t f = 0; f < rows_.size(); ++f)
      for (const Entry& e : rows_[f]) {
        float avg = e.w - e.u / static_cast<float>(t_);
        if (std::fabs(avg) > 1e-5f) emit(f, e.cls, avg);
      }
  }

 private:
  void score(const SparseVector& x) {
    for (auto& [f, v] : x)
      for (const Entry& e : rows_[f]) {
        if (!seen_[e.cls]) {
          seen_[e.cls] = 1;
          touched_.push_back(e.cls);
        }
        scores_[e.cls] += v * e.w;
      }
  }

  // The highest-scoring class other than y; -1 stands for the classes
  // without a weight on x (score 0), which a step does not need to touch.
  // A one-class model is trained against that implicit "nothing else".
  std::pair<long, float> best_rival(std::uint32_t y) const {
    std::size_t others = touched_.size() - (seen_[y] ? 1 : 0);
    bool untouched = classes_ == 1 || others < classes_ - 1;
    long rival = -1;
    float best = untouched ? 0.0f : -std::numeric_limits<float>::infinity();
    for (std::uint32_t k : touched_)
      if (k != y && scores_[k] > best) {
        rival = k;
        best = scores_[k];
      }
    return {rival, best};
  }

  void clear() {
    for (std::uint32_t k : touched_) {
      scores_[k] = 0;
      seen_[k] = 0;
    }
    touched_.clear();
  }

  void update(const SparseVector& x, std::uint32_t cls, double tau) {
    for (auto& [f, v] : x) {
      auto& row = rows_[f];
      auto it = std::lower_bound(row.begin(), row.end(), cls,
                                 [](const Entry& e, std::uint32_t k) { return e.cls < k; });
      if (it == row.end() || it->cls != cls) it = row.insert(it, Entry{cls});
      it->w += static_cast<float>(tau * v);
      it->u += static_cast<float>(tau * v * t_);
    }
  }

  std::vector<std::vector<Entry>> rows_;
  std::vector<float> scores_;
  std::vector<std::uint8_t> seen_;
  std::vector<std::uint32_t> touched_;
  std::uint32_t classes_;
  std::uint64_t t_ = 1;
};

}  // namespace

LinearModel LinearModel::train(const std::vector<SparseVector>& xs,
                               const std::vector<std::uint32_t>& ys, std::uint32_t classes,
                               std::uint32_t features, const LinearTrainOptions& options) {
  Trainer trainer(classes, features);
  std::vector<std::size_t> order(xs.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 rng(options.seed);
  // Big training sets get fewer passes (at least 3) to bound training time.
  std::size_t budget = std::max<std::size_t>(3, kMaxSteps / std::max<std::size_t>(xs.size(), 1));
  int epochs = static_cast<int>(std::min<std::size_t>(options.epochs, budget));
  for (int epoch = 0; epoch < epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    std::size_t updates = 0;
    for (std::size_t i : order) updates += trainer.step(xs[i], ys[i], options.aggressiveness);
    if (updates * 200 <= xs.size()) break;  // nearly every example has its margin: converged
  }
  LinearModel model;
  model.classes_ = classes;
  model.offsets_.assign(features + 1, 0);
  trainer.finish([&](std::uint32_t f, std::uint32_t, float) { ++model.offsets_[f + 1]; });
  std::partial_sum(model.offsets_.begin(), model.offsets_.end(), model.offsets_.begin());
  model.class_of_.reserve(model.offsets_.back());
  model.weight_.reserve(model.offsets_.back());
  trainer.finish([&](std::uint32_t, std::uint32_t k, float w) {
    model.class_of_.push_back(k);
    model.weight_.push_back(w);
  });
  return model;
}

void LinearModel::score(const SparseVector& x, std::vector<float>& scores) const {
  scores.assign(classes_, 0.0f);
  for (auto& [f, v] : x) {
    if (f + 1 >= offsets_.size()) continue;
    for (std::uint32_t i = offsets_[f]; i < offsets_[f + 1]; ++i)
      scores[class_of_[i]] += v * weight_[i];
  }
}

}  // namespace sb::bot
