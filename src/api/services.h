// Part of api/, exported by api/api.h: the services handlers share, one concern
// each, built once by the server. Each takes only the store facets and helpers it
// uses, and the clock where it needs the time.
#pragma once

#include <filesystem>

#include "context.h"
#include "env/env.h"

namespace sb {

class VisitorKeys;
struct Abuse;

// Who is calling: a session cookie (+ CSRF header) or a personal API token for
// agents, a signed visitor token for visitors.
class Authenticator {
 public:
  Authenticator(AccessStore& access, DirectoryStore& directory, VisitorKeys& keys, ClockFn clock);
  // The agent of a session cookie, or of a personal API token (Bearer sbp_...).
  std::optional<Actor> agent_from_cookie(const http::Request& req);
  Actor require_agent(const http::Request& req);       // 401, and 403 csrf on unsafe methods
  Actor require_supervisor(const http::Request& req);  // supervisors and admins
  Actor require_admin(const http::Request& req);
  Actor require_visitor(const http::Request& req);  // Bearer token or ?visitor_token=
  std::optional<Actor> visitor_from_token(std::string_view token);

 private:
  std::optional<Actor> agent_from_api_token(const http::Request& req, std::string_view secret);
  AccessStore& access_;
  DirectoryStore& directory_;
  VisitorKeys& keys_;
  ClockFn clock_;
};

// Appends to the workspace's audit log: who (and from which IP) did what to which
// thing, with its state before and after. Never holds secrets: pass views.
class AuditLog {
 public:
  AuditLog(AccessStore& store, ClockFn clock) : store_(store), clock_(std::move(clock)) {}
  void record(const Actor& actor, const http::Request& req, std::string action,
              std::string target_type, std::string target_id, boost::json::value before = nullptr,
              boost::json::value after = nullptr);

 private:
  AccessStore& store_;
  ClockFn clock_;
};

// Messages and receipts, for REST and WebSocket alike.
class Messaging {
 public:
  Messaging(ConversationStore& store, Abuse& abuse, Metrics& metrics, ClockFn clock);
  // Validates and stores a message (body and/or attachment ids); idempotent by client_id.
  AppendResult post(const Actor& actor, Id conversation, const boost::json::object& body);
  // The two halves of post, for callers that write without blocking a thread.
  NewEvent prepare(const Actor& actor, Id conversation,
                   const boost::json::object& body);  // HttpError on bad input
  void count(const AppendResult& stored);
  // Told of a resend the store already had (set by the server in a cluster).
  std::function<void(const AppendResult&)> on_repeat;
  Conversation update_receipts(const Actor& actor, Id conversation, std::int64_t delivered,
                               std::int64_t read);

 private:
  ConversationStore& store_;
  Abuse& abuse_;
  Metrics& metrics_;
  ClockFn clock_;
};

struct InboxAvailability {
  Availability hours;
  int agents_online = 0;
  // Why nobody answers now: "holiday", "closed", "no_agents"; empty while open.
  std::string_view closed_reason() const;
};

// Whether an inbox is open now: its hours in its time zone, and agents online.
class InboxStatus {
 public:
  InboxStatus(TimeZones& zones, RoutingStore& routing, ClockFn clock)
      : zones_(zones), routing_(routing), clock_(std::move(clock)) {}
  InboxAvailability availability(const Inbox& inbox);

 private:
  TimeZones& zones_;
  RoutingStore& routing_;
  ClockFn clock_;
};

// Where and how the server is reached, fixed at start.
struct ServerConfig {
  std::string public_url;     // no trailing slash
  std::string metrics_token;  // empty: /metrics for loopback callers only
  std::vector<std::string> trusted_proxies;
  // Canonical forms, resolved once at start: static files must stay inside the
  // web root and never come from the data directory.
  std::filesystem::path web_root_real;
  std::filesystem::path data_dir_real;
  bool secure_cookies() const { return public_url.rfind("https://", 0) == 0; }
};

// Uploaded files: on disk under <data>/files/<workspace>/, described in the store
// (which keeps the bytes of small files that came by mail itself).
class Uploads {
 public:
  Uploads(ConversationStore& store, std::filesystem::path data_dir, Env& env)
      : store_(store), files_(std::move(data_dir) / "files"), env_(env) {}
  // A streamed upload (type allow-list, magic bytes, 10 MiB), owned by its uploader.
  http::Response store(const Actor& actor, const http::Request& req);
  std::filesystem::path file_of(const Attachment& a) const;
  // Small files that came by mail are kept in the store, not in file_of().
  std::optional<std::string> kept_bytes(const Attachment& a) const;
  void remove(const std::vector<Attachment>& files) const;  // erased or expired
  // A new upload of `actor` with the bytes of `a` (a canned answer's file, sent
  // as the agent's own, so each message owns its copy); a hard link when it can.
  Attachment copy(const Actor& actor, const Attachment& a) const;
  // Where bodies are streamed while they arrive (.part files) and exports are built.
  std::filesystem::path incoming() const { return files_ / "incoming"; }
  // Deletes interrupted uploads (.part older than an hour) and orphaned attachments.
  void sweep(Millis now);

 private:
  ConversationStore& store_;
  std::filesystem::path files_;
  Env& env_;  // ids, the clock, moving and removing files
};

}  // namespace sb
