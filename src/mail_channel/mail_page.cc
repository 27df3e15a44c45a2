// The page the console frames for "show original formatting". The frame is
// sandboxed (an opaque origin without cookies), so the mail's inline images are
// written into the page as data: URLs; its remote images stay in data-src (the
// sanitiser put them there) until the agent asks, and then the page's CSP
// allows images from the network and nothing else.
#include "mail_channel/mail_page.h"

namespace sb::mail_channel {
namespace {

constexpr std::string_view kAttachmentSrc = "src=\"/api/v1/attachments/";
constexpr std::int64_t kMaxInlineImage = 5 << 20;

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

}  // namespace

std::string inline_images(std::string html, const InlineImage& image) {
  std::string out;
  std::size_t from = 0;
  for (auto at = html.find(kAttachmentSrc); at != std::string::npos;
       at = html.find(kAttachmentSrc, from)) {
    auto id_start = at + kAttachmentSrc.size();
    auto end = html.find('"', id_start);
    if (end == std::string::npos) break;
    out.append(html, from, at - from);
    auto found = image(std::string_view(html).substr(id_start, end - id_start));
    if (found && found->bytes.size() <= static_cast<std::size_t>(kMaxInlineImage))
      out += "src=\"data:" + found->content_type + ";base64," + base64(found->bytes) + "\"";
    else
      out += "data-missing=\"\"";  // gone (retention) or too large: the alt text stays
    from = end + 1;
  }
  out.append(html, from, std::string::npos);
  return out;
}

std::string page_policy(bool remote, bool header) {
  // sandbox and frame-ancestors count only in the header (a meta element ignores them).
  return std::string(header ? "sandbox allow-popups allow-popups-to-escape-sandbox; " : "") +
         "default-src 'none'; img-src data:" + (remote ? " https: http:" : "") +
         "; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'" +
         (header ? "; frame-ancestors 'self'" : "");
}

std::string mail_page(std::string html, bool remote, const InlineImage& image) {
  html = inline_images(std::move(html), image);
  // Attribute values are escaped by the sanitiser, so this text can only be the
  // placeholder attribute it writes (in text it would only change what is shown).
  if (remote) replace_all(html, " data-src=\"http", " src=\"http");
  return "<!doctype html><html><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
         page_policy(remote, false) +
         "\"><meta name=\"referrer\" content=\"no-referrer\"><style>"
         "html{color-scheme:light}body{margin:0;padding:14px 16px;font:14px/1.55 system-ui,"
         "-apple-system,'Segoe UI',sans-serif;color:#1f2937;background:#fff;overflow-wrap:"
         "anywhere}img{max-width:100%;height:auto}img[data-src],img[data-missing]{display:"
         "inline-block;min-width:48px;min-height:32px;background:#f1f5f9;border:1px dashed "
         "#cbd5e1;border-radius:4px;overflow:hidden;font-size:10px;color:#64748b;"
         "vertical-align:middle}table{max-width:100%}blockquote{margin:0 0 0 8px;padding-"
         "left:10px;border-left:3px solid #e2e8f0;color:#475569}a{color:#2563eb}"
         "</style></head><body>" +
         html + "</body></html>";
}

}  // namespace sb::mail_channel
