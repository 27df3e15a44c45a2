// Language identification for the five product languages (en, it, ru, hu, pl),
// built for what chat messages are: often two or three words. Three pieces of
// evidence, all from Debian packages (no model downloads): the script
// (Cyrillic is Russian here), letters only one language uses (ł ą ę → pl,
// ő ű → hu, à ì ò ù → it), which languages' hunspell dictionaries accept each
// word (with their affix rules, so word forms count), and CLD2's scores, which
// take over as the text gets longer. Thread-safe after open().
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace sb::langid {

struct Detection {
  std::string language;     // en | it | ru | hu | pl; empty when there is nothing to go on
  double confidence = 0.0;  // 0..1: the winner's share of the evidence
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual Detection detect(std::string_view utf8_text) const = 0;
};

// Loads the dictionaries from dict_dir (Debian: /usr/share/hunspell); throws
// std::runtime_error naming the missing file.
std::unique_ptr<Detector> open_detector(const std::string& dict_dir = "/usr/share/hunspell");

}  // namespace sb::langid
