#include "api/zip_writer.h"

#include <zip.h>

#include <cctype>
#include <stdexcept>

#include "core/core.h"

namespace sb {
namespace {

// Same ranges as uploads' name cleaning: U+061C, U+200E/F, U+202A..E, U+2066..9.
std::size_t bidi_control_length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  if (b(0) == 0xD8 && b(1) == 0x9C) return 2;
  if (b(0) != 0xE2) return 0;
  if (b(1) == 0x80 && (b(2) == 0x8E || b(2) == 0x8F || (b(2) >= 0xAA && b(2) <= 0xAE))) return 3;
  if (b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9) return 3;
  return 0;
}

bool forbidden_in_name(unsigned char c) {
  return c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':' || c == '"' || c == '*' ||
         c == '?' || c == '<' || c == '>' || c == '|';
}

// Cuts at most `max` bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max) {
  if (s.size() <= max) return;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
}

std::string clean_part(std::string_view in, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (auto n = bidi_control_length(in, i)) {
      i += n - 1;
      continue;
    }
    auto c = static_cast<unsigned char>(in[i]);
    bool dot_run = c == '.' && !out.empty() && out.back() == '.';
    out.push_back(forbidden_in_name(c) || dot_run ? '_' : static_cast<char>(c));
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(0, 1);
  truncate_utf8(out, max);
  if (!is_valid_utf8(out)) out.clear();
  return out;
}

}  // namespace

std::string safe_zip_name(std::string_view id, std::string_view name) {
  std::string safe_id;
  for (char c : id)
    if (std::isalnum(static_cast<unsigned char>(c))) safe_id.push_back(c);
  if (safe_id.size() > 32) safe_id.resize(32);
  auto base = clean_part(name, 100);
  if (base.empty()) base = "file";
  return (safe_id.empty() ? "x" : safe_id) + "-" + base;
}

ZipWriter::ZipWriter(const std::string& path) {
  int error = 0;
  zip_ = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!zip_)
    throw std::runtime_error("cannot create zip (libzip error " + std::to_string(error) + ")");
}

ZipWriter::~ZipWriter() {
  if (zip_) zip_discard(zip_);
}

void ZipWriter::add(const std::string& name, zip_source_t* source, bool compress) {
  if (!source) throw std::runtime_error(std::string("zip: ") + zip_strerror(zip_));
  auto index = zip_file_add(zip_, name.c_str(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (index < 0) {
    zip_source_free(source);
    throw std::runtime_error(std::string("zip: ") + zip_strerror(zip_));
  }
  zip_set_file_compression(zip_, static_cast<zip_uint64_t>(index),
                           compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
}

void ZipWriter::add_text(const std::string& name, std::string text) {
  const auto& kept = texts_.emplace_back(std::move(text));
  add(name, zip_source_buffer(zip_, kept.data(), kept.size(), 0), true);
}

void ZipWriter::add_file(const std::string& name, const std::string& path) {
  add(name, zip_source_file(zip_, path.c_str(), 0, -1 /* to the end */), false);
}

void ZipWriter::close() {
  if (zip_close(zip_) != 0) throw std::runtime_error(std::string("zip: ") + zip_strerror(zip_));
  zip_ = nullptr;
}

}  // namespace sb
