#include <atomic>
#include <thread>

#include "bot/bot.h"
#include "http/http.h"
#include "langid/langid.h"

namespace sb {

struct LanguageDetection::Impl {
  std::unique_ptr<langid::Detector> detector;  // written once, before `state` turns ready
  std::atomic<int> state{0};                   // 0 loading, 1 ready, 2 unavailable
  std::thread loader;
};

LanguageDetection::LanguageDetection() : impl_(std::make_unique<Impl>()) {
  impl_->loader = std::thread([impl = impl_.get()] {
    try {
      impl->detector = langid::open_detector();
      impl->state = 1;
    } catch (const std::exception& e) {
      impl->state = 2;
      log_json({{"level", "warn"}, {"msg", "no language detection"}, {"error", e.what()}});
    }
  });
}

LanguageDetection::~LanguageDetection() {
  impl_->loader.join();
}

std::pair<std::string, double> LanguageDetection::detect(std::string_view text) const {
  if (impl_->state.load() != 1) return {"", 0.0};
  auto d = impl_->detector->detect(text);
  return {d.language, d.confidence};
}

std::string_view LanguageDetection::state() const {
  switch (impl_->state.load()) {
    case 1:
      return "ready";
    case 2:
      return "unavailable";
    default:
      return "loading";
  }
}

}  // namespace sb
