// Reading mail (fixtures written like the mail of real clients, and the notmuch
// corpus of real list mail when it is present), composing, and reading back.
#include "mime/mime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using sb::mime::parse;
using sb::mime::ParsedMail;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ParsedMail fixture(const std::string& name) {
  std::string error;
  auto mail = parse(slurp(fs::path(SB_SOURCE_DIR) / "tests/fixtures/mail" / name), &error);
  EXPECT_TRUE(mail) << name << ": " << error;
  return mail ? *mail : ParsedMail{};
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(MimeParse, OutlookReplyWithoutReferencesKeepsThreadIndexAndPrefersPlainText) {
  ParsedMail m = fixture("outlook-reply.eml");
  EXPECT_EQ(m.subject, "RE: [#1042] Double charge");
  EXPECT_EQ(m.from.name, "Giulia Rossi");
  EXPECT_EQ(m.from.address, "Giulia.Rossi@acme.example");  // domain lower-cased only
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].address, "support@example.com");
  EXPECT_EQ(m.message_id, "AM0PR07MB4531B2E3C5A5D0F1@AM0PR07MB4531.eurprd07.prod.outlook.com");
  EXPECT_EQ(m.in_reply_to, "reply-1042-3@example.com");
  EXPECT_TRUE(m.references.empty());
  EXPECT_EQ(m.thread_index, "AdpuG7Ck0bN4q3JtTvWm8u7kz9A1ZwAAbcDE");
  EXPECT_EQ(m.thread_topic, "[#1042] Double charge");
  ASSERT_TRUE(m.date_ms);
  EXPECT_EQ(*m.date_ms, 1709548215000);
  EXPECT_EQ(m.date_iso, "2024-03-04T10:30:15Z");
  EXPECT_TRUE(contains(m.text, "Finance – Acme S.p.A.")) << m.text;  // QP UTF-8
  EXPECT_FALSE(contains(m.text, "<p"));
  EXPECT_TRUE(contains(m.html, "<b>From:</b>"));
  EXPECT_FALSE(contains(m.html, "<style"));
  EXPECT_FALSE(m.auto_reply);
  EXPECT_FALSE(m.bounce);
  EXPECT_FALSE(m.broken);
  auto folded = sb::mime::fold_quoted(m.text);
  EXPECT_TRUE(folded.fresh.ends_with("Finance – Acme S.p.A.")) << folded.fresh;
  EXPECT_TRUE(folded.quoted.starts_with("From: Switchboard Support")) << folded.quoted;
}

TEST(MimeParse, GmailReplySplitsReferencesOldestFirst) {
  ParsedMail m = fixture("gmail-reply.eml");
  EXPECT_EQ(m.in_reply_to, "reply-1043-1@example.com");
  EXPECT_EQ(m.references,
            (std::vector<std::string>{"ticket-1043@example.com", "reply-1043-1@example.com"}));
  EXPECT_EQ(m.message_id, "CAFk3xYz0Qm=9Jw+fA@mail.gmail.com");
  auto folded = sb::mime::fold_quoted(m.text);
  EXPECT_EQ(folded.fresh,
            "Thanks, that worked!\n\nOne more question: can I change the delivery address?");
  EXPECT_TRUE(contains(m.html, "href=\"mailto:support@example.com\""));
  EXPECT_FALSE(contains(m.html, "style="));  // margin/border/padding are not allowed
}

TEST(MimeParse, RussianKoi8rHeadersAndBody) {
  ParsedMail m = fixture("russian-koi8r.eml");
  EXPECT_EQ(m.subject, "Заказ не доставлен");
  EXPECT_EQ(m.from.name, "Иван Петров");
  EXPECT_TRUE(contains(m.text, "Мой заказ номер 5512 до сих пор не доставлен")) << m.text;
  EXPECT_FALSE(m.broken);
}

TEST(MimeParse, LatinOneLabelOnUtf8BytesIsReadAsUtf8) {
  ParsedMail m = fixture("italian-mislabelled.eml");
  EXPECT_EQ(m.subject, "Perché la fattura è così alta?");  // raw 8-bit header
  EXPECT_EQ(m.from.name, "Niccolò Bianchi");
  EXPECT_TRUE(contains(m.text, "perché la mia fattura è così alta")) << m.text;
  EXPECT_FALSE(m.broken);
  EXPECT_FALSE(m.warnings.empty());  // the relabelling is noted
}

TEST(MimeParse, AsciiLabelOnWindows1252BytesIsReadAsWindows1252) {
  ParsedMail m = fixture("italian-cp1252-as-ascii.eml");
  EXPECT_TRUE(contains(m.text, "il prodotto è arrivato rotto – vorrei")) << m.text;
}

TEST(MimeParse, UnlabelledEightBitHeadersAreGuessed) {
  auto subject = [](const std::string& raw) {
    std::string error;
    auto m = parse("From: a@example.com\nSubject: " + raw + "\n\nx\n", &error);
    return m ? m->subject : "";
  };
  EXPECT_EQ(subject("\xf0\xd2\xc9\xd7\xc5\xd4"), "Привет");                   // KOI8-R
  EXPECT_EQ(subject("\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0"), "Привет мир");  // windows-1251
  EXPECT_EQ(subject("\xb6\xa9\xb5\xa5\xc3\xbb\xd3\xd0\xca\xd5\xb5\xbd"), "订单没有收到");  // GBK
  EXPECT_EQ(subject("Perch\xe9 no?"), "Perché no?");  // windows-1252
}

TEST(MimeParse, ChineseGb2312SubjectNameAndBase64Body) {
  ParsedMail m = fixture("chinese-gb2312.eml");
  EXPECT_EQ(m.subject, "订单没有收到");
  EXPECT_EQ(m.from.name, "王小明");
  EXPECT_TRUE(contains(m.text, "我的订单还没有收到，请尽快处理。")) << m.text;
  ASSERT_TRUE(m.date_ms);
  EXPECT_EQ(m.date_iso, "2024-03-08T01:30:00Z");
}

TEST(MimeParse, Rfc2231ContinuedFileName) {
  ParsedMail m = fixture("rfc2231-filename.eml");
  ASSERT_EQ(m.attachments.size(), 1u);
  const auto& a = m.attachments[0];
  EXPECT_EQ(a.filename,
            "Rechnung_März_2024_Überweisung_Kundennummer_4711_sehr_langer_Dateiname_für_Tests.pdf");
  EXPECT_EQ(a.content_type, "application/pdf");
  EXPECT_EQ(a.data, "%PDF-1.4 fake pdf for tests");
  EXPECT_EQ(a.size, 27);
  EXPECT_FALSE(a.inline_part);
  EXPECT_EQ(m.text, "Siehe Anhang.");
}

TEST(MimeParse, RelatedHtmlWithCidImage) {
  ParsedMail m = fixture("cid-inline-image.eml");
  EXPECT_EQ(m.subject, "Képernyőkép a hibáról");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_TRUE(m.attachments[0].inline_part);
  EXPECT_EQ(m.attachments[0].content_id, "screenshot.png@01DA7");
  EXPECT_EQ(m.attachments[0].content_type, "image/png");
  EXPECT_EQ(m.attachments[0].data.substr(1, 3), "PNG");
  EXPECT_TRUE(contains(m.html, "src=\"cid:screenshot.png@01DA7\"")) << m.html;
  EXPECT_EQ(m.text, "Itt a hiba képernyőképe:\n\nÜdv, Marta");  // derived from the HTML
  std::string served =
      sb::mime::sanitize_html("<img src=\"cid:screenshot.png@01DA7\">",
                              [](std::string_view id) { return "/api/files/" + std::string(id); });
  EXPECT_TRUE(contains(served, "src=\"/api/files/screenshot.png@01DA7\"")) << served;
}

TEST(MimeParse, WinmailDatIsListed) {
  ParsedMail m = fixture("winmail-dat.eml");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "winmail.dat");
  EXPECT_EQ(m.attachments[0].content_type, "application/ms-tnef");
  EXPECT_EQ(m.attachments[0].size, 44);
  EXPECT_EQ(m.from.name, "Smith, John");
}

TEST(MimeParse, DeliveryStatusNotification) {
  ParsedMail m = fixture("dsn-bounce.eml");
  ASSERT_TRUE(m.bounce);
  EXPECT_EQ(m.bounce->recipient, "nobody@customer.example");
  EXPECT_EQ(m.bounce->status, "5.1.1");
  EXPECT_TRUE(contains(m.bounce->diagnostic, "User unknown")) << m.bounce->diagnostic;
  EXPECT_EQ(m.bounce->original_message_id, "reply-1050-2@example.com");
  EXPECT_TRUE(contains(m.text, "could not\nbe delivered"));
  auto original = std::find_if(m.attachments.begin(), m.attachments.end(),
                               [](const auto& a) { return a.content_type == "message/rfc822"; });
  ASSERT_NE(original, m.attachments.end());
  EXPECT_TRUE(contains(original->data, "We have shipped your order."));
}

TEST(MimeParse, BounceRecognisedByShape) {
  ParsedMail m = fixture("bounce-plain.eml");
  ASSERT_TRUE(m.bounce);
  EXPECT_EQ(m.bounce->recipient, "gone.user@oldmail.example");
  EXPECT_EQ(m.bounce->status, "4.2.2");
  EXPECT_EQ(m.bounce->original_message_id, "reply-1051-1@example.com");
}

TEST(MimeParse, EximBounceNamesTheRecipientInAHeader) {
  std::string error;
  auto m = parse(
      "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\n"
      "Subject: Mail delivery failed: returning message to sender\n"
      "X-Failed-Recipients: lost@customer.example\n\n"
      "This message was created automatically by mail delivery software.\n",
      &error);
  ASSERT_TRUE(m && m->bounce) << error;
  EXPECT_EQ(m->bounce->recipient, "lost@customer.example");
}

TEST(MimeParse, ItalianOutOfOfficeBySubject) {
  ParsedMail m = fixture("out-of-office-it.eml");
  EXPECT_TRUE(m.auto_reply);
  EXPECT_FALSE(m.bounce);
}

TEST(MimeParse, BrokenMultipartKeepsTheText) {
  ParsedMail m = fixture("broken-multipart.eml");
  EXPECT_TRUE(m.broken);
  EXPECT_EQ(m.text, "I cannot open the app since the update. Please help.");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "log.txt");
  auto said = [&](const std::string& what) {
    return std::any_of(m.warnings.begin(), m.warnings.end(),
                       [&](const std::string& w) { return contains(w, what); });
  };
  EXPECT_TRUE(said("NUL"));
  EXPECT_TRUE(said("base64"));
}

TEST(MimeParse, HtmlOnlyNewsletterIsMailWithTextAndNoRemoteLoads) {
  ParsedMail m = fixture("newsletter-html-only.eml");
  EXPECT_FALSE(m.auto_reply);  // List-Id and List-Unsubscribe alone
  EXPECT_EQ(m.list_id, "weekly.deals.example");
  EXPECT_EQ(m.text, "Big sale\n\nEverything 50% off this week.\n\n- Shoes\n- Bags\n\nShop now");
  EXPECT_FALSE(contains(m.html, "track()"));
  EXPECT_FALSE(contains(m.html, "onclick"));
  EXPECT_FALSE(contains(m.html, " src="));
  EXPECT_TRUE(contains(m.html, "data-src=\"https://deals.example/open.gif?u=abc\""));
  EXPECT_FALSE(contains(m.html, "bg.png"));
}

TEST(MimeParse, NamedTextIsTheBodyOnlyWhenItIsTheWholeMail) {
  std::string error;
  auto whole = parse(
      "From: a@example.com\nContent-Type: text/html\nContent-Disposition: inline; "
      "filename=test.html\n\n<p>hunter2</p>\n",
      &error);
  ASSERT_TRUE(whole) << error;
  EXPECT_EQ(whole->text, "hunter2");
  EXPECT_TRUE(whole->attachments.empty());
  auto part = parse(
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: text/plain\n\nsee the log\n--b\nContent-Type: text/plain\n"
      "Content-Disposition: inline; filename=log.txt\n\nline 1\n--b--\n",
      &error);
  ASSERT_TRUE(part) << error;
  EXPECT_EQ(part->text, "see the log");
  ASSERT_EQ(part->attachments.size(), 1u);
  EXPECT_EQ(part->attachments[0].filename, "log.txt");
}

TEST(MimeParse, RefusesWhatIsNotAMail) {
  std::string error;
  EXPECT_FALSE(parse("", &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(
      parse(slurp(fs::path(SB_SOURCE_DIR) / "tests/fixtures/mail/not-a-mail.jpg"), &error));
  EXPECT_FALSE(parse("just some words\nand more words\n", &error));
  EXPECT_FALSE(parse(std::string("\0\0\0\x01\x02", 5), &error));
}

TEST(MimeParse, HeadersOnlyAndHeaderGarbageStillGiveAMail) {
  std::string error;
  auto headers_only = parse("From: a@example.com\r\nSubject: hi\r\n", &error);
  ASSERT_TRUE(headers_only) << error;
  EXPECT_EQ(headers_only->subject, "hi");
  EXPECT_TRUE(headers_only->broken);
  auto garbage = parse(
      "From: a@example.com\nSubject: hello\n\x01\x02garbage line without colon\n"
      "To: b@example.com\n\nbody text\n",
      &error);
  ASSERT_TRUE(garbage) << error;
  EXPECT_EQ(garbage->subject, "hello");
  EXPECT_TRUE(contains(garbage->text, "body text") || garbage->broken);
}

bool warned(const ParsedMail& m, const std::string& what) {
  return std::any_of(m.warnings.begin(), m.warnings.end(),
                     [&](const std::string& w) { return contains(w, what); });
}

// Cut before GMime builds its tree (which took gigabytes for such input): what
// comes first is read, the rest is noted as ignored.
TEST(MimeParse, HugeStructuresAreCutBeforeTheyAreParsed) {
  std::string error;
  std::string parts =
      "From: a@example.com\nSubject: parts\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nfirst part\n";
  for (int i = 0; i < 30'000; ++i) parts += "--b\nContent-Type: application/x-empty\n\nx\n";
  parts += "--b--\n";
  auto many = parse(parts, &error);
  ASSERT_TRUE(many) << error;
  EXPECT_EQ(many->text, "first part");
  EXPECT_TRUE(many->broken);
  EXPECT_TRUE(warned(*many, "boundary lines"));

  std::string fields = "From: a@example.com\nSubject: kept\n";
  for (int i = 0; i < 20'000; ++i) fields += "X-Junk-" + std::to_string(i) + ": v\n";
  fields += "To: dropped@example.com\n\nthe body\n";
  auto long_header = parse(fields, &error);
  ASSERT_TRUE(long_header) << error;
  EXPECT_EQ(long_header->subject, "kept");
  EXPECT_TRUE(long_header->to.empty());
  EXPECT_EQ(long_header->text, "the body\n");
  EXPECT_TRUE(warned(*long_header, "header fields"));

  std::string cc = "From: a@example.com\nCc: ";
  for (int i = 0; i < 40'000; ++i) cc += (i ? ", u" : "u") + std::to_string(i) + "@example.com";
  auto wide = parse(cc + "\nSubject: after the Cc\n\nhi\n", &error);
  ASSERT_TRUE(wide) << error;
  EXPECT_FALSE(wide->cc.empty());
  EXPECT_EQ(wide->cc[0].address, "u0@example.com");
  EXPECT_EQ(wide->subject, "after the Cc");
  EXPECT_TRUE(warned(*wide, "header fields"));
}

TEST(MimeParse, FormatFlowedIsJoined) {
  std::string error;
  auto m = parse(
      "From: a@example.com\nContent-Type: text/plain; charset=utf-8; format=flowed\n\n"
      "This is one long \nparagraph.\n\n> quoted soft \n> line\n -- not a sig\n-- \nSig\n",
      &error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->text, "This is one long paragraph.\n\n> quoted soft line\n-- not a sig\n-- \nSig\n");
  auto delsp = parse(
      "From: a@example.com\nContent-Type: text/plain; format=flowed; delsp=yes\n\nPara \ngraph\n",
      &error);
  ASSERT_TRUE(delsp) << error;
  EXPECT_EQ(delsp->text, "Paragraph\n");
}

TEST(MimeParse, SloppyEncodedWords) {
  std::string error;
  auto m = parse(
      "From: =?iso-8859-1?Q?Jos=C3=A9?= <j@example.com>\n"
      "Subject: =?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?= x=?iso-8859-1?Q?=E8?=y "
      "=?UTF-8?Q?two words?= =?windows-1251?B?z/Do4uXy?=\n\nx\n",
      &error);
  ASSERT_TRUE(m) << error;
  // A character split over two words, a word inside a word, spaces unencoded,
  // and a Latin-1 label on UTF-8 bytes.
  EXPECT_EQ(m->subject, "café xèy two wordsПривет");
  EXPECT_EQ(m->from.name, "José");
}

TEST(MimeParse, MessageIdsWithoutBracketsAndOutlookGarbage) {
  std::string error;
  auto m = parse(
      "From: a@example.com\nMessage-ID: bare-id@example.com\n"
      "In-Reply-To: Your message of Tue, 5 Mar 2024 <first@example.com> (John Smith)\n"
      "References: <a@x.example>\n <b@x.example>\t<c@x.example>\n\nbody\n",
      &error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->message_id, "bare-id@example.com");
  EXPECT_EQ(m->in_reply_to, "first@example.com");
  EXPECT_EQ(m->references, (std::vector<std::string>{"a@x.example", "b@x.example", "c@x.example"}));
}

TEST(MimeParse, AutoReplyHeaders) {
  auto auto_reply = [](const std::string& header, const std::string& subject = "Question") {
    std::string error;
    auto m =
        parse("From: a@example.com\nSubject: " + subject + "\n" + header + "\n\nbody\n", &error);
    return m && m->auto_reply;
  };
  EXPECT_TRUE(auto_reply("Auto-Submitted: auto-replied"));
  EXPECT_TRUE(auto_reply("Auto-Submitted: auto-generated; type=vacation"));
  EXPECT_FALSE(auto_reply("Auto-Submitted: no"));
  EXPECT_TRUE(auto_reply("Precedence: bulk"));
  EXPECT_TRUE(auto_reply("Precedence: junk"));
  EXPECT_TRUE(auto_reply("Precedence: list"));
  EXPECT_TRUE(auto_reply("X-Autoreply: yes"));
  EXPECT_TRUE(auto_reply("X-Autorespond: vacation"));
  EXPECT_TRUE(auto_reply("X-Autogenerated: Reply"));
  EXPECT_TRUE(auto_reply("X-Auto-Response-Suppress: All"));
  EXPECT_TRUE(auto_reply("X-Auto-Response-Suppress: OOF"));
  EXPECT_FALSE(auto_reply("List-Unsubscribe: <https://example.com/u>"));
  EXPECT_FALSE(auto_reply("X-Mailer: Outlook"));
  for (std::string subject :
       {"Out of Office: Re: order", "Automatic reply: invoice", "Risposta automatica: ordine",
        "Fuori sede", "=?UTF-8?B?0JDQstGC0L7QvNCw0YLQuNGH0LXRgdC60LjQuSDQvtGC0LLQtdGC?=: заказ",
        "=?UTF-8?Q?H=C3=A1zon_k=C3=ADv=C3=BCl?=", "Automatikus válasz: rendelés",
        "Odpowiedź automatyczna: zamówienie", "Poza biurem"})
    EXPECT_TRUE(auto_reply("X-Mailer: x", subject)) << subject;
  EXPECT_FALSE(auto_reply("X-Mailer: x", "Re: my out of office reply is broken"));
}

TEST(MimeParse, DatesToUtc) {
  std::string error;
  auto m = parse("From: a@example.com\nDate: Fri, 17 Jun 2016 22:14:41 -0400\n\nx\n", &error);
  ASSERT_TRUE(m && m->date_ms);
  EXPECT_EQ(m->date_iso, "2016-06-18T02:14:41Z");
  auto bad = parse("From: a@example.com\nDate: someday soon\n\nx\n", &error);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->date_iso, "");
  EXPECT_EQ(bad->to_json().at("date"), nullptr);
}

TEST(MimeParse, JsonShape) {
  ParsedMail m = fixture("dsn-bounce.eml");
  auto j = m.to_json();
  for (const char* key :
       {"subject", "from", "to", "cc", "date", "message_id", "in_reply_to", "references", "text",
        "html", "attachments", "auto_reply", "bounce", "bounce_info", "broken"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j.size(), 15u);
  EXPECT_EQ(j.at("bounce_info").at("status"), "5.1.1");
  EXPECT_FALSE(j.at("attachments").as_array()[0].as_object().contains("data"));
  EXPECT_FALSE(fixture("gmail-reply.eml").to_json().contains("bounce_info"));
}

TEST(MimeParse, NestingAndPartCountAreBounded) {
  std::string deep = "From: a@example.com\nContent-Type: multipart/mixed; boundary=b0\n\n";
  for (int i = 1; i < 200; ++i)
    deep += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" +
            std::to_string(i) + "\n\n";
  deep += "--b199\nContent-Type: text/plain\n\ndeep text\n";
  std::string error;
  auto m = parse(deep, &error);
  ASSERT_TRUE(m) << error;
  EXPECT_TRUE(m->broken);

  std::string many = "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 1500; ++i) many += "--b\nContent-Type: application/octet-stream\n\nx\n";
  many += "--b--\n";
  auto wide = parse(many, &error);
  ASSERT_TRUE(wide) << error;
  EXPECT_LE(wide->attachments.size(), 1000u);
  EXPECT_TRUE(wide->broken);
}

TEST(MimeParse, ParsesFromManyThreadsAtOnce) {
  std::string raw = slurp(fs::path(SB_SOURCE_DIR) / "tests/fixtures/mail/cid-inline-image.eml");
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        std::string error;
        auto m = parse(raw, &error);
        if (m && m->subject == "Képernyőkép a hibáról" && m->attachments.size() == 1) ++right;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(right, 100);
}

// compose -> parse gives back what was composed.
TEST(MimeCompose, RoundTrip) {
  sb::mime::OutgoingMail out;
  out.from = {"Assistenza Società", "support@example.com"};
  out.to = {{"Иван Петров", "ivan@example.ru"}, {"", "plain@example.com"}};
  out.cc = {{"Zoë", "zoe@example.com"}};
  out.bcc = {{"Hidden", "secret@example.com"}};
  out.subject = "Re: [#1042] Fattura doppia – rimborso già avviato ✓";
  out.message_id = "reply-1042-4@example.com";
  out.in_reply_to = "AM0PR07MB4531B2E3C5A5D0F1@outlook.com";
  out.references = {"ticket-1042@example.com", "AM0PR07MB4531B2E3C5A5D0F1@outlook.com"};
  out.text = "Gentile cliente,\nil rimborso è già avviato.\n\n" + std::string(1500, 'x') + "\n";
  out.html = "<p>Gentile cliente,<br>il rimborso è già avviato.</p>";
  out.attachments.push_back({"ricevuta_è_lunga_" + std::string(80, 'r') + ".pdf", "application/pdf",
                             0, false, "", std::string("%PDF\0\xff binary", 13)});
  out.auto_submitted = true;
  out.date_ms = 1709548215000;
  out.extra_headers = {{"X-Ticket", "1042"}, {"Bcc", "sneaky@example.com"}, {"Bad\nName", "x"}};

  std::string raw = sb::mime::compose(out);
  EXPECT_FALSE(contains(raw, "secret@example.com"));
  EXPECT_FALSE(contains(raw, "sneaky@example.com"));
  EXPECT_TRUE(contains(raw, "Auto-Submitted: auto-replied\r\n"));
  EXPECT_TRUE(contains(raw, "MIME-Version: 1.0\r\n"));
  EXPECT_TRUE(contains(raw, "X-Ticket: 1042\r\n"));
  std::size_t start = 0;
  for (std::size_t nl; (nl = raw.find('\n', start)) != std::string::npos; start = nl + 1) {
    ASSERT_GT(nl, 0u);
    EXPECT_EQ(raw[nl - 1], '\r') << "bare LF at " << nl;
    EXPECT_LE(nl - start, 1000u);
  }
  EXPECT_TRUE(std::all_of(raw.begin(), raw.end(), [](unsigned char c) { return c < 0x80; }));

  std::string error;
  auto back = parse(raw, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->subject, out.subject);
  EXPECT_EQ(back->from, out.from);
  EXPECT_EQ(back->to, out.to);
  EXPECT_EQ(back->cc, out.cc);
  EXPECT_EQ(back->message_id, out.message_id);
  EXPECT_EQ(back->in_reply_to, out.in_reply_to);
  EXPECT_EQ(back->references, out.references);
  EXPECT_EQ(back->date_ms, out.date_ms);
  EXPECT_EQ(back->text, out.text);
  EXPECT_TRUE(contains(back->html, "il rimborso è già avviato.")) << back->html;
  EXPECT_TRUE(back->auto_reply);
  ASSERT_EQ(back->attachments.size(), 1u);
  EXPECT_EQ(back->attachments[0].filename, out.attachments[0].filename);
  EXPECT_EQ(back->attachments[0].data, out.attachments[0].data);
  EXPECT_FALSE(back->broken);
}

TEST(MimeCompose, HeaderInjectionIsNeutralised) {
  sb::mime::OutgoingMail out;
  out.from = {"Support", "support@example.com"};
  out.to = {{"Eve\r\nBcc: victim@example.com", "eve@example.com"}};
  out.subject = "Hello\r\nBcc: victim@example.com";
  out.text = "x";
  out.date_ms = 1;
  std::string raw = sb::mime::compose(out);
  EXPECT_FALSE(contains(raw, "\nBcc:")) << raw;
}

// Real mail from mailing lists (notmuch's test corpora), outside the repository.
fs::path notmuch_dir() {
  if (const char* dir = std::getenv("SB_NOTMUCH_DIR")) return dir;
  return fs::path(SB_SOURCE_DIR) / "../shared/data/email/notmuch";
}

TEST(MimeCorpus, EveryNotmuchMailParses) {
  fs::path dir = notmuch_dir();
  if (!fs::is_directory(dir))
    GTEST_SKIP() << "no mail corpus at " << dir.string()
                 << " (the shared data directory; set SB_NOTMUCH_DIR to point at it)";
  int files = 0, lkml_with_ids = 0, lkml = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    if (name.starts_with("COPYING") || name.starts_with("README")) continue;
    ++files;
    std::string error;
    auto mail = parse(slurp(entry.path()), &error);
    std::string rel = fs::relative(entry.path(), dir).string();
    if (!mail) {
      ADD_FAILURE() << rel << ": " << error;
      continue;
    }
    sb::mime::fold_quoted(mail->text);
    if (rel.starts_with("lkml/")) {
      ++lkml;
      if (!mail->message_id.empty()) ++lkml_with_ids;
    }
  }
  EXPECT_GT(files, 300);
  EXPECT_GT(lkml, 200);
  EXPECT_EQ(lkml_with_ids, lkml);
}

TEST(MimeCorpus, NotmuchThreadingParents) {
  fs::path dir = notmuch_dir() / "threading";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no mail corpus at " << dir.string();
  auto mail = [&](const std::string& rel) {
    std::string error;
    auto m = parse(slurp(dir / rel), &error);
    EXPECT_TRUE(m) << rel << ": " << error;
    return m ? *m : ParsedMail{};
  };
  EXPECT_EQ(mail("ghost-root/child").in_reply_to, "000-real-root@example.org");
  EXPECT_EQ(mail("ghost-root/grand-child").in_reply_to, "001-child@example.org");
  EXPECT_EQ(mail("ghost-root/great-grand-child").in_reply_to, "001-grand-child@example.org");
  auto fake = mail("ghost-root/fake-root");
  EXPECT_EQ(fake.in_reply_to, "nonexistent-message@example.org");
  EXPECT_EQ(fake.references,
            (std::vector<std::string>{"000-real-root@example.org", "001-child@example.org",
                                      "nonexistent-message@example.org"}));
  EXPECT_EQ(mail("parent-priority/cur/grand-child").in_reply_to, "B01-child@example.org");
  EXPECT_EQ(mail("parent-priority/cur/child").references,
            (std::vector<std::string>{"B00--root@example.org"}));
  EXPECT_EQ(mail("parent-priority/cur/root").message_id, "B00-root@example.org");
}

}  // namespace
