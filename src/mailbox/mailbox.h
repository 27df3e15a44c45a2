// The public header of mailbox/: the network side of the e-mail channel. It
// fetches raw messages from an IMAP mailbox (IDLE, else polling), sends raw
// messages over SMTP, tests both connections stage by stage, and keeps a
// mailbox's settings with their passwords sealed at rest. It never parses
// MIME: bytes in, bytes out.
//
// Libraries. IMAP is a small client on Boost.Asio + OpenSSL (already in the
// project): libcurl has no IDLE and cannot upgrade a raw CONNECT_ONLY socket
// with STARTTLS, and libetpan would be a second TLS and event stack for the
// five commands used here. SMTP is libcurl, which does EHLO, STARTTLS, AUTH,
// dot-stuffing and pipelining well.
#pragma once

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sb {
class Env;
}

namespace sb::mailbox {

// How a connection is protected. `none` is refused unless the host is loopback.
enum class Security { tls, starttls, none };
const char* security_name(Security s);
std::optional<Security> parse_security(std::string_view name);

struct ServerSettings {
  std::string host;
  int port = 0;
  Security security = Security::tls;
  std::string user;
  std::string password;
};

// What happens to a fetched message on the server. Default: nothing; the UID
// remembered by the caller is what keeps it from being fetched again.
enum class AfterFetch { keep, mark_seen, move };

struct MailboxSettings {
  ServerSettings imap;
  std::string folder = "INBOX";
  AfterFetch after_fetch = AfterFetch::keep;
  std::string move_to;  // the folder for AfterFetch::move
  ServerSettings smtp;
  std::string from_address;
  std::string display_name;
  // Accept any certificate (test servers, self-signed installations).
  bool allow_self_signed = false;
  // Extra trusted CA file (PEM); not part of the JSON, set by the server or tests.
  std::string ca_file;
};

// Every problem with the settings, in words for the admin; empty when valid.
std::vector<std::string> validate(const MailboxSettings& s);

// JSON for the API: passwords are never shown, only whether one is set.
boost::json::object to_json(const MailboxSettings& s);
// From the API's JSON. A password left out (or null) keeps `previous`'s, so an
// admin can change the host without typing the password again. Throws
// std::invalid_argument on a wrong shape; call validate() for the rules.
MailboxSettings from_json(const boost::json::value& v, const MailboxSettings* previous = nullptr);

// Passwords sealed with libsodium's secretbox under a key file in the data
// directory, created on first use (0600, through Env).
class PasswordBox {
 public:
  static PasswordBox open(Env& env, const std::string& data_dir);
  std::string seal(std::string_view password) const;  // base64 of nonce + box
  // nullopt when it was sealed under another key or altered.
  std::optional<std::string> unseal(std::string_view sealed) const;

 private:
  PasswordBox(Env& env, std::string key) : env_(&env), key_(std::move(key)) {}
  Env* env_;
  std::string key_;
};

// Settings as stored: the API's JSON with each password sealed.
std::string to_stored_json(const MailboxSettings& s, const PasswordBox& box);
// Throws std::invalid_argument when the text is not stored settings or a
// password cannot be unsealed.
MailboxSettings from_stored_json(std::string_view text, const PasswordBox& box);

// Nothing waits forever: connect (DNS + TCP + TLS) and each command are bounded.
struct Timeouts {
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds command{30'000};
};

// Where a connection or a send failed.
enum class Stage {
  none,
  settings,
  dns,
  connect,
  tls,
  auth,
  mailbox,
  mail_from,
  rcpt,
  data,
  protocol
};
const char* stage_name(Stage s);

struct CheckResult {
  bool ok = false;
  Stage stage = Stage::none;
  std::string message;  // what failed, for the admin; never a password
};

// Connect, log in and SELECT the folder; LOGOUT.
CheckResult check_imap(const MailboxSettings& s, const Timeouts& t = {});
// Connect, EHLO, STARTTLS, AUTH, then MAIL FROM the from address and RCPT TO it,
// and RSET: nothing is sent.
CheckResult check_smtp(const MailboxSettings& s, const Timeouts& t = {});

struct SendResult {
  bool ok = false;
  // The server refused this message (5xx to MAIL FROM, RCPT TO or DATA): retrying
  // will not help. Anything else (4xx, network, TLS, a refused login) may pass
  // once the server or the settings are fixed.
  bool permanent = false;
  Stage stage = Stage::none;
  int code = 0;      // the SMTP reply code, 0 when none came
  std::string text;  // the server's reply or the local error
};

// Sends `raw` (CRLF lines, as built by mime/) to every recipient (To + Cc + Bcc)
// with `envelope_from` as the return path.
SendResult send_mail(const MailboxSettings& s, const std::string& envelope_from,
                     const std::vector<std::string>& recipients, std::string_view raw,
                     const Timeouts& t = {});

// Where fetching stands in one mailbox; the caller keeps it between runs.
struct FetchState {
  std::uint32_t uidvalidity = 0;  // 0: never selected
  std::uint32_t last_uid = 0;     // every message up to it was handed over
};

struct FetchedMail {
  std::string raw;
  std::uint32_t uid = 0;
  std::uint32_t uidvalidity = 0;
};

struct PollerOptions {
  MailboxSettings settings;
  FetchState start;
  Timeouts timeouts;
  std::chrono::milliseconds poll_interval{60'000};      // without IDLE
  std::chrono::milliseconds idle_renewal{25 * 60'000};  // servers drop IDLE after 30 min
  std::chrono::milliseconds reconnect_delay{5'000};     // after an error, doubling to 5 min
  std::size_t max_message_bytes = 32 * 1024 * 1024;     // bigger ones are skipped
};

// Fetches new mail on its own thread and hands each message to `on_mail` (on
// that thread), in UID order; a message counts as fetched only once on_mail
// returns, so one that throws is fetched again. When UIDVALIDITY changes, the
// whole folder is fetched again (the ingest drops duplicates by Message-ID).
// Reconnects after any error. Persist FetchState from on_mail's FetchedMail
// (uid, uidvalidity) or from state().
class ImapPoller {
 public:
  using OnMail = std::function<void(const FetchedMail&)>;
  ImapPoller(PollerOptions options, OnMail on_mail);
  ~ImapPoller();  // stops
  ImapPoller(const ImapPoller&) = delete;
  ImapPoller& operator=(const ImapPoller&) = delete;

  void start();
  // Within a fraction of a second while idling or between polls; in the middle
  // of a command, within the command timeout.
  void stop();
  FetchState state() const;
  bool idling() const { return idling_; }                         // waiting in IDLE now
  std::string last_error() const;                                 // the latest failure, or empty
  std::uint64_t connections() const { return connections_; }      // sessions opened
  std::uint64_t idle_commands() const { return idle_commands_; }  // IDLEs issued

 private:
  void run();
  void session();
  bool sleep_for(std::chrono::milliseconds d);  // false when stopping

  PollerOptions options_;
  OnMail on_mail_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  FetchState state_;
  std::string last_error_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> idling_{false};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> idle_commands_{0};
  std::thread thread_;
};

}  // namespace sb::mailbox
