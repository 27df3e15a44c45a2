// The IMAP commands the mailbox uses, over the transport in imap_transport.cc.
#include "mailbox/imap_connection.h"

#include <algorithm>

#include "mailbox/imap_text.h"

namespace sb::mailbox {

using std::chrono::milliseconds;

namespace {

constexpr std::size_t kMaxLineBytes = 1024 * 1024;  // also the largest unasked-for literal
constexpr std::size_t kMaxUntaggedLines = 100'000;  // per command, besides fetched messages

}  // namespace

void ImapConnection::connect() {
  tcp_connect();
  if (settings_.imap.security == Security::tls) tls_handshake();
  std::string greeting;
  try {
    greeting = read_line();
  } catch (const MailError& e) {
    throw MailError(Stage::connect, std::string("no IMAP greeting: ") + e.what());
  }
  if (starts_with_ci(greeting, "* BYE"))
    throw MailError(Stage::connect, "server refused the connection: " + clip(greeting));
  if (!starts_with_ci(greeting, "* OK") && !starts_with_ci(greeting, "* PREAUTH"))
    throw MailError(Stage::protocol, "not an IMAP server: " + clip(greeting));
  note_capabilities(greeting);
  if (settings_.imap.security == Security::starttls) {
    if (capabilities_.empty()) command("CAPABILITY");
    if (!has_capability("STARTTLS"))
      throw MailError(Stage::tls, "the server does not offer STARTTLS");
    auto r = command("STARTTLS");
    if (r.status != "OK") throw MailError(Stage::tls, "STARTTLS refused: " + clip(r.text));
    buffer_.clear();  // nothing sent before TLS may be trusted after it
    tls_handshake();
    capabilities_.clear();
  }
  if (capabilities_.empty()) command("CAPABILITY");
}

void ImapConnection::note_capabilities(const std::string& line) {
  auto up = upper(line);
  std::string_view list;
  if (auto at = up.find("[CAPABILITY "); at != std::string::npos) {
    auto end = up.find(']', at);
    list = std::string_view(up).substr(
        at + 12, end == std::string::npos ? std::string::npos : end - at - 12);
  } else if (up.starts_with("* CAPABILITY ")) {
    list = std::string_view(up).substr(13);
  } else {
    return;
  }
  capabilities_.clear();
  while (!list.empty()) {
    auto sp = list.find(' ');
    if (sp != 0) capabilities_.emplace(list.substr(0, sp));
    if (sp == std::string_view::npos) break;
    list.remove_prefix(sp + 1);
  }
}

bool ImapConnection::has_capability(const std::string& name) const {
  return capabilities_.contains(upper(name));
}

// AUTHENTICATE with the answers to the server's challenges, in order; the
// tagged reply. A refusal may come instead of any challenge.
ImapConnection::Reply ImapConnection::authenticate(const std::string& mechanism,
                                                   const std::vector<std::string>& answers) {
  auto tag = send_command("AUTHENTICATE " + mechanism);
  for (const auto& answer : answers) {
    auto line = read_line();
    if (line.starts_with(tag + " ")) return {"NO", line.substr(tag.size() + 1)};
    if (!line.starts_with("+")) throw MailError(Stage::auth, "AUTHENTICATE refused");
    write_all(base64(answer) + "\r\n");
  }
  return read_until_tagged(tag);
}

void ImapConnection::login() {
  const auto& s = settings_.imap;
  auto plain = std::string(1, '\0') + s.user + std::string(1, '\0') + s.password;
  Reply r;
  if (has_capability("AUTH=PLAIN") && has_capability("SASL-IR")) {
    r = command("AUTHENTICATE PLAIN " + base64(plain));
  } else if (has_capability("AUTH=PLAIN")) {
    r = authenticate("PLAIN", {plain});
  } else if (!has_capability("LOGINDISABLED")) {
    r = command("LOGIN " + quoted(s.user) + " " + quoted(s.password));
  } else if (has_capability("AUTH=LOGIN")) {
    r = authenticate("LOGIN", {s.user, s.password});
  } else {
    throw MailError(Stage::auth, "the server offers no login this client knows");
  }
  if (r.status != "OK")
    throw MailError(Stage::auth, "login as " + s.user + " refused: " + clip(r.text));
  capabilities_.clear();
  note_capabilities(r.text);
  if (capabilities_.empty()) command("CAPABILITY");
}

SelectedFolder ImapConnection::select(const std::string& folder) {
  SelectedFolder f;
  auto r = command("SELECT " + quoted(folder), [&](const std::string& line) {
    if (auto v = number_after(line, "[UIDVALIDITY")) f.uidvalidity = static_cast<std::uint32_t>(*v);
    if (auto v = number_after(line, "[UIDNEXT")) f.uidnext = static_cast<std::uint32_t>(*v);
    if (numbered_untagged_kind(line) == "EXISTS")
      f.exists = static_cast<std::uint32_t>(number_after(line, "*").value_or(0));
  });
  if (r.status != "OK")
    throw MailError(Stage::mailbox, "cannot open folder " + folder + ": " + clip(r.text));
  if (f.uidvalidity == 0) throw MailError(Stage::protocol, "the server sent no UIDVALIDITY");
  return f;
}

void ImapConnection::noop() {
  expect_ok(command("NOOP"), Stage::protocol, "NOOP");
}

void ImapConnection::fetch_from(
    std::uint32_t first, std::size_t max_bytes,
    const std::function<void(std::uint32_t, std::string, bool)>& on_message) {
  auto tag =
      send_command("UID FETCH " + std::to_string(first) + ":* (UID RFC822.SIZE BODY.PEEK[])");
  for (std::size_t other_lines = 0;;) {
    auto line = read_line();
    if (line.starts_with(tag + " ")) {
      Reply r{upper(line.substr(tag.size() + 1, 3)), line};
      if (r.status.starts_with("OK")) return;
      throw MailError(Stage::protocol, "UID FETCH failed: " + clip(line));
    }
    if (starts_with_ci(line, "* BYE"))
      throw MailError(Stage::protocol, "server closed: " + clip(line));
    auto size = literal_size(line);
    if (numbered_untagged_kind(line) != "FETCH" || !size) {  // flags, EXISTS...
      if (++other_lines > kMaxUntaggedLines)
        throw MailError(Stage::protocol, "the server sent too many lines for one command");
      if (size && *size > kMaxLineBytes)
        throw MailError(Stage::protocol, "unexpected large literal");
      if (size) read_exact(static_cast<std::size_t>(*size), nullptr);
      continue;
    }
    auto uid = number_after(line, "UID");
    bool oversized = *size > max_bytes;
    std::string raw;
    if (!oversized) read_exact(static_cast<std::size_t>(*size), &raw);
    if (oversized) {
      if (uid) on_message(static_cast<std::uint32_t>(*uid), {}, true);
      throw MailError(Stage::protocol, "a message of " + std::to_string(*size) +
                                           " bytes is over the limit; skipped");
    }
    auto rest = read_line();  // ")" or more items, maybe the UID
    if (!uid) uid = number_after(rest, "UID");
    if (!uid) throw MailError(Stage::protocol, "FETCH response without a UID");
    if (*uid >= first) on_message(static_cast<std::uint32_t>(*uid), std::move(raw), false);
  }
}

void ImapConnection::mark_seen(std::uint32_t uid) {
  expect_ok(command("UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)"),
            Stage::protocol, "UID STORE");
}

void ImapConnection::move(std::uint32_t uid, const std::string& folder) {
  auto id = std::to_string(uid);
  if (has_capability("MOVE")) {
    expect_ok(command("UID MOVE " + id + " " + quoted(folder)), Stage::mailbox, "UID MOVE");
    return;
  }
  expect_ok(command("UID COPY " + id + " " + quoted(folder)), Stage::mailbox, "UID COPY");
  expect_ok(command("UID STORE " + id + " +FLAGS.SILENT (\\Deleted)"), Stage::protocol,
            "UID STORE");
  expect_ok(command(has_capability("UIDPLUS") ? "UID EXPUNGE " + id : std::string("EXPUNGE")),
            Stage::protocol, "EXPUNGE");
}

IdleOutcome ImapConnection::idle(milliseconds renewal, const std::atomic<bool>& stopping) {
  auto tag = send_command("IDLE");
  for (;;) {  // untagged lines may come before the continuation
    auto line = read_line();
    if (line.starts_with("+")) break;
    if (line.starts_with(tag + " "))
      throw MailError(Stage::protocol, "IDLE refused: " + clip(line));
  }
  auto deadline = std::chrono::steady_clock::now() + renewal;
  // Announced before the continuation: the server will not say it again.
  auto outcome = mail_announced_ ? IdleOutcome::new_mail : IdleOutcome::renewal_due;
  while (outcome == IdleOutcome::renewal_due) {
    if (stopping) {
      outcome = IdleOutcome::stopping;
      break;
    }
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= milliseconds(0)) break;
    if (!wait_readable_for(std::min(left, milliseconds(200)))) continue;
    auto line = read_line();
    auto kind = numbered_untagged_kind(line);
    if (mail_announced_) outcome = IdleOutcome::new_mail;
    if (kind == "EXPUNGE") outcome = IdleOutcome::expunged;
    if (starts_with_ci(line, "* BYE"))
      throw MailError(Stage::protocol, "server closed: " + clip(line));
  }
  write_all("DONE\r\n");
  expect_ok(read_until_tagged(tag), Stage::protocol, "IDLE");
  return outcome;
}

void ImapConnection::logout() {
  try {
    auto tag = send_command("LOGOUT");
    read_until_tagged(tag);
  } catch (const std::exception&) {
    // The server may close first; either way the session is over.
  }
}

std::string ImapConnection::send_command(const std::string& text) {
  auto tag = "a" + std::to_string(next_tag_++);
  write_all(tag + " " + text + "\r\n");
  return tag;
}

ImapConnection::Reply ImapConnection::read_until_tagged(
    const std::string& tag, const std::function<void(const std::string&)>& on_untagged) {
  for (std::size_t lines = 0;; ++lines) {
    if (lines > kMaxUntaggedLines)
      throw MailError(Stage::protocol, "the server sent too many lines for one command");
    auto line = read_line();
    if (line.starts_with(tag + " ")) {
      auto rest = line.substr(tag.size() + 1);
      auto sp = rest.find(' ');
      Reply r{upper(rest.substr(0, sp)), sp == std::string::npos ? "" : rest.substr(sp + 1)};
      return r;
    }
    if (auto size = literal_size(line)) {  // unasked-for data: skipped, within reason
      if (*size > kMaxLineBytes) throw MailError(Stage::protocol, "unexpected large literal");
      read_exact(static_cast<std::size_t>(*size), nullptr);
    }
    note_capabilities(line);
    if (starts_with_ci(line, "* BYE"))
      throw MailError(Stage::protocol, "server closed: " + clip(line));
    if (on_untagged) on_untagged(line);
  }
}

ImapConnection::Reply ImapConnection::command(
    const std::string& text, const std::function<void(const std::string&)>& on_untagged) {
  auto tag = send_command(text);
  return read_until_tagged(tag, on_untagged);
}

void ImapConnection::expect_ok(const Reply& r, Stage stage, const std::string& what) {
  if (r.status != "OK") throw MailError(stage, what + " failed: " + clip(r.text));
}

}  // namespace sb::mailbox
