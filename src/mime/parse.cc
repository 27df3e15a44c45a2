// Reading one mail: headers to values, then one walk over the MIME tree that
// picks the body (plain text preferred, HTML kept sanitised), lists attachments
// and reads delivery reports.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "mime/bounce.h"
#include "mime/charset.h"
#include "mime/gmime_util.h"
#include "mime/headers.h"
#include "mime/mime.h"

namespace sb::mime {

using namespace detail;

namespace {

constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxParts = 1000;
constexpr std::size_t kMaxReferences = 100;
constexpr std::size_t kMaxPartBytes = 64 * 1024 * 1024;
constexpr std::size_t kMaxFilenameBytes = 255;

bool equals_ci(const char* a, std::string_view b) {
  return a && std::strlen(a) == b.size() && g_ascii_strncasecmp(a, b.data(), b.size()) == 0;
}

// A mail starts with header fields ("Name: value"), perhaps after an mbox
// "From " line, and names at least one field every mail has.
bool looks_like_mail(std::string_view raw) {
  if (raw.rfind("From ", 0) == 0) {
    auto nl = raw.find('\n');
    raw = nl == std::string_view::npos ? std::string_view() : raw.substr(nl + 1);
  }
  static constexpr std::string_view kKnown[] = {
      "from",     "to",           "subject",      "date",         "message-id",
      "received", "return-path",  "mime-version", "content-type", "sender",
      "reply-to", "delivered-to", "cc",           "in-reply-to",  "references"};
  bool first = true;
  for (std::size_t pos = 0, lines = 0; pos < raw.size() && lines < 500; ++lines) {
    std::size_t end = raw.find('\n', pos);
    std::string_view line = raw.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? raw.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') continue;
    std::size_t colon = line.find(':');
    bool field = colon != std::string_view::npos && colon > 0 && colon < 100 &&
                 std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                             [](unsigned char c) { return c > 32 && c < 127; });
    if (first && !field) return false;
    first = false;
    if (!field) continue;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(std::begin(kKnown), std::end(kKnown), name) != std::end(kKnown)) return true;
  }
  return false;
}

std::string unix_newlines(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Cuts at a character boundary of valid UTF-8.
std::string utf8_prefix(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s;
}

// The name to show and save under: no directories, no control characters.
std::string clean_filename(const char* raw) {
  if (!raw) return {};
  std::string name = raw;
  if (!is_valid_utf8(name)) name = to_utf8(name, "").utf8;
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name.erase(0, slash + 1);
  name.erase(std::remove_if(name.begin(), name.end(),
                            [](unsigned char c) { return c < 0x20 || c == 0x7F; }),
             name.end());
  if (name == "." || name == "..") name.clear();
  return utf8_prefix(name, kMaxFilenameBytes);
}

// RFC 3676: a line ending in a space continues on the next one (the space goes
// too with DelSp=yes); a leading space was added only to protect the line.
std::string unflow(const std::string& text, bool delete_space) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    std::size_t depth = 0;
    while (depth < line.size() && line[depth] == '>') ++depth;
    std::string_view body = line.substr(depth);
    if (!body.empty() && body[0] == ' ') body.remove_prefix(1);
    bool soft = !body.empty() && body.back() == ' ' && body != "-- ";
    if (soft && delete_space) body.remove_suffix(1);
    bool continues_quote = !out.empty() && out.back() != '\n';
    if (!continues_quote && depth > 0) out += std::string(depth, '>') + " ";
    out += body;
    if (!soft && end < text.size()) out += '\n';
    pos = end + 1;
  }
  return out;
}

bool is_bad_base64(std::string_view encoded) {
  // A table: attachments are most of a mail's bytes, and this looks at each.
  static const auto kAllowed = [] {
    std::array<bool, 256> allowed{};
    for (unsigned char c : std::string_view("+/= \t\r\n\v\f")) allowed[c] = true;
    for (int c = 0; c < 256; ++c) allowed[c] = allowed[c] || std::isalnum(c);
    return allowed;
  }();
  return std::any_of(encoded.begin(), encoded.end(),
                     [](unsigned char c) { return !kAllowed[c]; });
}

struct Walk {
  GMimeParserOptions* options;
  Findings& findings;
  ParsedMail& mail;
  std::size_t parts = 0;
  bool has_plain = false, has_html = false;
  std::string plain, html;
  std::optional<Bounce> report;  // from a message/delivery-status part
  std::string enclosed_message_id;

  void walk(GMimeObject* object, int depth, bool in_alternative);
  void multipart(GMimeMultipart* multipart, int depth);
  void message_part(GMimeMessagePart* part, int depth);
  void leaf(GMimePart* part, int depth, bool in_alternative);
  std::string text_of(GMimePart* part);
  void add_attachment(GMimePart* part, const std::string& type, const std::string& data);
};

void Walk::walk(GMimeObject* object, int depth, bool in_alternative) {
  if (!object) return;
  if (++parts > kMaxParts) {
    if (parts == kMaxParts + 1) findings.add("more than 1000 parts: the rest is ignored", true);
    return;
  }
  if (depth > kMaxDepth) {
    findings.add("parts nested deeper than 32: ignored", true);
    return;
  }
  if (GMIME_IS_MULTIPART(object))
    multipart(GMIME_MULTIPART(object), depth);
  else if (GMIME_IS_MESSAGE_PART(object))
    message_part(GMIME_MESSAGE_PART(object), depth);
  else if (GMIME_IS_PART(object))
    leaf(GMIME_PART(object), depth, in_alternative);
}

void Walk::multipart(GMimeMultipart* multipart, int depth) {
  int count = g_mime_multipart_get_count(multipart);
  if (count == 0) findings.add("multipart without parts", true);
  bool alternative = mime_type_of(GMIME_OBJECT(multipart)) == "multipart/alternative";
  for (int i = 0; i < count; ++i)
    walk(g_mime_multipart_get_part(multipart, i), depth + 1, alternative);
}

// A mail inside the mail (forwarded, or the original of a bounce): an attachment.
void Walk::message_part(GMimeMessagePart* part, int /*depth*/) {
  GMimeObject* object = GMIME_OBJECT(part);
  std::string type = mime_type_of(object);
  GMimeMessage* inner = g_mime_message_part_get_message(part);
  std::string data;
  if (inner) {
    data = take_gstr(g_mime_object_to_string(GMIME_OBJECT(inner), nullptr));
    if (const char* id = g_mime_message_get_message_id(inner); id && enclosed_message_id.empty())
      enclosed_message_id = id;
  }
  if (type == "message/delivery-status" || type == "message/global-delivery-status") {
    report = read_delivery_status(data);
    return;
  }
  Attachment a;
  a.filename = clean_filename(g_mime_object_get_content_disposition_parameter(object, "filename"));
  if (a.filename.empty() && inner) {
    const char* subject = g_mime_message_get_subject(inner);
    a.filename = clean_filename(subject && *subject ? subject : "message");
    a.filename = utf8_prefix(a.filename, 100) + ".eml";
  }
  a.content_type = type;
  a.size = static_cast<std::int64_t>(data.size());
  a.data = std::move(data);
  mail.attachments.push_back(std::move(a));
}

std::string Walk::text_of(GMimePart* part) {
  bool truncated = false;
  std::string bytes = decoded_content(part, kMaxPartBytes, &truncated);
  if (truncated) findings.add("text part over 64 MB: cut", true);
  if (strip_nuls(bytes)) findings.add("NUL bytes in a text part: removed", true);
  const char* declared = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  DecodedText decoded = to_utf8(bytes, declared ? declared : "");
  if (decoded.relabelled)
    findings.add(
        "text labelled " + std::string(declared ? declared : "") + " read as " + decoded.charset,
        false);
  if (decoded.lossy) findings.add("bytes that no charset explains: replaced", true);
  std::string text = unix_newlines(std::move(decoded.utf8));
  const char* format = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "format");
  if (format && g_ascii_strcasecmp(format, "flowed") == 0) {
    const char* delsp = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "delsp");
    text = unflow(text, delsp && g_ascii_strcasecmp(delsp, "yes") == 0);
  }
  return text;
}

void Walk::add_attachment(GMimePart* part, const std::string& type, const std::string& data) {
  GMimeObject* object = GMIME_OBJECT(part);
  Attachment a;
  a.filename = clean_filename(g_mime_part_get_filename(part));
  a.content_type = type;
  const char* id = g_mime_object_get_content_id(object);
  a.content_id = id ? utf8_prefix(to_utf8(id, "").utf8, 998) : "";
  const char* disposition = g_mime_object_get_disposition(object);
  a.inline_part = equals_ci(disposition, "inline") ||
                  (!equals_ci(disposition, "attachment") && !a.content_id.empty());
  a.size = static_cast<std::int64_t>(data.size());
  a.data = data;
  mail.attachments.push_back(std::move(a));
}

void Walk::leaf(GMimePart* part, int depth, bool in_alternative) {
  GMimeObject* object = GMIME_OBJECT(part);
  std::string type = mime_type_of(object);
  if (g_mime_part_get_content_encoding(part) == GMIME_CONTENT_ENCODING_BASE64 &&
      is_bad_base64(encoded_content(part, kMaxPartBytes)))
    findings.add("invalid base64 in a " + type + " part: decoded what could be", true);
  const char* disposition = g_mime_object_get_disposition(object);
  const char* filename = g_mime_part_get_filename(part);
  // A named text part is a file, unless it is the whole mail and not marked
  // as an attachment: then it is what the sender wrote.
  bool body = (type == "text/plain" || type == "text/html") &&
              !equals_ci(disposition, "attachment") && (depth == 0 || !(filename && *filename));
  if (body) {
    bool plain = type == "text/plain";
    std::string& into = plain ? this->plain : html;
    bool& seen = plain ? has_plain : has_html;
    std::string text = text_of(part);
    if (!seen)
      into = std::move(text);
    else if (!in_alternative)
      into += (plain ? "\n\n" : "<hr>") + text;
    seen = true;
    return;
  }
  bool truncated = false;
  std::string data = decoded_content(part, kMaxPartBytes, &truncated);
  if (truncated) findings.add("part over 64 MB: cut", true);
  if (type == "message/delivery-status" || type == "message/global-delivery-status") {
    report = read_delivery_status(data);
  } else if (type == "text/rfc822-headers" && enclosed_message_id.empty()) {
    std::string headers = data.substr(0, 64 * 1024);
    auto lower = headers;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (auto at = lower.find("\nmessage-id:"); at != std::string::npos) {
      auto ids = message_ids(headers.substr(at + 12, headers.find('\n', at + 1) - at - 12), 1);
      if (!ids.empty()) enclosed_message_id = ids[0];
    }
  }
  add_attachment(part, type, data);
}

void read_headers(GMimeMessage* message, GMimeParserOptions* options, ParsedMail& mail) {
  GMimeObject* object = GMIME_OBJECT(message);
  mail.subject = utf8_prefix(decode_text(options, raw_header(object, "Subject")), 4000);
  auto from = parse_addresses(options, raw_header(object, "From"));
  if (from.empty()) from = parse_addresses(options, raw_header(object, "Sender"));
  if (!from.empty()) mail.from = from.front();
  mail.to = parse_addresses(options, all_headers(object, "To"));
  mail.cc = parse_addresses(options, all_headers(object, "Cc"));
  mail.reply_to = parse_addresses(options, raw_header(object, "Reply-To"));
  auto id = message_ids(raw_header(object, "Message-ID"), 1);
  if (!id.empty()) mail.message_id = id[0];
  auto in_reply_to = message_ids(raw_header(object, "In-Reply-To"), kMaxReferences);
  if (!in_reply_to.empty()) mail.in_reply_to = in_reply_to[0];
  mail.references = message_ids(raw_header(object, "References"), kMaxReferences);
  std::string date = raw_header(object, "Date");
  mail.date_ms = date_ms(date);
  if (mail.date_ms) mail.date_iso = iso8601(*mail.date_ms);
  mail.thread_index = utf8_prefix(to_utf8(raw_header(object, "Thread-Index"), "").utf8, 1000);
  mail.thread_topic = utf8_prefix(decode_text(options, raw_header(object, "Thread-Topic")), 4000);
  auto list = message_ids(raw_header(object, "List-Id"), 1);
  std::string list_raw = raw_header(object, "List-Id");
  mail.list_id = !list.empty() ? list[0] : utf8_prefix(to_utf8(list_raw, "").utf8, 1000);
  mail.auto_reply = is_auto_reply(object, mail.subject);
}

// GMime builds the whole tree before the walk counts parts, at some hundreds of
// bytes per part, header field and address: 25 MB of empty parts, of one-line
// header fields or of addresses in one Cc took 0.7 to 1.6 GB. So the input is cut
// first where its top header block, one of its fields, or its boundary-like lines
// ("--...") grow past what any real mail has; what is cut is noted, and the mail
// is broken.
constexpr std::size_t kMaxDashLines = 20 * kMaxParts;
constexpr std::size_t kMaxHeaderLines = 10'000;
constexpr std::size_t kMaxFieldBytes = 256 * 1024;

// Calls `fn(line, start)` for each line (with its end of line) until it returns false.
template <class Fn>
void each_line(std::string_view raw, Fn fn) {
  for (std::size_t pos = 0; pos < raw.size();) {
    std::size_t end = raw.find('\n', pos);
    end = end == std::string_view::npos ? raw.size() : end + 1;
    if (!fn(raw.substr(pos, end - pos), pos)) return;
    pos = end;
  }
}

// The top header block, its first 10,000 lines and each field's first 256 KB of
// them, then the body: `raw` itself if nothing is over, else rebuilt in `kept`.
std::string_view header_bounded(std::string_view raw, std::string& kept, Findings& findings) {
  bool over = false;
  auto scan = [&](auto keep) {
    std::size_t lines = 0, field = 0;
    each_line(raw, [&](std::string_view line, std::size_t start) {
      if (line == "\n" || line == "\r\n") {
        keep(raw.substr(start));
        return false;
      }
      if (++lines > kMaxHeaderLines) {
        over = true;
        return true;
      }
      if (line[0] != ' ' && line[0] != '\t') field = 0;
      if (field >= kMaxFieldBytes) {
        over = true;
      } else if (field + line.size() > kMaxFieldBytes) {
        over = true;
        keep(line.substr(0, kMaxFieldBytes - field));
        keep("\n");
      } else {
        keep(line);
      }
      field += line.size();
      return true;
    });
  };
  scan([](std::string_view) {});
  if (!over) return raw;
  findings.add("header fields over 10000 lines or 256 KB: the rest is ignored", true);
  scan([&](std::string_view part) { kept.append(part); });
  return kept;
}

std::string_view bounded(std::string_view raw, std::string& kept, Findings& findings) {
  raw = header_bounded(raw, kept, findings);
  std::size_t dashes = 0, cut = std::string_view::npos;
  each_line(raw, [&](std::string_view line, std::size_t start) {
    if (line.starts_with("--") && ++dashes > kMaxDashLines) {
      cut = start;
      return false;
    }
    return true;
  });
  if (cut == std::string_view::npos) return raw;
  findings.add("more than 20000 boundary lines: the rest is ignored", true);
  return raw.substr(0, cut);
}

bool has_body_separator(std::string_view raw) {
  return raw.find("\n\n") != std::string_view::npos ||
         raw.find("\r\n\r\n") != std::string_view::npos;
}

void finish_body(Walk& w, ParsedMail& mail) {
  bool plain_empty =
      std::all_of(w.plain.begin(), w.plain.end(), [](unsigned char c) { return std::isspace(c); });
  if (w.has_plain && !(plain_empty && w.has_html))
    mail.text = std::move(w.plain);
  else if (w.has_html)
    mail.text = html_to_text(w.html);
  if (w.has_html) mail.html = sanitize_html(w.html);
}

void finish_bounce(Walk& w, ParsedMail& mail, GMimeObject* message, GMimeObject* body) {
  bool report = body && mime_type_of(body) == "multipart/report";
  if (w.report || (report && looks_like_bounce(mail.from, mail.subject)))
    mail.bounce = w.report.value_or(Bounce{});
  else if (looks_like_bounce(mail.from, mail.subject))
    mail.bounce = Bounce{};
  if (!mail.bounce) return;
  if (mail.bounce->original_message_id.empty())
    mail.bounce->original_message_id = w.enclosed_message_id;
  if (mail.bounce->recipient.empty()) {  // Exim names them in a header
    auto failed = message_ids(raw_header(message, "X-Failed-Recipients"), 1);
    if (!failed.empty()) mail.bounce->recipient = failed[0];
  }
  complete_from_text(*mail.bounce, mail.text, mail.from.address);
}

}  // namespace

std::optional<ParsedMail> parse(std::string_view raw, std::string* error) {
  if (!looks_like_mail(raw)) {
    if (error) *error = raw.empty() ? "empty input" : "not a mail: no header fields";
    return std::nullopt;
  }
  ensure_gmime();
  Findings findings;
  std::string kept;
  raw = bounded(raw, kept, findings);
  ParserOptions options = reading_options(&findings);
  GObj<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GObj<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GObj<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) {
    if (error) *error = "not a mail: the parser found no message";
    return std::nullopt;
  }
  ParsedMail mail;
  read_headers(message.get(), options.get(), mail);
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  if (!body || !has_body_separator(raw)) findings.add("no body", true);
  Walk w{options.get(), findings, mail};
  w.walk(body, 0, false);
  finish_body(w, mail);
  finish_bounce(w, mail, GMIME_OBJECT(message.get()), body);
  mail.broken = findings.broken;
  mail.warnings = std::move(findings.warnings);
  return mail;
}

}  // namespace sb::mime
