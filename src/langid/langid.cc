#include "langid/langid.h"

#include <cld2/public/compact_lang_det.h>
#include <hunspell/hunspell.h>
#include <iconv.h>

#include <array>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "core/core.h"

namespace sb::langid {
namespace {

constexpr std::size_t kRu = 2;
static_assert(kLanguages[kRu] == "ru");

bool is_cyrillic(char32_t c) {
  return c >= 0x400 && c <= 0x4FF;
}

// Letters that, among the five, only one language writes (lower and upper case).
std::optional<std::size_t> owner_of(char32_t c) {
  switch (c) {
    case U'ą':
    case U'Ą':
    case U'ć':
    case U'Ć':
    case U'ę':
    case U'Ę':
    case U'ł':
    case U'Ł':
    case U'ń':
    case U'Ń':
    case U'ś':
    case U'Ś':
    case U'ź':
    case U'Ź':
    case U'ż':
    case U'Ż':
      return 4;
    case U'ő':
    case U'Ő':
    case U'ű':
    case U'Ű':
      return 3;
    case U'à':
    case U'À':
    case U'ì':
    case U'Ì':
    case U'ò':
    case U'Ò':
    case U'ù':
    case U'Ù':
    case U'è':
    case U'È':
      return 1;
    default:
      return std::nullopt;
  }
}

struct Words {
  std::vector<std::string> latin;
  int cyrillic = 0;
  std::array<int, 5> owned{};  // letters only that language writes
};

Words split(std::string_view text) {
  Words w;
  std::string current;
  bool cyr = false;
  auto flush = [&] {
    if (!current.empty()) {
      if (cyr)
        ++w.cyrillic;
      else
        w.latin.push_back(current);
    }
    current.clear();
    cyr = false;
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    char32_t c = next_code_point(text, i);
    if (!is_letter(c) && !(c == '\'' && !current.empty())) {
      flush();
      continue;
    }
    cyr = cyr || is_cyrillic(c);
    if (auto o = owner_of(c)) ++w.owned[*o];
    current.append(text.substr(start, i - start));
  }
  flush();
  return w;
}

class Dictionary {
 public:
  Dictionary(const std::string& dir, const std::string& name) {
    auto aff = dir + "/" + name + ".aff", dic = dir + "/" + name + ".dic";
    for (const auto& f : {aff, dic})
      if (!std::filesystem::exists(f)) throw std::runtime_error("missing dictionary " + f);
    h_ = Hunspell_create(aff.c_str(), dic.c_str());
    std::string enc = Hunspell_get_dic_encoding(h_);
    if (enc != "UTF-8") {
      conv_ = iconv_open((enc + "//IGNORE").c_str(), "UTF-8");
      if (conv_ == reinterpret_cast<iconv_t>(-1))
        throw std::runtime_error("no converter to " + enc + " for " + name);
    }
  }
  ~Dictionary() {
    if (conv_ != reinterpret_cast<iconv_t>(-1)) iconv_close(conv_);
    Hunspell_destroy(h_);
  }
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;

  bool knows(const std::string& utf8) const {
    std::lock_guard lock(mu_);  // Hunspell handles are not thread-safe
    std::string word = utf8;
    if (conv_ != reinterpret_cast<iconv_t>(-1) && !convert(utf8, word)) return false;
    return Hunspell_spell(h_, word.c_str()) != 0;
  }

 private:
  bool convert(const std::string& in, std::string& out) const {
    iconv(conv_, nullptr, nullptr, nullptr, nullptr);
    out.assign(in.size() * 2 + 4, '\0');
    char* src = const_cast<char*>(in.data());
    std::size_t src_left = in.size(), dst_left = out.size();
    char* dst = out.data();
    if (iconv(conv_, &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1))
      return false;  // a letter that encoding lacks: not a word of that language
    out.resize(out.size() - dst_left);
    return true;
  }

  Hunhandle* h_ = nullptr;
  iconv_t conv_ = reinterpret_cast<iconv_t>(-1);
  mutable std::mutex mu_;
};

class HunspellCld2Detector : public Detector {
 public:
  explicit HunspellCld2Detector(const std::string& dir) {
    for (const char* name : {"en_US", "it_IT", "ru_RU", "hu_HU", "pl_PL"})
      dicts_.push_back(std::make_unique<Dictionary>(dir, name));
  }

  Detection detect(std::string_view text) const override {
    Words w = split(text);
    int latin = static_cast<int>(w.latin.size());
    if (latin + w.cyrillic == 0) return {};
    if (w.cyrillic > latin) return {"ru", static_cast<double>(w.cyrillic) / (latin + w.cyrillic)};

    std::array<double, 5> score{};
    for (const auto& word : w.latin) {
      std::array<bool, 5> known{};
      int n = 0;
      for (std::size_t l = 0; l < kLanguages.size(); ++l)
        if (l != kRu && (known[l] = dicts_[l]->knows(word))) ++n;
      // A word only one dictionary knows says more than one every dictionary knows.
      for (std::size_t l = 0; l < kLanguages.size(); ++l)
        if (known[l]) score[l] += 1.0 / n;
    }
    for (std::size_t l = 0; l < kLanguages.size(); ++l) score[l] += 1.5 * w.owned[l];
    add_cld2(text, latin, score);
    score[kRu] = 0;
    std::size_t best = 0;
    double total = 0;
    for (std::size_t l = 0; l < kLanguages.size(); ++l) {
      total += score[l];
      if (score[l] > score[best]) best = l;
    }
    if (total <= 0) return {"", 0.0};
    return {std::string(kLanguages[best]), score[best] / total};
  }

 private:
  // CLD2 knows sentences far better than words: its weight grows with length.
  static void add_cld2(std::string_view text, int words, std::array<double, 5>& score) {
    CLD2::Language langs[3];
    int percent[3];
    int bytes = 0;
    bool reliable = false;
    CLD2::DetectLanguageSummary(text.data(), static_cast<int>(text.size()), true, langs, percent,
                                &bytes, &reliable);
    double weight = std::min(words, 12) * (reliable ? 0.5 : 0.2);
    for (int k = 0; k < 3; ++k) {
      std::string_view code = CLD2::LanguageCode(langs[k]);
      for (std::size_t l = 0; l < kLanguages.size(); ++l)
        if (code == kLanguages[l]) score[l] += weight * percent[k] / 100.0;
    }
  }

  std::vector<std::unique_ptr<Dictionary>> dicts_;
};

}  // namespace

std::unique_ptr<Detector> open_detector(const std::string& dict_dir) {
  return std::make_unique<HunspellCld2Detector>(dict_dir);
}

}  // namespace sb::langid
