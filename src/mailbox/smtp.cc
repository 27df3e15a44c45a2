// SMTP over libcurl: sending a raw message, and the connection test, which
// stops after RCPT TO. curl's debug callback tells which command the server
// refused and with what reply; AUTH's arguments are never kept.
#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include "mailbox/imap_text.h"
#include "mailbox/mail_error.h"
#include "mailbox/mailbox.h"

namespace sb::mailbox {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, ListDeleter>;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What the SMTP conversation reached: the last command's verb and reply, and
// the first command the server refused (curl still sends QUIT after it).
struct Transcript {
  std::string last_verb;
  std::string last_reply;
  std::string refused_verb;
  std::string refused_reply;
  bool connected = false;
};

int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* t = static_cast<Transcript*>(user);
  std::string_view text(data, std::min<std::size_t>(size, 512));
  if (type == CURLINFO_HEADER_OUT) {
    t->last_verb =
        std::string(text.substr(0, std::min(text.find_first_of(" \r\n:"), std::size_t{16})));
    for (auto& c : t->last_verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else if (type == CURLINFO_HEADER_IN) {
    t->connected = true;
    t->last_reply = std::string(text.substr(0, text.find_first_of("\r\n")));
    bool final_line = t->last_reply.size() >= 4 && t->last_reply[3] == ' ';
    if (final_line && (t->last_reply[0] == '4' || t->last_reply[0] == '5') &&
        t->refused_verb.empty()) {
      t->refused_verb = t->last_verb.empty() ? "GREETING" : t->last_verb;
      t->refused_reply = t->last_reply;
    }
  }
  return 0;
}

struct Upload {
  std::string_view bytes;
  std::size_t at = 0;
};

std::size_t on_read(char* out, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  auto take = std::min(size * n, u->bytes.size() - u->at);
  std::copy_n(u->bytes.data() + u->at, take, out);
  u->at += take;
  return take;
}

std::string url_for(const ServerSettings& s) {
  auto host = s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host;
  return std::string(s.security == Security::tls ? "smtps://" : "smtp://") + host + ":" +
         std::to_string(s.port);
}

// The options every SMTP connection shares: TLS, login, timeouts, transcript.
CurlHandle open_handle(const MailboxSettings& s, const Timeouts& t, Transcript& transcript) {
  CurlHandle curl(curl_easy_init());
  if (!curl) throw std::runtime_error("libcurl failed to start");
  auto* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url_for(s.smtp).c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   s.smtp.security == Security::none ? CURLUSESSL_NONE : CURLUSESSL_ALL);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, s.allow_self_signed ? 0L : 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, s.allow_self_signed ? 0L : 2L);
  if (!s.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, s.ca_file.c_str());
  if (!s.smtp.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, s.smtp.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, s.smtp.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(t.connect.count()));
  curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                   std::max(1L, static_cast<long>(t.command.count() / 1000)));
  // A stalled transfer (below 1 byte/s for a command timeout) ends too.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                   std::max(1L, static_cast<long>(t.command.count() / 1000)));
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &transcript);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
  return curl;
}

Stage stage_of_verb(const std::string& verb) {
  if (verb == "MAIL") return Stage::mail_from;
  if (verb == "RCPT") return Stage::rcpt;
  if (verb == "DATA" || verb == "BDAT" || verb.empty()) return Stage::data;
  if (verb == "AUTH") return Stage::auth;
  if (verb == "STARTTLS") return Stage::tls;
  if (verb == "GREETING" || verb == "EHLO" || verb == "HELO") return Stage::connect;
  return Stage::protocol;
}

SendResult failure(CURL* c, CURLcode rc, Transcript t, const char* error_buffer) {
  if (!t.refused_verb.empty()) {
    t.last_verb = t.refused_verb;
    t.last_reply = t.refused_reply;
  }
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (!t.refused_reply.empty()) code = std::atol(t.refused_reply.c_str());
  SendResult r;
  r.code = static_cast<int>(code);
  std::string local = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
      r.stage = Stage::dns;
      break;
    case CURLE_COULDNT_CONNECT:
      r.stage = Stage::connect;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      r.stage = t.connected ? stage_of_verb(t.last_verb) : Stage::connect;
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      r.stage = Stage::tls;
      break;
    case CURLE_LOGIN_DENIED:
      r.stage = Stage::auth;
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
      r.stage = Stage::settings;
      break;
    default:
      r.stage = t.connected ? stage_of_verb(t.last_verb) : Stage::connect;
  }
  bool message_refused =
      r.stage == Stage::mail_from || r.stage == Stage::rcpt || r.stage == Stage::data;
  r.permanent = message_refused && code >= 500 && code < 600;
  r.text = (code > 0 && !t.last_reply.empty()) ? t.last_reply + " (" + local + ")" : local;
  return r;
}

std::string angle(const std::string& address) {
  return "<" + address + ">";
}

bool is_clean_address(const std::string& a) {
  return !a.empty() && a.size() <= 254 && a.find_first_of("<>\r\n\t ") == std::string::npos;
}

}  // namespace

SendResult send_mail(const MailboxSettings& s, const std::string& envelope_from,
                     const std::vector<std::string>& recipients, std::string_view raw,
                     const Timeouts& t) {
  if (s.smtp.security == Security::none && !is_loopback_host(s.smtp.host))
    return {false, true, Stage::settings, 0, "plain SMTP is allowed only to a loopback host"};
  if (recipients.empty() || recipients.size() > 1000 ||
      !std::all_of(recipients.begin(), recipients.end(), is_clean_address) ||
      (!envelope_from.empty() && !is_clean_address(envelope_from)))
    return {false, true, Stage::settings, 0, "the envelope has no or malformed addresses"};
  init_curl_once();
  Transcript transcript;
  auto curl = open_handle(s, t, transcript);
  auto* c = curl.get();
  CurlList rcpt;
  for (const auto& r : recipients) rcpt.reset(curl_slist_append(rcpt.release(), angle(r).c_str()));
  Upload upload{raw};
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, angle(envelope_from).c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(raw.size()));
  curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  auto rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return failure(c, rc, transcript, error_buffer);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  return {true, false, Stage::none, static_cast<int>(code), transcript.last_reply};
}

namespace {

// One command on a CONNECT_ONLY handle: send it, read the reply's last line.
struct RawReply {
  int code = 0;
  std::string text;
};

RawReply raw_command(CURL* c, const std::string& line, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t sent = 0;
  while (sent < line.size()) {
    std::size_t n = 0;
    auto rc = curl_easy_send(c, line.data() + sent, line.size() - sent, &n);
    if (rc == CURLE_AGAIN) {
      if (std::chrono::steady_clock::now() > deadline)
        throw MailError(Stage::protocol, "sending timed out");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (rc != CURLE_OK)
      throw MailError(Stage::protocol, std::string("connection lost: ") + curl_easy_strerror(rc));
    sent += n;
  }
  std::string in;
  for (;;) {
    // A reply is complete at a line "NNN text" (no dash after the code).
    for (std::size_t start = 0, end; (end = in.find("\r\n", start)) != std::string::npos;
         start = end + 2)
      if (end - start >= 3 && (end - start == 3 || in[start + 3] == ' '))
        return {std::atoi(in.substr(start, 3).c_str()),
                in.substr(start, std::min<std::size_t>(end - start, 300))};
    if (in.size() > 64 * 1024) throw MailError(Stage::protocol, "reply too long");
    char buf[4096];
    std::size_t n = 0;
    auto rc = curl_easy_recv(c, buf, sizeof buf, &n);
    if (rc == CURLE_AGAIN) {
      if (std::chrono::steady_clock::now() > deadline)
        throw MailError(Stage::protocol, "the server did not answer in time");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (rc != CURLE_OK || n == 0) throw MailError(Stage::protocol, "connection lost");
    in.append(buf, n);
  }
}

}  // namespace

CheckResult check_smtp(const MailboxSettings& s, const Timeouts& t) {
  if (s.smtp.security == Security::none && !is_loopback_host(s.smtp.host))
    return {false, Stage::settings, "plain SMTP is allowed only to a loopback host"};
  if (!is_clean_address(s.from_address))
    return {false, Stage::settings, "the from address is malformed"};
  init_curl_once();
  Transcript transcript;
  auto curl = open_handle(s, t, transcript);
  auto* c = curl.get();
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  // CONNECT_ONLY stops after the greeting, EHLO, STARTTLS and AUTH.
  curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  auto rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    auto f = failure(c, rc, transcript, error_buffer);
    return {false, f.stage, f.text};
  }
  try {
    auto from = raw_command(c, "MAIL FROM:" + angle(s.from_address) + "\r\n", t.command);
    if (from.code != 250) return {false, Stage::mail_from, "MAIL FROM refused: " + from.text};
    auto to = raw_command(c, "RCPT TO:" + angle(s.from_address) + "\r\n", t.command);
    if (to.code != 250 && to.code != 251)
      return {false, Stage::rcpt, "RCPT TO refused: " + to.text};
    raw_command(c, "RSET\r\n", t.command);
    raw_command(c, "QUIT\r\n", t.command);
  } catch (const MailError& e) {
    return {false, e.stage, e.what()};
  }
  return {true, Stage::none, "connected, logged in, and sender and recipient accepted"};
}

}  // namespace sb::mailbox
