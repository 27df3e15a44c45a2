// UTF-8 and letters for the five product languages' scripts, shared by search,
// language identification, the intent model and the emotion rules.
#include <string_view>

#include "core/core.h"

namespace sb {
namespace {

// Base letters of lower-case U+00E0..U+00FF ('/' keeps the division sign apart)
// and of U+0100..U+017F, sixteen code points a line.
constexpr std::u32string_view kLatin1Base = U"aaaaaaaceeeeiiiidnooooo\xF7ouuuuyty";
constexpr std::u32string_view kLatinExtABase =
    U"aaaaaaccccccccdd"
    U"ddeeeeeeeeeegggg"
    U"gggghhhhiiiiiiii"
    U"iijjjjkkklllllll"
    U"lllnnnnnnnnnoooo"
    U"oooorrrrrrssssss"
    U"ssttttttuuuuuuuu"
    U"uuuuwwyyyzzzzzzs";
static_assert(kLatin1Base.size() == 0x20 && kLatinExtABase.size() == 0x80);

}  // namespace

char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF8 ? -1 : b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  char32_t cp = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool is_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x400 && c <= 0x4FF);
}

char32_t to_lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c < 0xC0) return c;
  if (c <= 0xDE) return c == 0xD7 ? c : c + 0x20;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    bool even_upper = (c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
    if ((odd_upper && c % 2 == 1) || (even_upper && c % 2 == 0)) return c + 1;
    return c;
  }
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

char32_t without_diacritics(char32_t lower) {
  if (lower >= 0xE0 && lower <= 0xFF) return kLatin1Base[lower - 0xE0];
  if (lower >= 0x100 && lower <= 0x17F) return kLatinExtABase[lower - 0x100];
  if (lower == 0x451) return 0x435;  // ё → е
  return lower;
}

}  // namespace sb
