// Our mail out: GMime builds the structure and picks the encodings, so headers
// come out RFC 2047-encoded and folded, parameters RFC 2231, bodies 7-bit.
#include <algorithm>
#include <cctype>
#include <set>

#include "mime/gmime_util.h"
#include "mime/mime.h"

namespace sb::mime {

using namespace detail;

namespace {

// No CR, LF or NUL may reach a header: they would start a header of their own.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\t')
      out.push_back(' ');
    else if (c != '\0')
      out.push_back(c);
  }
  return out;
}

std::string bracketed(std::string_view id) {
  return "<" + one_line(id) + ">";
}

bool is_header_name(std::string_view name) {
  return !name.empty() && name.size() <= 76 && std::all_of(name.begin(), name.end(), [](char c) {
    return c > 32 && c < 127 && c != ':';
  });
}

// Headers the composer owns; extra_headers cannot replace or add them.
bool is_reserved(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::set<std::string, std::less<>> kReserved = {"from",
                                                               "to",
                                                               "cc",
                                                               "bcc",
                                                               "subject",
                                                               "date",
                                                               "message-id",
                                                               "in-reply-to",
                                                               "references",
                                                               "mime-version",
                                                               "sender",
                                                               "reply-to-all",
                                                               "content-type",
                                                               "content-transfer-encoding",
                                                               "content-disposition",
                                                               "auto-submitted"};
  return kReserved.count(name) > 0;
}

// UTF-8 for every encoded name, as for the subject, rather than the smallest
// legacy charset that fits (iso-8859-5 puzzles more readers than it saves bytes).
void add_addresses(GMimeMessage* message, GMimeAddressType type, const std::vector<Address>& list) {
  InternetAddressList* addresses = g_mime_message_get_addresses(message, type);
  for (const auto& a : list) {
    InternetAddress* mailbox =
        internet_address_mailbox_new(one_line(a.name).c_str(), one_line(a.address).c_str());
    internet_address_set_charset(mailbox, "utf-8");
    internet_address_list_add(addresses, mailbox);
    g_object_unref(mailbox);
  }
}

void set_data(GMimePart* part, std::string_view data) {
  GObj<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(data.data(), data.size()));
  GObj<GMimeDataWrapper> wrapper(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, wrapper.get());
}

GMimeObject* text_part(const char* subtype, const std::string& text) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  std::string clean = text;
  clean.erase(std::remove(clean.begin(), clean.end(), '\0'), clean.end());
  GMimePart* p = GMIME_PART(part);
  set_data(p, clean);
  g_mime_text_part_set_charset(part, "utf-8");
  g_mime_part_set_content_encoding(
      p, g_mime_part_get_best_content_encoding(p, GMIME_ENCODING_CONSTRAINT_7BIT));
  return GMIME_OBJECT(part);
}

GMimeObject* attachment_part(const Attachment& a) {
  std::string type = one_line(a.content_type);
  auto slash = type.find('/');
  std::string major = slash == std::string::npos ? "" : type.substr(0, slash);
  std::string minor = slash == std::string::npos ? "" : type.substr(slash + 1);
  if (!is_header_name(major) || !is_header_name(minor))
    major = "application", minor = "octet-stream";
  GMimePart* part = g_mime_part_new_with_type(major.c_str(), minor.c_str());
  set_data(part, a.data);
  g_mime_object_set_disposition(GMIME_OBJECT(part), a.inline_part ? "inline" : "attachment");
  if (!a.filename.empty()) g_mime_part_set_filename(part, one_line(a.filename).c_str());
  if (!a.content_id.empty()) g_mime_part_set_content_id(part, one_line(a.content_id).c_str());
  g_mime_part_set_content_encoding(part, major == "text" ? g_mime_part_get_best_content_encoding(
                                                               part, GMIME_ENCODING_CONSTRAINT_7BIT)
                                                         : GMIME_CONTENT_ENCODING_BASE64);
  return GMIME_OBJECT(part);
}

GMimeObject* body_of(const OutgoingMail& mail) {
  GMimeObject* body = text_part("plain", mail.text);
  if (!mail.html.empty()) {
    GMimeMultipart* alternative = g_mime_multipart_new_with_subtype("alternative");
    g_mime_multipart_add(alternative, body);
    g_object_unref(body);
    GMimeObject* html = text_part("html", mail.html);
    g_mime_multipart_add(alternative, html);
    g_object_unref(html);
    body = GMIME_OBJECT(alternative);
  }
  if (mail.attachments.empty()) return body;
  GMimeMultipart* mixed = g_mime_multipart_new_with_subtype("mixed");
  g_mime_multipart_add(mixed, body);
  g_object_unref(body);
  for (const auto& a : mail.attachments) {
    GMimeObject* part = attachment_part(a);
    g_mime_multipart_add(mixed, part);
    g_object_unref(part);
  }
  return GMIME_OBJECT(mixed);
}

void set_headers(GMimeMessage* message, const OutgoingMail& mail) {
  GMimeObject* object = GMIME_OBJECT(message);
  add_addresses(message, GMIME_ADDRESS_TYPE_FROM, {mail.from});
  add_addresses(message, GMIME_ADDRESS_TYPE_TO, mail.to);
  add_addresses(message, GMIME_ADDRESS_TYPE_CC, mail.cc);
  g_mime_message_set_subject(message, one_line(mail.subject).c_str(), "utf-8");
  std::int64_t ms = mail.date_ms;
  GDateTime* date = ms ? g_date_time_new_from_unix_utc(ms / 1000) : g_date_time_new_now_utc();
  g_mime_message_set_date(message, date);
  g_date_time_unref(date);
  if (!mail.message_id.empty())
    g_mime_message_set_message_id(message, one_line(mail.message_id).c_str());
  if (!mail.in_reply_to.empty())
    g_mime_object_set_header(object, "In-Reply-To", bracketed(mail.in_reply_to).c_str(), nullptr);
  if (!mail.references.empty()) {
    std::string refs;
    for (const auto& id : mail.references) refs += (refs.empty() ? "" : " ") + bracketed(id);
    g_mime_object_set_header(object, "References", refs.c_str(), nullptr);
  }
  if (mail.auto_submitted)
    g_mime_object_set_header(object, "Auto-Submitted", "auto-replied", nullptr);
  for (const auto& [name, value] : mail.extra_headers)
    if (is_header_name(name) && !is_reserved(name))
      g_mime_object_append_header(object, name.c_str(), one_line(value).c_str(), "utf-8");
}

}  // namespace

std::string compose(const OutgoingMail& mail) {
  ensure_gmime();
  GObj<GMimeMessage> message(g_mime_message_new(TRUE));
  set_headers(message.get(), mail);
  GMimeObject* body = body_of(mail);
  g_mime_message_set_mime_part(message.get(), body);
  g_object_unref(body);
  GMimeFormatOptions* options = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_format_options_set_param_encoding_method(options, GMIME_PARAM_ENCODING_METHOD_RFC2231);
  std::string out = take_gstr(g_mime_object_to_string(GMIME_OBJECT(message.get()), options));
  g_mime_format_options_free(options);
  return out;
}

}  // namespace sb::mime
