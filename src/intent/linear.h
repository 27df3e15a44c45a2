// Sparse multiclass linear model for the FAQ bot, trained as a
// Crammer-Singer multiclass SVM with averaged passive-aggressive (PA-I)
// updates. Weights are stored per feature (only the classes a feature has a
// weight for), so scoring costs the sum of the query features' list lengths,
// not features x classes.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace sb::bot {

// (feature id, value) pairs, ids ascending; training vectors are L2-normalized.
using SparseVector = std::vector<std::pair<std::uint32_t, float>>;

struct LinearTrainOptions {
  int epochs = 10;
  double aggressiveness = 0.1;  // PA-I "C": the largest step per example
  unsigned seed = 1;            // example order
};

class LinearModel {
 public:
  static LinearModel train(const std::vector<SparseVector>& xs,
                           const std::vector<std::uint32_t>& ys, std::uint32_t classes,
                           std::uint32_t features, const LinearTrainOptions& options);
  // Writes every class's score into `scores` (resized to classes()).
  void score(const SparseVector& x, std::vector<float>& scores) const;
  std::uint32_t classes() const { return classes_; }

 private:
  std::uint32_t classes_ = 0;
  std::vector<std::uint32_t> offsets_;  // feature f's weights: [offsets_[f], offsets_[f + 1])
  std::vector<std::uint32_t> class_of_;
  std::vector<float> weight_;
};

}  // namespace sb::bot
