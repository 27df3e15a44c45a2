// A small neural intent classifier over the same sparse TF-IDF vectors as the
// linear model: one hidden layer (an embedding sum over the features, then
// ReLU) and a softmax over the intents, trained by SGD on cross-entropy. The
// hidden layer is shared by all intents, so what it learns from one intent's
// phrasings ("credit score") carries to another's; its mistakes differ from
// the linear SVM's, which is what makes the two worth summing.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "intent/linear.h"

namespace sb::bot {

struct MlpTrainOptions {
  std::uint32_t hidden = 128;
  int epochs = 20;
  double learning_rate = 0.2;  // at the start; decays linearly to 0
  // Each feature of a training phrase is left out with this chance (the rest
  // scaled up): the network cannot lean on a single word or n-gram.
  double input_dropout = 0.3;
  unsigned seed = 1;
};

class MlpModel {
 public:
  MlpModel() = default;
  static MlpModel train(const std::vector<SparseVector>& xs, const std::vector<std::uint32_t>& ys,
                        std::uint32_t classes, std::uint32_t features,
                        const MlpTrainOptions& options);
  // Writes every class's probability into `probabilities` (resized to classes()).
  void score(const SparseVector& x, std::vector<float>& probabilities) const;
  std::uint32_t classes() const { return classes_; }
  bool empty() const { return classes_ == 0; }

 private:
  struct Scratch;
  MlpModel(std::uint32_t classes, std::uint32_t features, std::uint32_t hidden, std::mt19937& rng);
  void step(const SparseVector& x, std::uint32_t y, float lr, double dropout, std::mt19937& rng,
            Scratch& s);
  void backward(std::uint32_t y, float lr, Scratch& s);
  void hidden(const SparseVector& x, std::vector<float>& a) const;
  void output(const std::vector<float>& h, std::vector<float>& p) const;

  std::uint32_t classes_ = 0;
  std::uint32_t hidden_ = 0;
  std::uint32_t features_ = 0;
  std::vector<float> embedding_;  // features x hidden
  std::vector<float> hidden_bias_;
  std::vector<float> output_;  // classes x hidden
  std::vector<float> output_bias_;
};

}  // namespace sb::bot
