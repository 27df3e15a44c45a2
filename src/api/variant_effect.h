// The effect of variants on what followed them (Q3 "coach and script effect"):
// per variant CSAT and resolution (Wilson 95%) and handle time (normal 95%),
// and per metric a verdict among the compared variants (reports/). Shared by
// scripts, canned answers and the coach.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "store/store.h"

namespace sb {

// "not enough data" until every compared variant has this many observations.
inline constexpr std::int64_t kMinPerVariant = 30;
// The most uses one report reads.
inline constexpr int kMaxOutcomes = 200000;

struct EffectVariant {
  int id = 0;
  std::string text;
  bool retired = false;  // shown with its history, not compared
};

// {variants: [{id, text, retired, conversations, csat, resolution, handle_ms}],
//  min_per_variant, csat, resolution, handle: {verdict, winner, p}}
boost::json::object variant_effect(const std::vector<EffectVariant>& variants,
                                   const std::vector<VariantOutcome>& outcomes);

}  // namespace sb
