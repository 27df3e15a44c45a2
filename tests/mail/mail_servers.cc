#include "mail_servers.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "support/run_command.h"

namespace sb::mailtest {

namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

using test::run_command;

std::string script_command(const std::string& verb, const std::string& dir) {
  return std::string(SB_MAILSERVERS_SCRIPT) + " " + verb + " '" + dir + "'";
}

int port_of(const json::value& v) {
  return v.is_int64() ? static_cast<int>(v.as_int64()) : 0;
}

void shut(tcp::socket& s) {
  boost::system::error_code ignored;
  s.shutdown(tcp::socket::shutdown_both, ignored);
}

std::string read_reply(tcp::socket& s, std::string& buffer) {
  for (;;) {
    for (std::size_t start = 0, end; (end = buffer.find("\r\n", start)) != std::string::npos;
         start = end + 2)
      if (end - start >= 4 && buffer[start + 3] == ' ') {
        auto line = buffer.substr(start, end - start);
        buffer.erase(0, end + 2);
        return line;
      }
    char chunk[4096];
    auto n = s.read_some(asio::buffer(chunk));
    buffer.append(chunk, n);
  }
}

void expect_code(const std::string& reply, char first) {
  if (reply.empty() || reply[0] != first) throw std::runtime_error("LMTP refused: " + reply);
}

}  // namespace

std::unique_ptr<MailServers> MailServers::start(bool idle) {
  char tmpl[] = "/tmp/sb-mail-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  auto s = std::make_unique<MailServers>();
  s->dir = tmpl;
  auto log = s->dir + "/start.log";
  auto [out, ok] = run_command(script_command("start", s->dir) + (idle ? "" : " --no-idle") +
                               " 2>'" + log + "'");
  if (!ok) {
    auto [why, _] = run_command("cat '" + log + "'");
    throw std::runtime_error("the mail servers did not start:\n" + why);
  }
  auto v = json::parse(out).as_object();
  s->user = json::value_to<std::string>(v.at("user"));
  s->password = json::value_to<std::string>(v.at("password"));
  s->address = json::value_to<std::string>(v.at("address"));
  s->certificate = json::value_to<std::string>(v.at("certificate"));
  s->maildir = json::value_to<std::string>(v.at("maildir"));
  const auto& imap = v.at("imap").as_object();
  s->imap_plain = port_of(imap.at("plain"));
  s->imap_tls = port_of(imap.at("tls"));
  s->lmtp = port_of(v.at("lmtp"));
  if (const auto* smtp = v.at("smtp").if_object()) {
    s->has_smtp = true;
    s->smtp_plain = port_of(smtp->at("plain"));
    s->smtp_starttls = port_of(smtp->at("starttls"));
    s->smtp_tls = port_of(smtp->at("tls"));
  }
  return s;
}

// The daemons take about two seconds to shut down cleanly; the next test need
// not wait for that, so they stop (and their directory goes) in the background.
MailServers::~MailServers() {
  run_command("(" + script_command("stop", dir) + "; rm -rf '" + dir +
              "') </dev/null >/dev/null 2>&1 &");
}

mailbox::MailboxSettings MailServers::settings(mailbox::Security imap,
                                               mailbox::Security smtp) const {
  mailbox::MailboxSettings s;
  s.imap = {host, imap == mailbox::Security::tls ? imap_tls : imap_plain, imap, user, password};
  int smtp_port = smtp == mailbox::Security::tls        ? smtp_tls
                  : smtp == mailbox::Security::starttls ? smtp_starttls
                                                        : smtp_plain;
  s.smtp = {host, smtp_port, smtp, smtp == mailbox::Security::none ? "" : user,
            smtp == mailbox::Security::none ? "" : password};
  s.from_address = address;
  s.display_name = "Support";
  s.ca_file = certificate;
  return s;
}

void MailServers::deliver(const std::string& raw) const {
  asio::io_context io;
  tcp::socket s(io);
  s.connect({asio::ip::make_address(host), static_cast<unsigned short>(lmtp)});
  std::string buffer;
  auto say = [&](const std::string& line, char expect) {
    asio::write(s, asio::buffer(line));
    expect_code(read_reply(s, buffer), expect);
  };
  expect_code(read_reply(s, buffer), '2');
  say("LHLO localhost\r\n", '2');
  say("MAIL FROM:<sender@example.test>\r\n", '2');
  say("RCPT TO:<" + address + ">\r\n", '2');
  say("DATA\r\n", '3');
  std::string data;
  for (std::size_t at = 0; at < raw.size();) {  // dot-stuffing
    auto end = raw.find("\r\n", at);
    end = end == std::string::npos ? raw.size() : end + 2;
    if (raw[at] == '.') data += '.';
    data.append(raw, at, end - at);
    at = end;
  }
  if (!data.ends_with("\r\n")) data += "\r\n";
  say(data + ".\r\n", '2');
  asio::write(s, asio::buffer(std::string("QUIT\r\n")));
}

std::string MailServers::imap_greeting() const {
  asio::io_context io;
  tcp::socket s(io);
  boost::system::error_code ec;
  s.connect({asio::ip::make_address(host), static_cast<unsigned short>(imap_plain)}, ec);
  std::string line;
  if (!ec) asio::read_until(s, asio::dynamic_buffer(line), "\r\n", ec);
  return line;
}

int MailServers::doveadm(const std::string& args) const {
  auto [out, ok] = run_command("doveadm -c '" + dir + "/dovecot/dovecot.conf' " + args + " 2>&1");
  if (!ok) std::fprintf(stderr, "doveadm %s: %s\n", args.c_str(), out.c_str());
  return ok ? 0 : 1;
}

struct CuttingProxy::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::mutex mu;
  std::vector<std::shared_ptr<tcp::socket>> sockets;
  std::vector<std::thread> threads;
};

CuttingProxy::CuttingProxy(int target_port, std::size_t cut_after)
    : impl_(std::make_unique<Impl>()) {
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->threads.emplace_back([this, target_port, cut_after] {
    for (;;) {
      auto client = std::make_shared<tcp::socket>(impl_->io);
      boost::system::error_code ec;
      impl_->acceptor.accept(*client, ec);
      if (ec) return;
      auto server = std::make_shared<tcp::socket>(impl_->io);
      server->connect(
          {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(target_port)}, ec);
      if (ec) continue;
      std::size_t limit = connections_++ == 0 ? cut_after : SIZE_MAX;
      std::lock_guard lock(impl_->mu);
      impl_->sockets.push_back(client);
      impl_->sockets.push_back(server);
      auto pump = [client, server](tcp::socket& from, tcp::socket& to, std::size_t limit) {
        char buf[16 * 1024];
        boost::system::error_code e;
        for (std::size_t moved = 0; moved < limit;) {
          auto n = from.read_some(asio::buffer(buf, std::min(sizeof buf, limit - moved)), e);
          if (e) break;
          asio::write(to, asio::buffer(buf, n), e);
          if (e) break;
          moved += n;
        }
        shut(*client);
        shut(*server);
      };
      impl_->threads.emplace_back([=] { pump(*server, *client, limit); });
      impl_->threads.emplace_back([=] { pump(*client, *server, SIZE_MAX); });
    }
  });
}

CuttingProxy::~CuttingProxy() {
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);  // wakes the blocked accept
  {
    std::lock_guard lock(impl_->mu);
    for (auto& s : impl_->sockets) shut(*s);
  }
  impl_->threads.front().join();
  std::lock_guard lock(impl_->mu);
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
}

struct CannedServer::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::vector<std::shared_ptr<tcp::socket>> held;
  std::thread thread;
};

CannedServer::CannedServer(std::string says) : impl_(std::make_unique<Impl>()) {
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->thread = std::thread([this, says] {
    for (;;) {
      auto s = std::make_shared<tcp::socket>(impl_->io);
      boost::system::error_code ec;
      impl_->acceptor.accept(*s, ec);
      if (ec) return;
      asio::write(*s, asio::buffer(says), ec);
      impl_->held.push_back(s);
    }
  });
}

CannedServer::~CannedServer() {
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  impl_->thread.join();
}

std::string make_message(const std::string& to, const std::string& subject,
                         std::size_t body_bytes) {
  static std::atomic<int> counter{0};
  auto id = std::to_string(++counter) + "." + std::to_string(::getpid());
  std::string m =
      "From: Customer <customer@example.test>\r\nTo: " + to + "\r\nSubject: " + subject +
      "\r\nDate: Thu, 03 Dec 2026 17:00:00 +0000\r\nMessage-ID: <" + id +
      "@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
  // Lines that start with a dot test the transparency of SMTP and LMTP.
  std::size_t line = 0;
  while (body_bytes > 0) {
    std::string text = (line % 7 == 0 ? "." : "") + std::string("line ") + std::to_string(line) +
                       " of " + subject + " \xc3\xa0\xc3\xa8 abcdefghijklmnopqrstuvwxyz0123456789";
    text.resize(std::min<std::size_t>(text.size(), body_bytes));
    m += text + "\r\n";
    body_bytes -= text.size();
    ++line;
  }
  return m;
}

}  // namespace sb::mailtest
