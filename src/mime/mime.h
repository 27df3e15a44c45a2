// MIME: reading real-world mail into plain values, and writing our replies.
// No I/O and no store: bytes in, values out (GMime underneath; gumbo for HTML).
//
// Reading never throws on bad mail: broken MIME still gives what could be read
// (with `broken` set), because a customer's message is never dropped; only input
// that is not a mail at all (no header block) is refused.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::mime {

struct Address {
  std::string name, address;  // name decoded (RFC 2047); address with its domain lower-cased
  bool operator==(const Address&) const = default;
};

struct Attachment {
  std::string filename;  // decoded (RFC 2047 / RFC 2231); "" if none was given
  std::string content_type;
  std::int64_t size = 0;  // decoded bytes
  bool inline_part = false;
  std::string content_id;  // without the angle brackets; "" if none
  std::string data;        // the decoded bytes
};

// A delivery-status notification (RFC 3464), or a bounce recognised by its shape.
struct Bounce {
  std::string recipient;  // the address that failed, when the report says
  std::string status;     // "5.1.1", when the report says
  std::string diagnostic;
  std::string original_message_id;  // of the mail that bounced, when it is included
};

struct ParsedMail {
  std::string subject;
  Address from;
  std::vector<Address> to, cc, reply_to;
  std::optional<std::int64_t> date_ms;  // Date: header, UTC milliseconds
  std::string date_iso;                 // the same as ISO 8601, "" when absent or unreadable
  std::string message_id;               // without angle brackets; "" when absent
  std::string in_reply_to;              // the first id, without angle brackets
  std::vector<std::string> references;  // oldest first, without angle brackets
  std::string thread_index;             // Outlook's Thread-Index (base64), "" when absent
  std::string thread_topic;             // Outlook's Thread-Topic, "" when absent
  std::string list_id;                  // List-Id without brackets: a list or newsletter
  std::string text;                     // the plain-text body, UTF-8 (from HTML if only HTML)
  std::string html;  // sanitised HTML, UTF-8; "" when the mail has none. Inline images
                     // keep src="cid:ID": re-run sanitize_html with a cid_url to serve them.
  std::vector<Attachment> attachments;  // files and inline parts (cid: images)
  // Sent by a machine, so never to be answered automatically: RFC 3834 Auto-Submitted
  // other than "no", Precedence bulk/junk/list, X-Autoreply, X-Autorespond,
  // X-Auto-Response-Suppress All/OOF, out-of-office subjects (en/it/ru/hu/pl). List-Id
  // or List-Unsubscribe alone is not: a newsletter is still mail a person may answer.
  // A bounce is reported in `bounce`, not here.
  bool auto_reply = false;
  std::optional<Bounce> bounce;       // a DSN or a recognisable bounce
  bool broken = false;                // some part could not be decoded as declared
  std::vector<std::string> warnings;  // what was broken, in words

  // The JSON of `switchboard email-parse` (attachments without their data).
  boost::json::object to_json() const;
};

// Parses one RFC 5322 message. nullopt (with `error`) only when the bytes are not a
// mail at all. The caller bounds the size; parts (1000), nesting (32) and header
// lengths are bounded here.
std::optional<ParsedMail> parse(std::string_view raw, std::string* error);

// The readable text of an HTML body: block elements on their own lines, list items
// with "- ", no script/style, entities decoded.
std::string html_to_text(std::string_view html);

// HTML safe to show inside the console: no script, no event handlers, no style
// that can leave its box, no remote content (images become a placeholder that
// keeps the original address in data-src until the agent clicks), links with
// rel="noopener noreferrer" target="_blank"; `cid:` images are rewritten by
// `cid_url` (content id -> URL, or "" to drop).
std::string sanitize_html(std::string_view html,
                          const std::function<std::string(std::string_view)>& cid_url = {});

// Splits a plain-text body into what the sender wrote now and the quoted history
// below it ("> " lines, "On ... wrote:", Outlook's "-----Original Message-----",
// "From: ... Sent: ..." blocks, the Italian/Russian/Hungarian/Polish forms).
struct FoldedText {
  std::string fresh, quoted;
};
FoldedText fold_quoted(std::string_view text);

// An outgoing mail: our reply, an acknowledgement, a transcript.
struct OutgoingMail {
  Address from;
  std::vector<Address> to, cc, bcc;  // bcc: in the envelope only, never in the headers
  std::string subject;
  std::string message_id;               // without brackets; the caller makes it unique
  std::string in_reply_to;              // "" for a new thread
  std::vector<std::string> references;  // oldest first
  std::string text, html;               // html "" for text only
  std::vector<Attachment> attachments;
  bool auto_submitted = false;  // "Auto-Submitted: auto-replied" on acknowledgements
  std::int64_t date_ms = 0;
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

// The RFC 5322 bytes of `mail` (CRLF line ends, 7-bit safe encodings).
std::string compose(const OutgoingMail& mail);

}  // namespace sb::mime
