// The complaints report: counts, time to resolve, categories, recurrence and the
// steps most often skipped, from the records the store reads.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "complaint/complaint.h"

namespace sb::complaint {

namespace {

constexpr Millis kDayMs = 24LL * 3600 * 1000;

Millis nearest_rank(const std::vector<Millis>& sorted, int pct) {
  std::size_t n = sorted.size();
  std::size_t r = (n * static_cast<std::size_t>(pct) + 99) / 100;  // 1-based
  return sorted[std::clamp<std::size_t>(r, 1, n) - 1];
}

bool in_window(const Record& r, const ReportQuery& q) {
  return r.marked_at >= q.from && r.marked_at < q.to;
}

bool earlier(const Record& a, const Record& b) {
  return a.marked_at != b.marked_at ? a.marked_at < b.marked_at : a.id < b.id;
}

// Per complaint in the window: {repeat by the contact, repeat of the same category}.
struct Repeat {
  bool contact = false, category = false;
};

std::unordered_map<Id, Repeat> repeats(const std::vector<Record>& sorted, const ReportQuery& q) {
  Millis span = static_cast<Millis>(q.recurrence_days) * kDayMs;
  std::unordered_map<Id, std::vector<const Record*>> by_contact;
  std::unordered_map<Id, Repeat> out;
  for (const auto& r : sorted) {
    auto& seen = by_contact[r.contact_id];
    if (in_window(r, q)) {
      Repeat rep;
      for (const Record* e : seen) {
        if (r.marked_at - e->marked_at > span) continue;
        rep.contact = true;
        rep.category = rep.category || e->category == r.category;
      }
      out[r.id] = rep;
    }
    seen.push_back(&r);
  }
  return out;
}

CategoryStats& category_of(std::vector<CategoryStats>& list, const std::string& c) {
  for (auto& s : list)
    if (s.category == c) return s;
  list.push_back({c});
  return list.back();
}

void count_skips(Report& out, const std::vector<const Record*>& resolved) {
  for (std::size_t i = 0; i < kStepCount; ++i) {
    int n = 0;
    for (const Record* r : resolved) n += (r->done_mask >> i) & 1U ? 0 : 1;
    out.skipped.push_back({kSteps[i], n});
  }
  std::stable_sort(out.skipped.begin(), out.skipped.end(),
                   [](const StepSkips& a, const StepSkips& b) { return a.skipped > b.skipped; });
}

}  // namespace

Report report(std::vector<Record> records, const ReportQuery& q) {
  std::sort(records.begin(), records.end(), earlier);
  auto rep = repeats(records, q);
  Report out;
  std::vector<Millis> times;
  std::vector<const Record*> resolved;
  std::map<Id, bool> repeat_contacts;
  for (const auto& r : records) {
    if (!in_window(r, q)) continue;
    auto& cat = category_of(out.by_category, r.category);
    ++out.total;
    ++cat.total;
    if (r.resolved_at) {
      ++out.resolved;
      ++cat.resolved;
      times.push_back(std::max<Millis>(0, *r.resolved_at - r.marked_at));
      resolved.push_back(&r);
    } else {
      ++out.open;
      ++cat.open;
    }
    const Repeat& x = rep[r.id];
    if (x.contact) {
      ++out.contact_repeats;
      repeat_contacts[r.contact_id] = true;
    }
    if (x.category) {
      ++out.same_category_repeats;
      ++cat.repeats;
    }
  }
  out.repeat_contacts = static_cast<int>(repeat_contacts.size());
  std::sort(out.by_category.begin(), out.by_category.end(),
            [](const CategoryStats& a, const CategoryStats& b) {
              return a.total != b.total ? a.total > b.total : a.category < b.category;
            });
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    out.median_ms = nearest_rank(times, 50);
    out.p90_ms = nearest_rank(times, 90);
  }
  count_skips(out, resolved);
  return out;
}

}  // namespace sb::complaint
