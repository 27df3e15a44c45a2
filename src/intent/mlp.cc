#include "intent/mlp.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace sb::bot {
namespace {

constexpr std::size_t kMaxSteps = 400000;  // examples x epochs, as for the SVM

}  // namespace

// One SGD step's scratch space, reused across steps.
struct MlpModel::Scratch {
  SparseVector x;                 // the phrase after input dropout
  std::vector<float> a, h, p, g;  // pre-activation, hidden, probabilities, hidden gradient
};

void MlpModel::hidden(const SparseVector& x, std::vector<float>& a) const {
  a = hidden_bias_;
  for (auto& [f, v] : x) {
    if (f >= features_) continue;
    const float* e = &embedding_[std::size_t(f) * hidden_];
    for (std::uint32_t j = 0; j < hidden_; ++j) a[j] += v * e[j];
  }
}

// Softmax of the output layer over the (already rectified) hidden units.
void MlpModel::output(const std::vector<float>& h, std::vector<float>& p) const {
  p.assign(classes_, 0.0f);
  float top = -std::numeric_limits<float>::infinity();
  for (std::uint32_t k = 0; k < classes_; ++k) {
    const float* w = &output_[std::size_t(k) * hidden_];
    float s = output_bias_[k];
    for (std::uint32_t j = 0; j < hidden_; ++j) s += w[j] * h[j];
    p[k] = s;
    top = std::max(top, s);
  }
  float sum = 0;
  for (float& s : p) sum += (s = std::exp(s - top));
  for (float& s : p) s /= sum;
}

MlpModel::MlpModel(std::uint32_t classes, std::uint32_t features, std::uint32_t hidden,
                   std::mt19937& rng)
    : classes_(classes), hidden_(hidden), features_(features) {
  // Small random embeddings; Glorot-uniform output weights.
  std::uniform_real_distribution<float> embedding(-0.1f, 0.1f);
  float bound = std::sqrt(6.0f / static_cast<float>(hidden + classes));
  std::uniform_real_distribution<float> output(-bound, bound);
  embedding_.resize(std::size_t(features) * hidden);
  for (float& e : embedding_) e = embedding(rng);
  hidden_bias_.assign(hidden, 0.0f);
  output_.resize(std::size_t(classes) * hidden);
  for (float& w : output_) w = output(rng);
  output_bias_.assign(classes, 0.0f);
}

// Backpropagation of the cross-entropy of one example (s.x, y), whose
// forward pass left s.a, s.h and s.p.
void MlpModel::backward(std::uint32_t y, float lr, Scratch& s) {
  s.p[y] -= 1.0f;  // the loss's gradient at the logits
  s.g.assign(hidden_, 0.0f);
  for (std::uint32_t k = 0; k < classes_; ++k) {
    float g = s.p[k];
    float* w = &output_[std::size_t(k) * hidden_];
    for (std::uint32_t j = 0; j < hidden_; ++j) {
      s.g[j] += g * w[j];
      w[j] -= lr * g * s.h[j];
    }
    output_bias_[k] -= lr * g;
  }
  for (std::uint32_t j = 0; j < hidden_; ++j) {
    if (s.a[j] <= 0) s.g[j] = 0;  // ReLU
    hidden_bias_[j] -= lr * s.g[j];
  }
  for (auto& [f, v] : s.x) {
    float* e = &embedding_[std::size_t(f) * hidden_];
    for (std::uint32_t j = 0; j < hidden_; ++j) e[j] -= lr * v * s.g[j];
  }
}

void MlpModel::step(const SparseVector& x, std::uint32_t y, float lr, double dropout,
                    std::mt19937& rng, Scratch& s) {
  std::bernoulli_distribution drop(dropout);
  auto keep = static_cast<float>(1 / (1 - dropout));
  s.x.clear();
  for (auto& [f, v] : x)
    if (!drop(rng)) s.x.emplace_back(f, v * keep);
  hidden(s.x, s.a);
  s.h.resize(hidden_);
  for (std::uint32_t j = 0; j < hidden_; ++j) s.h[j] = std::max(s.a[j], 0.0f);
  output(s.h, s.p);
  backward(y, lr, s);
}

MlpModel MlpModel::train(const std::vector<SparseVector>& xs, const std::vector<std::uint32_t>& ys,
                         std::uint32_t classes, std::uint32_t features,
                         const MlpTrainOptions& options) {
  std::mt19937 rng(options.seed);
  MlpModel m(classes, features, options.hidden, rng);
  std::size_t budget = std::max<std::size_t>(3, kMaxSteps / std::max<std::size_t>(xs.size(), 1));
  int epochs = static_cast<int>(std::min<std::size_t>(std::max(options.epochs, 0), budget));
  std::vector<std::size_t> order(xs.size());
  std::iota(order.begin(), order.end(), 0);
  Scratch scratch;
  // The learning rate decays linearly to 0 over all steps, as fastText's does.
  double steps = double(epochs) * double(xs.size()), t = 0;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i : order) {
      auto lr = static_cast<float>(options.learning_rate * (1.0 - t++ / steps));
      m.step(xs[i], ys[i], lr, options.input_dropout, rng, scratch);
    }
  }
  return m;
}

void MlpModel::score(const SparseVector& x, std::vector<float>& probabilities) const {
  std::vector<float> a;
  hidden(x, a);
  for (float& v : a) v = std::max(v, 0.0f);
  output(a, probabilities);
}

}  // namespace sb::bot
