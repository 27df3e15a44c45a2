#include "mime/gmime_util.h"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace sb::mime::detail {

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string take_gstr(char* s) {
  GStr owned(s);
  return s ? std::string(s) : std::string();
}

namespace {

const char* warning_name(GMimeParserWarning code) {
  switch (code) {
    case GMIME_WARN_DUPLICATED_HEADER:
      return "duplicated header";
    case GMIME_WARN_DUPLICATED_PARAMETER:
      return "duplicated parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER:
      return "unencoded 8-bit header";
    case GMIME_WARN_INVALID_CONTENT_TYPE:
      return "invalid content type";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
      return "invalid encoded word";
    case GMIME_WARN_MALFORMED_MULTIPART:
      return "malformed multipart";
    case GMIME_WARN_TRUNCATED_MESSAGE:
      return "truncated message";
    case GMIME_WARN_MALFORMED_MESSAGE:
      return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME:
      return "invalid header name";
    case GMIME_CRIT_CONFLICTING_HEADER:
      return "conflicting header";
    case GMIME_CRIT_CONFLICTING_PARAMETER:
      return "conflicting parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      return "multipart without boundary";
    case GMIME_WARN_INVALID_PARAMETER:
      return "invalid parameter";
    case GMIME_WARN_INVALID_ADDRESS_LIST:
      return "invalid address list";
    case GMIME_CRIT_NESTING_OVERFLOW:
      return "nesting too deep";
    case GMIME_WARN_PART_WITHOUT_CONTENT:
      return "part without content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      return "part without headers or content";
  }
  return "parser warning";
}

// Warnings about sloppy but readable mail (8-bit headers, duplicates, odd
// encoded words) do not make it broken; lost structure does.
bool breaks_mail(GMimeParserWarning code) {
  switch (code) {
    case GMIME_WARN_INVALID_CONTENT_TYPE:
    case GMIME_WARN_MALFORMED_MULTIPART:
    case GMIME_WARN_TRUNCATED_MESSAGE:
    case GMIME_WARN_MALFORMED_MESSAGE:
    case GMIME_CRIT_INVALID_HEADER_NAME:
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
    case GMIME_CRIT_NESTING_OVERFLOW:
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      return true;
    default:
      return false;
  }
}

void collect_warning(gint64 /*offset*/, GMimeParserWarning code, const gchar* item,
                     gpointer user_data) {
  std::string text = warning_name(code);
  if (item && *item) {
    std::string shown = std::string(item).substr(0, 80);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    text += ": " + shown;
  }
  static_cast<Findings*>(user_data)->add(std::move(text), breaks_mail(code));
}

constexpr std::size_t kMaxWarnings = 50;

}  // namespace

void Findings::add(std::string warning, bool breaks) {
  broken = broken || breaks;
  if (warnings.size() >= kMaxWarnings) return;
  if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end())
    warnings.push_back(std::move(warning));
}

ParserOptions reading_options(Findings* findings) {
  ensure_gmime();
  ParserOptions options(g_mime_parser_options_new());
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain(options.get(), TRUE);
  const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  if (findings)
    g_mime_parser_options_set_warning_callback(options.get(), collect_warning, findings);
  return options;
}

std::string read_stream(GMimeStream* stream, std::size_t limit, bool* truncated) {
  std::string out;
  if (truncated) *truncated = false;
  if (!stream) return out;
  g_mime_stream_reset(stream);
  char buf[8192];
  for (;;) {
    ssize_t n = g_mime_stream_read(stream, buf, sizeof buf);
    if (n <= 0) break;
    std::size_t room = limit - out.size();
    if (static_cast<std::size_t>(n) > room) {
      out.append(buf, room);
      if (truncated) *truncated = true;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string decoded_content(GMimePart* part, std::size_t limit, bool* truncated) {
  if (truncated) *truncated = false;
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  GObj<GMimeStream> sink(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, sink.get());
  return read_stream(sink.get(), limit, truncated);
}

std::string encoded_content(GMimePart* part, std::size_t limit) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  return read_stream(g_mime_data_wrapper_get_stream(content), limit);
}

std::string mime_type_of(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (!type) return "text/plain";
  std::string s = take_gstr(g_mime_content_type_get_mime_type(type));
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s.empty() ? "text/plain" : s;
}

}  // namespace sb::mime::detail
