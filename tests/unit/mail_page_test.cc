// The page a mail's original formatting is framed in: inline images written in as
// data: URLs (only the mail's own), remote images only when asked, and a policy
// that allows nothing else.
#include "mail_channel/mail_page.h"

#include <gtest/gtest.h>

namespace sb::mail_channel {
namespace {

std::optional<ImageBytes> logo(std::string_view id) {
  if (id == "abc") return ImageBytes{"image/png", "PNG!"};
  return std::nullopt;
}

TEST(MailPage, InlineImagesBecomeDataUrlsAndUnknownOnesLoseTheirSource) {
  auto out = inline_images(
      "<p>x</p><img src=\"/api/v1/attachments/abc\" alt=\"logo\">"
      "<img src=\"/api/v1/attachments/other\" alt=\"gone\">",
      logo);
  EXPECT_EQ(out,
            "<p>x</p><img src=\"data:image/png;base64,UE5HIQ==\" alt=\"logo\">"
            "<img data-missing=\"\" alt=\"gone\">");
}

TEST(MailPage, RemoteImagesWaitUnlessAsked) {
  std::string html = "<img data-src=\"https://t.example/p.gif\" alt=\"\"><p>data-src=\"http</p>";
  auto closed = mail_page(html, false, logo);
  EXPECT_NE(closed.find("<img data-src=\"https://t.example/p.gif\""), std::string::npos);
  EXPECT_NE(closed.find("content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'"),
            std::string::npos);
  auto open = mail_page(html, true, logo);
  EXPECT_NE(open.find("<img src=\"https://t.example/p.gif\""), std::string::npos);
  EXPECT_NE(open.find("img-src data: https: http:;"), std::string::npos);
}

TEST(MailPage, ThePolicyAllowsNoScriptAndOnlyTheConsoleFramesIt) {
  for (bool remote : {false, true}) {
    auto header = page_policy(remote, true);
    EXPECT_EQ(
        header.rfind("sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none';", 0),
        0u);
    EXPECT_EQ(header.find("allow-scripts"), std::string::npos);
    EXPECT_EQ(header.find("allow-same-origin"), std::string::npos);
    EXPECT_EQ(header.find("script-src"), std::string::npos);
    EXPECT_NE(header.find("frame-ancestors 'self'"), std::string::npos);
    EXPECT_EQ(page_policy(remote, false).find("sandbox"), std::string::npos);  // meta ignores it
  }
}

}  // namespace
}  // namespace sb::mail_channel
