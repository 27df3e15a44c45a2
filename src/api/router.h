// Part of api/, exported by api/api.h: maps method + path to a handler; turns HttpError and
// StoreError into JSON errors so handlers stay straight-line code.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "services.h"

namespace sb {

using Params = std::vector<std::string>;  // the ":x" segments of the route, in order
using Handler = std::function<http::Response(const http::Request&, const Params&)>;

// Bodies anonymous callers may send; larger ones need the route's admission first.
constexpr std::size_t kAnonymousBodyBytes = 128 * 1024;
constexpr std::size_t kDefaultBodyBytes = 1024 * 1024;

// Who may send a large body, checked from the headers alone; throws HttpError to refuse.
using Admit = std::function<void(const http::Request&)>;
struct BodyRule {
  std::size_t limit = kDefaultBodyBytes;
  bool to_file = false;  // streamed to <data_dir>/files/incoming, never held in memory
  Admit admit;           // default: a signed-in agent (with CSRF token)
  // Bodies of /api/ routes must say application/json, so a cross-site form or a
  // text/plain fetch (neither preflighted) cannot post to them. Uploads stream
  // any type; the KB import also takes text/csv.
  bool csv_too = false;
};

// What to do with a request's body, decided from its header before reading it.
struct BodyPlan {
  std::optional<http::Response> refusal;  // answer this and read nothing
  std::size_t limit = 0;
  bool to_file = false;
  bool needs_admission = false;  // run admit() (it may read the database) first
};

// Who may call a route. The router checks it before the handler runs; handlers
// check what depends on the object (workspace, scope, ownership). The table is
// served at GET /api/v1/routes and drives the authorization matrix test.
enum class Access {
  kPublic,          // anyone (the handler may still check a key or token of its own)
  kVisitor,         // a visitor token
  kAgentOrVisitor,  // either (attachments)
  kSelf,            // any signed-in agent, also one who must first set up two-factor sign-in
  kAgent,           // any signed-in agent
  kSupervisor,      // supervisors and admins
  kAdmin,
  kSuperAdmin,  // the installation's operator: creates workspaces
};
std::string_view to_string(Access a);

// A request whose only blocking work is one stored event (a visitor's message):
// checked on the I/O thread, written without blocking a thread, answered from
// what was stored.
struct AppendPlan {
  NewEvent event;
  std::function<http::Response(const AppendResult&)> answer;
};
// nullopt: this request needs the database to be checked; the route's Handler
// answers it on a worker instead.
using AppendHandler = std::function<std::optional<AppendPlan>(const http::Request&, const Params&)>;

struct RouteInfo {
  std::string method, pattern;
  Access access;
};

class Router {
 public:
  // `files` answers what is not routed (the web root). Registers GET /api/v1/routes;
  // each handler family registers its own routes (routes.h).
  Router(Authenticator& auth, Metrics& metrics,
         std::function<http::Response(const http::Request&)> files);
  void add(Access access, std::string method, std::string pattern, Handler h, BodyRule body = {});
  // Also answerable through an AppendPlan (for the common case; `h` for the rest).
  void add(Access access, std::string method, std::string pattern, Handler h, AppendHandler fast);
  std::vector<RouteInfo> table() const;
  http::Response handle(const http::Request& req);  // on a worker: it may block
  // On the I/O thread, CPU only: an error answer, the append to make, or nullopt
  // (then handle() on a worker). After the append: answer_append().
  std::optional<std::variant<http::Response, AppendPlan>> plan_append(const http::Request& req);
  http::Response answer_append(const http::Request& req, const AppendPlan& plan,
                               std::exception_ptr error, const AppendResult& stored,
                               std::chrono::steady_clock::time_point started);
  // `declared`: Content-Length, nullopt when chunked. Cheap: no database.
  BodyPlan plan_body(const http::Request& head, std::optional<std::uint64_t> declared) const;
  // The route's admission for a large body; a refusal, or nullopt to read it.
  std::optional<http::Response> admit(const http::Request& head);

 private:
  struct Route {
    Access access;
    std::string method, pattern;
    std::vector<std::string> segments;
    Handler handler;
    BodyRule body;
    AppendHandler fast;
  };
  http::Response logged(const http::Request& req, http::Response resp,
                        std::chrono::steady_clock::time_point started);
  const Route* find(const http::Request& req, bool& path_known) const;
  Params admitted(const Route& route, const http::Request& req) const;
  http::Response respond(const http::Request& req, const std::function<http::Response()>& f);
  Authenticator& auth_;
  Metrics& metrics_;
  std::function<http::Response(const http::Request&)> files_;
  std::vector<Route> routes_;
};

// A handler of a family that works with `Services`, bound to them.
template <class Services>
Handler with(const Services& svc,
             http::Response (*f)(const Services&, const http::Request&, const Params&)) {
  return [svc, f](const http::Request& req, const Params& p) { return f(svc, req, p); };
}
template <class Services>
AppendHandler with(const Services& svc,
                   std::optional<AppendPlan> (*f)(const Services&, const http::Request&,
                                                  const Params&)) {
  return [svc, f](const http::Request& req, const Params& p) { return f(svc, req, p); };
}
template <class Services>
Admit with(const Services& svc, void (*f)(const Services&, const http::Request&)) {
  return [svc, f](const http::Request& req) { f(svc, req); };
}

}  // namespace sb
