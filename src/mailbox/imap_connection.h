// One IMAP session over Asio + OpenSSL, blocking with deadlines: each read or
// write runs the connection's own io_context for at most its timeout, so the
// caller's thread (the poller's, never an HTTP I/O thread) owns it entirely.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

#include "mailbox/mail_error.h"
#include "mailbox/mailbox.h"

namespace sb::mailbox {

struct SelectedFolder {
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 0;
  std::uint32_t exists = 0;
};

// What IDLE ended with.
enum class IdleOutcome { new_mail, expunged, renewal_due, stopping };

class ImapConnection {
 public:
  ImapConnection(const MailboxSettings& settings, const Timeouts& timeouts);
  ~ImapConnection();

  void connect();  // DNS, TCP, TLS or STARTTLS, greeting, CAPABILITY
  void login();    // AUTHENTICATE PLAIN, else LOGIN, else AUTHENTICATE LOGIN
  SelectedFolder select(const std::string& folder);
  bool has_capability(const std::string& name) const;
  void noop();
  // UID FETCH first:* (UID RFC822.SIZE BODY.PEEK[]); each message with a UID
  // >= first, in the server's order. Larger than `max_bytes`: read, dropped, and
  // reported with an empty body and `oversized` set.
  void fetch_from(
      std::uint32_t first, std::size_t max_bytes,
      const std::function<void(std::uint32_t uid, std::string raw, bool oversized)>& on_message);
  void mark_seen(std::uint32_t uid);
  void move(std::uint32_t uid, const std::string& folder);
  // IDLE until new mail, an expunge, `renewal` passes or `stopping` turns true.
  IdleOutcome idle(std::chrono::milliseconds renewal, const std::atomic<bool>& stopping);
  // True when the server announced new mail (EXISTS) since the last call. A mail
  // announced in any command's reply is not announced again in the IDLE after it.
  bool take_mail_announcement() { return std::exchange(mail_announced_, false); }
  void logout();  // best effort

 private:
  struct Reply {
    std::string status;  // OK, NO, BAD
    std::string text;
  };
  std::string send_command(const std::string& command);  // returns the tag
  Reply authenticate(const std::string& mechanism, const std::vector<std::string>& answers);
  Reply read_until_tagged(const std::string& tag,
                          const std::function<void(const std::string&)>& on_untagged = {});
  Reply command(const std::string& text,
                const std::function<void(const std::string&)>& on_untagged = {});
  void expect_ok(const Reply& r, Stage stage, const std::string& what);

  std::string read_line();                           // without CRLF; bounded
  void read_exact(std::size_t n, std::string* out);  // out null: discard
  void write_all(const std::string& bytes);
  std::size_t read_some(char* data, std::size_t size, std::chrono::milliseconds timeout);
  bool wait_readable_for(std::chrono::milliseconds slice);
  void cancel_socket();

  void tcp_connect();
  void tls_handshake();
  void note_capabilities(const std::string& line);

  MailboxSettings settings_;
  Timeouts timeouts_;
  boost::asio::io_context io_;
  boost::asio::ssl::context tls_context_;
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  std::string buffer_;  // bytes read and not yet consumed
  bool mail_announced_ = false;
  std::set<std::string> capabilities_;
  unsigned next_tag_ = 1;
};

}  // namespace sb::mailbox
