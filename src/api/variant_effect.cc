#include "api/variant_effect.h"

#include <map>

namespace sb {
namespace {

namespace json = boost::json;

json::object estimate_json(const reports::Estimate& e) {
  auto opt = [](const std::optional<double>& v) { return v ? json::value(*v) : nullptr; };
  return {{"n", e.n}, {"value", opt(e.value)}, {"lower", opt(e.lower)}, {"upper", opt(e.upper)}};
}

json::object verdict_json(const reports::MetricVerdict& m, const std::vector<int>& ids) {
  const char* name = m.verdict == reports::Verdict::kWinner         ? "winner"
                     : m.verdict == reports::Verdict::kNoDifference ? "no_difference"
                                                                    : "not_enough_data";
  json::value winner = nullptr;
  if (m.winner >= 0) winner = ids[static_cast<std::size_t>(m.winner)];
  json::value p = nullptr;
  if (m.verdict != reports::Verdict::kNotEnoughData) p = m.p;
  return {{"verdict", name}, {"winner", winner}, {"p", p}};
}

// What followed each variant's use: resolved = closed with an agent's answer
// (a customer who comes back reopens it, and it no longer counts).
reports::VariantSample& add_outcome(reports::VariantSample& s,
                                    const reports::ConversationFacts& f) {
  ++s.conversations;
  if (f.rated_positive) {
    ++s.rated;
    if (*f.rated_positive) ++s.positive;
  }
  if (f.closed_at) {
    ++s.closed;
    if (f.first_reply_at) ++s.resolved;
    if (f.first_reply_at && *f.closed_at >= *f.first_reply_at) {
      double h = static_cast<double>(*f.closed_at - *f.first_reply_at);
      ++s.handled;
      s.handle_sum += h;
      s.handle_squares += h * h;
    }
  }
  return s;
}

}  // namespace

json::object variant_effect(const std::vector<EffectVariant>& variants,
                            const std::vector<VariantOutcome>& outcomes) {
  std::map<int, reports::VariantSample> samples;
  for (const auto& o : outcomes) add_outcome(samples[o.variant], o.facts);
  // The test compares the variants in use; retired ones show their history.
  std::vector<int> compared_ids;
  std::vector<reports::VariantSample> compared;
  json::array rows;
  for (const auto& v : variants) {
    const auto& sample = samples[v.id];
    auto e = reports::effect_of(sample);
    rows.push_back(json::object{{"id", v.id},
                                {"text", v.text},
                                {"retired", v.retired},
                                {"conversations", sample.conversations},
                                {"csat", estimate_json(e.csat)},
                                {"resolution", estimate_json(e.resolution)},
                                {"handle_ms", estimate_json(e.handle_ms)}});
    if (!v.retired) {
      compared_ids.push_back(v.id);
      compared.push_back(sample);
    }
  }
  auto c = reports::compare_variants(compared, kMinPerVariant);
  return {{"variants", std::move(rows)},
          {"min_per_variant", kMinPerVariant},
          {"csat", verdict_json(c.csat, compared_ids)},
          {"resolution", verdict_json(c.resolution, compared_ids)},
          {"handle", verdict_json(c.handle, compared_ids)}};
}

}  // namespace sb
