// Real mail servers for a test: tests/mail/mailservers.sh started in a fresh
// temporary directory; destroying this object stops them and removes it.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "mailbox/mailbox.h"

namespace sb::mailtest {

struct MailServers {
  // Throws std::runtime_error with the daemons' log when they do not start.
  static std::unique_ptr<MailServers> start(bool idle = true);
  ~MailServers();

  // Settings for the test account; TLS accepted through the generated certificate.
  mailbox::MailboxSettings settings(mailbox::Security imap = mailbox::Security::tls,
                                    mailbox::Security smtp = mailbox::Security::starttls) const;
  // Delivers straight into Dovecot over LMTP (no SMTP server involved).
  void deliver(const std::string& raw) const;
  // The first line the plain IMAP port sends.
  std::string imap_greeting() const;
  // Runs doveadm against this Dovecot; returns its exit status.
  int doveadm(const std::string& args) const;

  std::string dir;
  std::string host = "127.0.0.1";
  std::string user, password, address, certificate, maildir;
  int imap_plain = 0, imap_tls = 0, lmtp = 0;
  bool has_smtp = false;
  int smtp_plain = 0, smtp_starttls = 0, smtp_tls = 0;
};

// A plain TCP relay to `target_port` on loopback; the first connection it
// carries is cut after `cut_after` bytes have gone from the server to the client.
class CuttingProxy {
 public:
  CuttingProxy(int target_port, std::size_t cut_after);
  ~CuttingProxy();
  int port() const { return port_; }
  int connections() const { return connections_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<int> connections_{0};
};

// A listener that accepts, sends `says` (maybe nothing) and then only listens.
class CannedServer {
 public:
  explicit CannedServer(std::string says = "");
  ~CannedServer();
  int port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// A message with CRLF lines, a unique Message-ID and `body_bytes` of body.
std::string make_message(const std::string& to, const std::string& subject, std::size_t body_bytes);

}  // namespace sb::mailtest
