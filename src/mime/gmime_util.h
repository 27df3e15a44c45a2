// GMime and GLib plumbing shared by the reader and the writer: one-time
// initialisation, owning handles, and streams from and to std::string.
#pragma once

#include <gmime/gmime.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sb::mime::detail {

// g_mime_init exactly once per process, from any thread.
void ensure_gmime();

struct ObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using GObj = std::unique_ptr<T, ObjectUnref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
using GStr = std::unique_ptr<char, GFree>;

// Takes ownership of a g_malloc'd string; "" for null.
std::string take_gstr(char* s);

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* o) const { g_mime_parser_options_free(o); }
};
using ParserOptions = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

// What went wrong while reading one mail, in words; `broken` when some of it
// could not be read as declared.
struct Findings {
  std::vector<std::string> warnings;
  bool broken = false;
  void add(std::string warning, bool breaks);
};

// Loose RFC compliance (the workarounds for broken encoded words, addresses and
// parameters), UTF-8 then windows-1252 for raw 8-bit header bytes, and parser
// warnings collected into `findings` (which must outlive the options).
ParserOptions reading_options(Findings* findings);

// The bytes of `stream` from its start, at most `limit`; `truncated` says if more.
std::string read_stream(GMimeStream* stream, std::size_t limit, bool* truncated = nullptr);

// A part's content with its transfer encoding (base64, quoted-printable...) undone.
std::string decoded_content(GMimePart* part, std::size_t limit, bool* truncated = nullptr);

// A part's content as it stands in the mail, still transfer-encoded.
std::string encoded_content(GMimePart* part, std::size_t limit);

// "type/subtype", lower-case; "text/plain" when the part has none.
std::string mime_type_of(GMimeObject* object);

}  // namespace sb::mime::detail
