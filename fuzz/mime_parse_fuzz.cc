// Mail from anyone: parse never crashes, hangs or leaks, and what it returns is
// valid UTF-8 with sanitised HTML; the quote folder and the composer take its
// output without complaint.
#include <glib.h>

#include <cstdlib>

#include "mime/mime.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

bool utf8(const std::string& s) {
  return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  std::string error;
  auto mail = sb::mime::parse(std::string_view(reinterpret_cast<const char*>(data), size), &error);
  if (!mail) {
    require(!error.empty());
    return 0;
  }
  require(utf8(mail->subject) && utf8(mail->text) && utf8(mail->html) && utf8(mail->from.name));
  for (const auto& a : mail->attachments)
    require(utf8(a.filename) && a.size == static_cast<std::int64_t>(a.data.size()));
  require(mail->html.find("<script") == std::string::npos);
  auto folded = sb::mime::fold_quoted(mail->text);
  require(folded.fresh.size() + folded.quoted.size() <= mail->text.size() + 1);
  (void)mail->to_json();
  sb::mime::OutgoingMail reply;
  reply.from = mail->from;
  reply.to = mail->to;
  reply.subject = mail->subject;
  reply.message_id = "fuzz@example.com";
  reply.in_reply_to = mail->message_id;
  reply.references = mail->references;
  reply.text = mail->text;
  reply.html = mail->html;
  reply.date_ms = 1;
  std::string raw = sb::mime::compose(reply);
  require(sb::mime::parse(raw, &error).has_value());
  return 0;
}
