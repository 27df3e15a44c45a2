// Private to api/: mapping request paths to files under the web root.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sb {

// The existing file a request path names under `root` (canonical), resolved through
// every symlink; nullopt unless it stays inside `root` and outside `forbidden` (the data
// directory; empty = none) and static_relative_path accepts it.
std::optional<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                         std::string_view url_path,
                                                         const std::filesystem::path& forbidden);
// The request path as a relative path (decoded, "." and empty segments dropped);
// nullopt if refused: a bad escape, NUL, backslash, or a segment starting with '.'.
std::optional<std::filesystem::path> static_relative_path(std::string_view url_path);
// Whether `p` is `root` or below it, comparing whole path components.
bool is_within(const std::filesystem::path& root, const std::filesystem::path& p);
// Strict %XX decoding for paths ('+' stays '+'); nullopt on a malformed escape.
std::optional<std::string> percent_decode_path(std::string_view s);

// static_cache.cc
// Whether an Accept-Encoding header takes `coding` (lower case), "q=0" refusing it.
bool accepts_encoding(std::string_view header, std::string_view coding);
// A strong validator of the file as sent in `coding` ("" for identity).
std::string static_etag(const std::filesystem::path& file, std::string_view coding);
// Whether an If-None-Match header names `etag` (or is "*").
bool etag_matches(std::string_view if_none_match, std::string_view etag);
// Cache-Control for a static file: hashed names immutable, HTML revalidated.
std::string static_cache_control(const std::filesystem::path& file);

}  // namespace sb
