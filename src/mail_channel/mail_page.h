// Private to mail_channel/: the framed page of a mail's HTML (mail_page.cc).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sb::mail_channel {

struct ImageBytes {
  std::string content_type, bytes;
};
// The bytes of an inline image by attachment id; nullopt: not this mail's, or gone.
using InlineImage = std::function<std::optional<ImageBytes>(std::string_view id)>;

// src="/api/v1/attachments/<id>" (the ingest's cid: rewrite) as data: URLs.
std::string inline_images(std::string html, const InlineImage& image);
// The Content-Security-Policy of the page: the header's, or the meta element's.
std::string page_policy(bool remote, bool header);
// The whole page: the policy in a meta element too, a calm default style.
std::string mail_page(std::string html, bool remote, const InlineImage& image);

}  // namespace sb::mail_channel
