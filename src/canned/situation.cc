#include <algorithm>

#include "canned/canned.h"

namespace sb::canned {
namespace {

// Folded (lower case, no accents) word starts that say what a text is doing.
constexpr std::string_view kHold[] = {"moment",   "minut",  "attimo", "hold",    "wait",   "attend",
                                      "pillanat", "chwil",  "секунд", "минут",   "подожд", "ожидан",
                                      "türelm",   "turelm", "poczek", "momencik"};
constexpr std::string_view kTransfer[] = {
    "transfer",   "colleague", "collega", "trasfer", "passo",   "коллег",
    "перевед",    "переключ",  "kolleg",  "atkapcs", "przekaz", "przelacz",
    "department", "reparto",   "отдел",   "osztaly", "dzial"};
constexpr std::string_view kNo[] = {"no",          "non",    "нет",           "не",
                                    "nem",         "nie",    "unfortunately", "purtroppo",
                                    "к сожалению", "sajnos", "niestety"};
// Not "ciao": it says hello as often as goodbye.
constexpr std::string_view kThanks[] = {
    "thank",       "thanks", "bye",    "grazie",  "arrivederci", "спасибо", "благодар",
    "до свидания", "köszön", "koszon", "viszlat", "dzieku",      "dziek",   "do widzenia"};

std::string fold(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();)
    append_utf8(out, without_diacritics(to_lower(next_code_point(s, i))));
  return out;
}

bool word_start(const std::string& text, std::size_t at) {
  if (at == 0) return true;
  std::size_t i = at - 1;
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  std::size_t j = i;
  return !is_letter(next_code_point(text, j));
}

// A word of `words` starts somewhere in `text` (folded both).
template <std::size_t N>
bool mentions(const std::string& text, const std::string_view (&words)[N]) {
  for (auto w : words) {
    auto fw = fold(w);
    for (auto at = text.find(fw); at != std::string::npos; at = text.find(fw, at + 1))
      if (word_start(text, at)) return true;
  }
  return false;
}

// The draft opens with a refusal: its first word is one of kNo's, or begins one.
bool opens_with_no(const std::string& draft) {
  auto start = draft.find_first_not_of(" \t\n\"'«„");
  if (start == std::string::npos) return false;
  for (auto w : kNo) {
    auto fw = fold(w);
    if (draft.compare(start, fw.size(), fw) != 0) continue;
    std::size_t end = start + fw.size();
    if (end == draft.size() || !is_letter(next_code_point(draft, end))) return true;
  }
  return false;
}

}  // namespace

bool known_situation(std::string_view s) {
  return std::find(std::begin(kSituations), std::end(kSituations), s) != std::end(kSituations);
}

std::string_view suggest_situation(bool agent_has_written, std::string_view last_customer_message,
                                   std::string_view draft) {
  if (!agent_has_written) return "greeting";
  auto d = fold(draft);
  if (mentions(d, kTransfer)) return "transfer";
  if (mentions(d, kHold)) return "hold";
  if (opens_with_no(d)) return "saying_no";
  if (mentions(fold(last_customer_message), kThanks)) return "closing";
  return "information";
}

}  // namespace sb::canned
