// Bytes in a declared (or undeclared, or wrongly declared) charset to UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace sb::mime::detail {

struct DecodedText {
  std::string utf8;
  std::string charset;      // the charset actually used
  bool relabelled = false;  // the declared charset did not fit the bytes
  bool lossy = false;       // some bytes could not be decoded and became U+FFFD
};

bool is_valid_utf8(std::string_view bytes);

// Valid UTF-8 stays as it is whatever the label says (a label of us-ascii or
// latin-1 on UTF-8 bytes is the commonest lie); a specific declared charset that
// decodes cleanly is trusted; otherwise the bytes are guessed among windows-1252,
// GB18030 and KOI8-R/windows-1251 by what the decoded text looks like. Never fails.
DecodedText to_utf8(std::string_view bytes, std::string_view declared);

// UTF-8 that was read as Latin-1 once too often ("perchÃ©", from an encoded word
// labelled iso-8859-1 around UTF-8 bytes) back to what was meant ("perché");
// other text unchanged.
std::string undo_double_encoding(const std::string& utf8);

// Removes NUL bytes; says whether there were any.
bool strip_nuls(std::string& text);

}  // namespace sb::mime::detail
