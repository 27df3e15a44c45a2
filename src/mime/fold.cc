// Fresh text and quoted history, told apart by the shapes mail clients give
// quotes: "> " lines, attribution lines ("On ... wrote:" and its translations),
// and Outlook's separators and header blocks, after which everything is history.
#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "mime/mime.h"
#include "mime/text.h"

namespace sb::mime {

namespace {

// Outlook's plain text marks header names bold with asterisks: "*From:* ...".
std::string_view unbold(std::string_view s) {
  s = trim(s);
  while (!s.empty() && s.front() == '*') s.remove_prefix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_quote(std::string_view line) {
  std::string_view t = trim(line);
  return !t.empty() && t.front() == '>';
}

bool is_blank(std::string_view line) {
  return trim(line).empty();
}

enum class Attribution { kNone, kWeak, kStrong };

// "On <date>, <name> wrote:" and the forms of it in Italian, Russian, Hungarian
// and Polish clients. Weak: a bare "... wrote:", which counts only before quotes.
Attribution attribution(std::string_view line) {
  std::string_view t = trim(line);
  if (t.size() > 400 || t.empty() || t.back() != ':') return Attribution::kNone;
  std::string low = lower(t);
  if ((starts_with(low, "on ") && ends_with(low, "wrote:")) ||
      (starts_with(low, "il ") && ends_with(low, "ha scritto:")) ||
      (starts_with(low, "le ") && ends_with(low, "a écrit:")))
    return Attribution::kStrong;
  static const std::array<std::string_view, 9> kEndings = {
      "написал(а):", "написал:",  "написала:",   "írta:",   "napisał(a):",
      "napisał:",    "napisała:", "ha scritto:", "schrieb:"};
  for (auto ending : kEndings)
    if (ends_with(t, ending)) return Attribution::kStrong;
  // Hungarian Gmail: "<name> <address> ezt írta (időpont: <date>):"
  if (t.find(" ezt írta (") != std::string_view::npos) return Attribution::kStrong;
  // Gmail in some languages writes only "<date>, <name> <address>:".
  if (ends_with(low, "wrote:") || ends_with(t, "пишет:") || ends_with(t, "pisze:") ||
      (ends_with(t, ">:") && t.find('@') != std::string_view::npos))
    return Attribution::kWeak;
  return Attribution::kNone;
}

bool is_separator(std::string_view line) {
  std::string_view t = trim(line);
  if (t.size() < 10 || t.size() > 120) return false;
  std::string low = lower(t);
  if (!starts_with(low, "--") && !starts_with(low, "__")) return false;
  static const std::array<std::string_view, 9> kNames = {
      "original message",        "messaggio originale",  "исходное сообщение",
      "eredeti üzenet",          "oryginalna wiadomość", "wiadomość oryginalna",
      "ursprüngliche nachricht", "message d'origine",    "Исходное сообщение"};
  return std::any_of(kNames.begin(), kNames.end(),
                     [&](std::string_view n) { return low.find(n) != std::string::npos; });
}

bool is_underscore_rule(std::string_view line) {
  std::string_view t = trim(line);
  return t.size() >= 10 && std::all_of(t.begin(), t.end(), [](char c) { return c == '_'; });
}

// "From: ..." followed within a few lines by "Sent: ..." (or the date), in the
// languages our customers' Outlooks speak.
bool header_block_at(const std::vector<std::string_view>& lines, std::size_t i) {
  static const std::array<std::string_view, 7> kFrom = {
      "From:", "Da:", "От:", "Feladó:", "Od:", "Von:", "De:"};
  static const std::array<std::string_view, 12> kSent = {
      "Sent:", "Inviato:", "Отправлено:", "Elküldve:", "Wysłano:", "Date:",
      "Data:", "Дата:",    "Dátum:",      "Gesendet:", "Envoyé:",  "Küldve:"};
  std::string_view first = unbold(lines[i]);
  if (!std::any_of(kFrom.begin(), kFrom.end(), [&](auto p) { return starts_with(first, p); }))
    return false;
  for (std::size_t j = i + 1; j < lines.size() && j <= i + 4; ++j) {
    std::string_view next = unbold(lines[j]);
    if (std::any_of(kSent.begin(), kSent.end(), [&](auto p) { return starts_with(next, p); }))
      return true;
  }
  return false;
}

std::size_t next_non_blank(const std::vector<std::string_view>& lines, std::size_t i) {
  while (i < lines.size() && is_blank(lines[i])) ++i;
  return i;
}

// An attribution line, or one wrapped over two lines: how many lines it takes.
std::pair<std::size_t, Attribution> attribution_at(const std::vector<std::string_view>& lines,
                                                   std::size_t i) {
  if (auto a = attribution(lines[i]); a != Attribution::kNone) return {1, a};
  if (i + 1 < lines.size() && !is_blank(lines[i + 1]) && lines[i].size() < 300) {
    std::string joined = std::string(trim(lines[i])) + " " + std::string(trim(lines[i + 1]));
    if (auto a = attribution(joined); a == Attribution::kStrong) return {2, a};
  }
  return {0, Attribution::kNone};
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

std::vector<bool> quoted_lines(const std::vector<std::string_view>& lines) {
  std::vector<bool> quoted(lines.size(), false);
  auto rest = [&](std::size_t from) {
    std::fill(quoted.begin() + static_cast<std::ptrdiff_t>(from), quoted.end(), true);
  };
  for (std::size_t i = 0; i < lines.size();) {
    if (is_separator(lines[i]) || header_block_at(lines, i)) {
      std::size_t from = i;
      if (std::size_t prev = i; prev > 0) {
        while (prev > 0 && is_blank(lines[prev - 1])) --prev;
        if (prev > 0 && is_underscore_rule(lines[prev - 1])) from = prev - 1;
      }
      rest(from);
      break;
    }
    auto [length, kind] = attribution_at(lines, i);
    if (length > 0) {
      std::size_t next = next_non_blank(lines, i + length);
      if (next < lines.size() && is_quote(lines[next])) {
        std::fill_n(quoted.begin() + static_cast<std::ptrdiff_t>(i), next - i, true);
        i = next;
        continue;
      }
      if (kind == Attribution::kStrong) {
        rest(i);
        break;
      }
    }
    quoted[i] = is_quote(lines[i]);
    ++i;
  }
  // Blank lines between quoted lines (or after the last) belong to the quote.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!is_blank(lines[i]) || quoted[i] || i == 0 || !quoted[i - 1]) continue;
    std::size_t next = next_non_blank(lines, i);
    if (next == lines.size() || quoted[next])
      for (std::size_t j = i; j < next; ++j) quoted[j] = true;
  }
  return quoted;
}

std::string join(const std::vector<std::string_view>& lines, const std::vector<bool>& quoted,
                 bool want) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (quoted[i] != want) continue;
    out += lines[i];
    out += '\n';
  }
  std::size_t start = 0;
  while (start < out.size() && out[start] == '\n') ++start;
  std::size_t end = out.size();
  while (end > start && std::isspace(static_cast<unsigned char>(out[end - 1]))) --end;
  return out.substr(start, end - start);
}

}  // namespace

FoldedText fold_quoted(std::string_view text) {
  auto lines = split_lines(text);
  auto quoted = quoted_lines(lines);
  return {join(lines, quoted, false), join(lines, quoted, true)};
}

}  // namespace sb::mime
