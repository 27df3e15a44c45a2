#include "bus/registry.h"

namespace sb::bus {

std::shared_ptr<Entry> Registry::add(std::string pattern, Handler handler) {
  auto e = std::make_shared<Entry>();
  e->pattern = std::move(pattern);
  e->handler = std::move(handler);
  std::lock_guard lock(mutex_);
  e->id = next_id_++;
  entries_[e->id] = e;
  return e;
}

void Registry::remove(const std::shared_ptr<Entry>& entry) {
  {
    std::lock_guard lock(mutex_);
    entries_.erase(entry->id);
  }
  std::lock_guard calling(entry->calling);
  entry->active = false;
}

std::shared_ptr<Entry> Registry::find(std::uint64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Entry>> Registry::matching(std::string_view subject) const {
  std::vector<std::shared_ptr<Entry>> out;
  std::lock_guard lock(mutex_);
  for (auto& [id, e] : entries_)
    if (subject_matches(e->pattern, subject)) out.push_back(e);
  return out;
}

std::vector<std::shared_ptr<Entry>> Registry::all() const {
  std::vector<std::shared_ptr<Entry>> out;
  std::lock_guard lock(mutex_);
  for (auto& [id, e] : entries_) out.push_back(e);
  return out;
}

bool Registry::deliver(Entry& entry, std::string_view subject, std::string_view payload) {
  std::lock_guard calling(entry.calling);
  if (!entry.active) return false;
  entry.handler(subject, payload);
  return true;
}

}  // namespace sb::bus
