// How static files travel: precompressed siblings (.br, .gz written by
// web/build.mjs) for clients that take them, validators for revalidation, and
// how long a cache may keep each file (hashed names are immutable).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>

#include "api/static_files.h"

namespace sb {

namespace fs = std::filesystem;

bool accepts_encoding(std::string_view header, std::string_view coding) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = item.find(';');
    auto name = item.substr(0, semi);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    bool same = name.size() == coding.size() &&
                std::equal(name.begin(), name.end(), coding.begin(), [](char a, char b) {
                  return std::tolower(static_cast<unsigned char>(a)) == b;
                });
    if (!same) continue;
    // "br;q=0" refuses it; any other weight takes it.
    auto params = semi == std::string_view::npos ? std::string_view{} : item.substr(semi + 1);
    std::string p(params);
    p.erase(std::remove(p.begin(), p.end(), ' '), p.end());
    static const std::regex kZero("q=0(\\.0{0,3})?");
    return !std::regex_match(p, kZero);
  }
  return false;
}

std::string static_etag(const fs::path& file, std::string_view coding) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  auto mtime = fs::last_write_time(file, ec).time_since_epoch().count();
  char buf[80];
  std::snprintf(buf, sizeof buf, "\"%llx-%llx%s%.*s\"", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(mtime), coding.empty() ? "" : "-",
                static_cast<int>(coding.size()), coding.data());
  return buf;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match == "*") return true;
  // A list of tags, weak ones (W/"...") compared by their opaque part.
  std::size_t at = 0;
  while ((at = if_none_match.find(etag, at)) != std::string_view::npos) {
    auto end = at + etag.size();
    bool starts = at == 0 || if_none_match[at - 1] == ' ' || if_none_match[at - 1] == ',' ||
                  if_none_match[at - 1] == '/';
    bool ends =
        end == if_none_match.size() || if_none_match[end] == ',' || if_none_match[end] == ' ';
    if (starts && ends) return true;
    at = end;
  }
  return false;
}

std::string static_cache_control(const fs::path& file) {
  auto name = file.filename().string();
  if (file.extension() == ".html") return "no-cache";
  // esbuild's content hash in the name (console-5XK2QF7A.js, chunks/chart-ABCD1234.js).
  static const std::regex kHashed(".*-[A-Z0-9]{8}\\.(js|css)");
  if (std::regex_match(name, kHashed)) return "public, max-age=31536000, immutable";
  // The widget and the demo: embedded under a fixed name, so kept briefly and revalidated.
  return "public, max-age=300";
}

}  // namespace sb
