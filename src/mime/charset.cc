#include "mime/charset.h"

#include <glib.h>
#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "mime/text.h"

namespace sb::mime::detail {

namespace {

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

// Labels whose bytes are in practice read as a superset (as browsers do).
std::string superset_of(const std::string& label) {
  if (label == "gb2312" || label == "gbk" || label == "x-gbk" || label == "cp936" ||
      label == "euc-cn" || label == "x-euc-cn" || label == "chinese")
    return "GB18030";
  if (label == "ks_c_5601-1987" || label == "euc-kr" || label == "ks_c_5601") return "CP949";
  if (label == "iso-8859-1" || label == "latin1" || label == "us-ascii" || label == "ascii" ||
      label == "iso_8859-1" || label == "l1")
    return "windows-1252";
  if (label == "iso-8859-9") return "windows-1254";
  if (label == "shift_jis" || label == "x-sjis" || label == "sjis") return "CP932";
  if (label == "utf8") return "UTF-8";
  return label;
}

// Labels that say nothing about which non-ASCII bytes follow.
bool is_generic_label(const std::string& label) {
  return label.empty() || label == "us-ascii" || label == "ascii" || label == "iso-8859-1" ||
         label == "latin1" || label == "utf-8" || label == "utf8" || label == "windows-1252" ||
         label == "cp1252" || label == "unknown-8bit" || label == "x-unknown" ||
         label == "default" || label == "unknown";
}

std::optional<std::string> convert_strict(std::string_view bytes, const std::string& from) {
  const char* iconv_name = g_mime_charset_iconv_name(from.c_str());
  gsize written = 0;
  GError* error = nullptr;
  gchar* out = g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8",
                         iconv_name ? iconv_name : from.c_str(), nullptr, &written, &error);
  if (error) {
    g_error_free(error);
    g_free(out);
    return std::nullopt;
  }
  std::string result(out, written);
  g_free(out);
  return result;
}

void append_code_point(std::string& out, unsigned cp) {
  char buf[6];
  int n = g_unichar_to_utf8(cp, buf);
  out.append(buf, static_cast<std::size_t>(n));
}

// windows-1252 by table: defined for every byte, so the last resort never fails.
std::string from_windows_1252(std::string_view bytes, bool* lossy) {
  static constexpr std::array<unsigned, 32> k80 = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    unsigned cp = c < 0xA0 ? k80[c - 0x80] : c;
    if (cp == 0xFFFD) *lossy = true;
    append_code_point(out, cp);
  }
  return out;
}

struct Shape {
  std::size_t high = 0, ascii_letters = 0;
};
Shape shape_of(std::string_view bytes) {
  Shape s;
  for (unsigned char c : bytes) {
    if (c >= 0x80)
      ++s.high;
    else if (std::isalpha(c))
      ++s.ascii_letters;
  }
  return s;
}

// Share of the non-ASCII characters of `utf8` that satisfy `test`.
template <class Test>
double share_of(const std::string& utf8, Test test) {
  std::size_t total = 0, hits = 0;
  for (const char* p = utf8.c_str(); *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c < 0x80) continue;
    ++total;
    if (test(c)) ++hits;
  }
  return total ? static_cast<double>(hits) / static_cast<double>(total) : 0.0;
}

bool is_cjk(gunichar c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x3400 && c <= 0x4DBF);
}
bool is_lower_cyrillic(gunichar c) {
  return (c >= 0x0430 && c <= 0x044F) || c == 0x0451;
}

std::optional<DecodedText> guess_cyrillic(std::string_view bytes) {
  auto koi8 = convert_strict(bytes, "KOI8-R");
  auto cp1251 = convert_strict(bytes, "windows-1251");
  double koi8_lower = koi8 ? share_of(*koi8, is_lower_cyrillic) : 0;
  double cp1251_lower = cp1251 ? share_of(*cp1251, is_lower_cyrillic) : 0;
  if (std::max(koi8_lower, cp1251_lower) < 0.5) return std::nullopt;
  if (koi8_lower >= cp1251_lower) return DecodedText{std::move(*koi8), "KOI8-R"};
  return DecodedText{std::move(*cp1251), "windows-1251"};
}

// Russian in KOI8-R or windows-1251 is nearly all bytes from 0xC0 up (the
// letters); GB2312/GBK puts a third of its bytes below that. Short Russian
// words also decode as GB18030, so the byte shape decides first.
std::optional<DecodedText> guess_non_latin(std::string_view bytes) {
  std::size_t high = 0, letters = 0;
  for (unsigned char c : bytes) {
    if (c < 0x80) continue;
    ++high;
    if (c >= 0xC0 || c == 0xA3 || c == 0xB3 || c == 0xA8 || c == 0xB8) ++letters;
  }
  if (letters * 10 >= high * 9) {
    if (auto cyrillic = guess_cyrillic(bytes)) return cyrillic;
  }
  if (auto gb = convert_strict(bytes, "GB18030"); gb && share_of(*gb, is_cjk) >= 0.8)
    return DecodedText{std::move(*gb), "GB18030"};
  return guess_cyrillic(bytes);
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  if (bytes.find('\0') != std::string_view::npos) return false;
  return g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr);
}

std::string undo_double_encoding(const std::string& utf8) {
  if (!is_valid_utf8(utf8)) return utf8;
  std::string bytes;
  bool high = false;
  for (const char* p = utf8.c_str(); *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c > 0xFF) return utf8;
    high = high || c >= 0x80;
    bytes.push_back(static_cast<char>(c));
  }
  return high && is_valid_utf8(bytes) ? bytes : utf8;
}

bool strip_nuls(std::string& text) {
  auto end = std::remove(text.begin(), text.end(), '\0');
  bool had = end != text.end();
  text.erase(end, text.end());
  return had;
}

DecodedText to_utf8(std::string_view bytes, std::string_view declared) {
  std::string label = lower(declared);
  if (is_ascii(bytes) && label.find("utf-7") == std::string::npos &&
      label.find("2022") == std::string::npos && label.find("hz") == std::string::npos)
    return {std::string(bytes), label.empty() ? "us-ascii" : label};
  if (!is_ascii(bytes) && is_valid_utf8(bytes))
    return {std::string(bytes), "UTF-8", !label.empty() && label != "utf-8" && label != "utf8"};
  std::string wanted = superset_of(label);
  if (!is_generic_label(label) || wanted != "windows-1252") {
    if (auto text = convert_strict(bytes, wanted)) return {std::move(*text), wanted};
  }
  Shape shape = shape_of(bytes);
  bool latin = shape.high * 10 < (shape.high + shape.ascii_letters) * 3;
  if (!latin) {
    if (auto guess = guess_non_latin(bytes)) {
      guess->relabelled = !label.empty();
      return std::move(*guess);
    }
  }
  DecodedText out;
  out.charset = "windows-1252";
  out.utf8 = from_windows_1252(bytes, &out.lossy);
  out.relabelled =
      !label.empty() && (wanted != "windows-1252" || label == "us-ascii" || label == "ascii");
  return out;
}

}  // namespace sb::mime::detail
