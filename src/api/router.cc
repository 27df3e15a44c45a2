#include <chrono>
#include <sstream>

#include "api/routes.h"
#include "bot/bot.h"
#include "http/http.h"

namespace sb {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& parts,
           Params& params) {
  if (pattern.size() != parts.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!pattern[i].empty() && pattern[i][0] == ':')
      params.push_back(parts[i]);
    else if (pattern[i] != parts[i])
      return false;
  }
  return true;
}

int status_of(StoreError::Code c) {
  switch (c) {
    case StoreError::Code::kNotFound:
      return 404;
    case StoreError::Code::kConflict:
      return 409;
    case StoreError::Code::kInvalid:
      return 400;
    case StoreError::Code::kInternal:
      return 500;
  }
  return 500;
}

std::string_view code_of(StoreError::Code c) {
  switch (c) {
    case StoreError::Code::kNotFound:
      return "not_found";
    case StoreError::Code::kConflict:
      return "conflict";
    case StoreError::Code::kInvalid:
      return "bad_request";
    case StoreError::Code::kInternal:
      return "internal";
  }
  return "internal";
}

bool is_loopback(std::string_view ip) {
  return ip.rfind("127.", 0) == 0 || ip == "::1" || ip.rfind("::ffff:127.", 0) == 0;
}

// Metrics reveal traffic and names of things: loopback only, or the configured token.
void check_metrics_access(const ServerConfig& config, const http::Request& req) {
  if (config.metrics_token.empty()) {
    if (!is_loopback(req.remote))
      throw HttpError(403, "forbidden", "metrics are served to loopback or with --metrics-token");
    return;
  }
  auto auth = req.header("authorization");
  if (auth.rfind("Bearer ", 0) != 0 ||
      !security::constant_time_equal(std::string_view(auth).substr(7), config.metrics_token))
    throw HttpError(401, "unauthenticated", "metrics need the Bearer token");
}

// Everything else is a static file.
bool is_routed(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path.rfind("/help/", 0) == 0 || path == "/healthz" ||
         path == "/readyz" || path == "/metrics";
}

// Probes describe this moment: no cache in between may answer for them.
http::Response no_store(http::Response r) {
  r.header("Cache-Control", "no-store");
  return r;
}

void add_cors(http::Response& r) {
  r.header("Access-Control-Allow-Origin", "*");
  r.header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Filename");
  r.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  r.header("Access-Control-Max-Age", "600");
  r.header("Access-Control-Expose-Headers", "Retry-After");
}

// API tokens act for their agent on the API, not on the agent's own account:
// no new tokens, passwords, sessions or second factors with a token.
void check_token_reach(Authenticator& auth, Access access, const http::Request& req) {
  if (access == Access::kPublic || access == Access::kVisitor) return;
  auto agent = auth.agent_from_cookie(req);
  if (!agent || !agent->api_token) return;
  bool own_account = req.path.rfind("/api/v1/me/", 0) == 0 || access == Access::kSelf;
  if (own_account && !(req.method == "GET" && req.path == "/api/v1/me"))
    throw HttpError(403, "not_with_token", "sign in to the console for this; API tokens cannot");
}

std::string media_type(const http::Request& req) {
  auto type = lower_ascii(req.header("content-type"));
  return trim(type.substr(0, type.find(';')));
}

void check_body_type(const BodyRule& rule, const http::Request& req) {
  if (req.body.empty() || rule.to_file || req.path.rfind("/api/", 0) != 0) return;
  auto type = media_type(req);
  if (type == "application/json" || (rule.csv_too && type == "text/csv")) return;
  throw HttpError(415, "unsupported_media_type", "send the body as application/json");
}

void check_access(Authenticator& auth, Access access, const http::Request& req) {
  check_token_reach(auth, access, req);
  switch (access) {
    case Access::kPublic:
      return;
    case Access::kVisitor:
      auth.require_visitor(req);
      return;
    case Access::kAgentOrVisitor: {
      auto agent = auth.agent_from_cookie(req);
      if (!agent) auth.require_visitor(req);
      if (agent && agent->restricted)
        throw HttpError(403, "two_factor_required",
                        "set up two-factor sign-in first: this workspace requires it");
      return;
    }
    case Access::kSelf:
      auth.require_agent(req);
      return;
    case Access::kAgent:
    case Access::kSupervisor:
    case Access::kAdmin:
    case Access::kSuperAdmin: {
      auto a = access == Access::kAgent        ? auth.require_agent(req)
               : access == Access::kSupervisor ? auth.require_supervisor(req)
                                               : auth.require_admin(req);
      if (access == Access::kSuperAdmin && !a.super_admin)
        throw HttpError(403, "forbidden", "only the installation's super-admins may do this");
      if (a.restricted)
        throw HttpError(403, "two_factor_required",
                        "set up two-factor sign-in first: this workspace requires it");
      return;
    }
  }
}

}  // namespace

std::string_view to_string(Access a) {
  switch (a) {
    case Access::kPublic:
      return "public";
    case Access::kVisitor:
      return "visitor";
    case Access::kAgentOrVisitor:
      return "agent_or_visitor";
    case Access::kSelf:
      return "self";
    case Access::kAgent:
      return "agent";
    case Access::kSupervisor:
      return "supervisor";
    case Access::kAdmin:
      return "admin";
    case Access::kSuperAdmin:
      return "super_admin";
  }
  return "admin";
}

void add_health_routes(Router& r, const HealthServices& svc) {
  // Alive while it answers, draining or not: a supervisor must not kill a drain.
  r.add(Access::kPublic, "GET", "/healthz", [svc](const http::Request&, const Params&) {
    return no_store(http::json(200, {{"status", "ok"},
                                     {"draining", svc.draining()},
                                     {"language_detection", svc.languages.state()}}));
  });
  r.add(Access::kPublic, "GET", "/readyz", [svc](const http::Request&, const Params&) {
    auto ready = svc.readiness();
    return no_store(http::json(ready.ready ? 200 : 503, ready.body));
  });
  // Public in the table: it has its own rule (loopback or the metrics token).
  r.add(Access::kPublic, "GET", "/metrics",
        [&metrics = svc.metrics, &config = svc.config](const http::Request& req, const Params&) {
          check_metrics_access(config, req);
          http::Response resp;
          resp.body = metrics.render();
          resp.header("Content-Type", "text/plain; version=0.0.4");
          return resp;
        });
}

Router::Router(Authenticator& auth, Metrics& metrics,
               std::function<http::Response(const http::Request&)> files)
    : auth_(auth), metrics_(metrics), files_(std::move(files)) {
  add(Access::kAdmin, "GET", "/api/v1/routes", [this](const http::Request&, const Params&) {
    boost::json::array out;
    for (const auto& r : table())
      out.push_back({{"method", r.method}, {"path", r.pattern}, {"access", to_string(r.access)}});
    return http::json(200, {{"routes", out}});
  });
}

void Router::add(Access access, std::string method, std::string pattern, Handler h, BodyRule body) {
  auto segments = split_path(pattern);
  routes_.push_back({access, std::move(method), std::move(pattern), std::move(segments),
                     std::move(h), std::move(body)});
}

void Router::add(Access access, std::string method, std::string pattern, Handler h,
                 AppendHandler fast) {
  add(access, std::move(method), std::move(pattern), std::move(h));
  routes_.back().fast = std::move(fast);
}

std::vector<RouteInfo> Router::table() const {
  std::vector<RouteInfo> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern, r.access});
  return out;
}

const Router::Route* Router::find(const http::Request& req, bool& path_known) const {
  auto parts = split_path(req.path);
  Params params;
  path_known = false;
  for (const auto& r : routes_) {
    if (!match(r.segments, parts, params)) continue;
    path_known = true;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) return &r;
  }
  return nullptr;
}

BodyPlan Router::plan_body(const http::Request& head, std::optional<std::uint64_t> declared) const {
  BodyPlan plan;
  if (declared == 0u) return plan;
  BodyRule rule{kAnonymousBodyBytes};
  bool path_known = false;
  const Route* route = nullptr;
  if (is_routed(head.path) && !(head.method == "OPTIONS")) {
    route = find(head, path_known);
    if (!route) {
      plan.refusal = path_known ? http::error(405, "method_not_allowed",
                                              head.method + " is not allowed on " + head.path)
                                : http::error(404, "not_found", "no such endpoint: " + head.path);
      return plan;
    }
    rule = route->body;
  }
  if (declared && *declared > rule.limit) {
    plan.refusal =
        http::error(413, "too_large",
                    "request body is larger than " + std::to_string(rule.limit / 1024) + " KiB");
    return plan;
  }
  plan.limit = rule.limit;
  plan.to_file = rule.to_file;
  plan.needs_admission = route && (rule.to_file || !declared || *declared > kAnonymousBodyBytes);
  return plan;
}

std::optional<http::Response> Router::admit(const http::Request& head) {
  bool path_known = false;
  const Route* route = find(head, path_known);
  if (!route) return std::nullopt;
  auto resp = respond(head, [&] {
    if (route->body.admit)
      route->body.admit(head);
    else
      auth_.require_agent(head);
    return http::Response{};
  });
  if (resp.status == 200) return std::nullopt;
  return resp;
}

// The route's access and body type checked (HttpError otherwise): its parameters.
Params Router::admitted(const Route& route, const http::Request& req) const {
  check_access(auth_, route.access, req);
  check_body_type(route.body, req);
  Params params;
  match(route.segments, split_path(req.path), params);
  return params;
}

std::optional<std::variant<http::Response, AppendPlan>> Router::plan_append(
    const http::Request& req) {
  if (!is_routed(req.path)) return std::nullopt;
  bool path_known = false;
  const Route* found = find(req, path_known);
  if (!found || !found->fast) return std::nullopt;
  auto started = std::chrono::steady_clock::now();
  ActorMemo memo(req);
  std::optional<AppendPlan> plan;
  bool checked = false;
  auto refusal = respond(req, [&] {
    plan = found->fast(req, admitted(*found, req));
    checked = true;
    return http::Response{};
  });
  if (plan) return std::move(*plan);
  if (checked) return std::nullopt;  // its check needs the database: a worker's
  metrics_.http_requests.fetch_add(1, std::memory_order_relaxed);
  return logged(req, std::move(refusal), started);
}

http::Response Router::answer_append(const http::Request& req, const AppendPlan& plan,
                                     std::exception_ptr error, const AppendResult& stored,
                                     std::chrono::steady_clock::time_point started) {
  metrics_.http_requests.fetch_add(1, std::memory_order_relaxed);
  auto resp = respond(req, [&] {
    if (error) std::rethrow_exception(error);
    return plan.answer(stored);
  });
  return logged(req, std::move(resp), started);
}

http::Response Router::handle(const http::Request& req) {
  auto started = std::chrono::steady_clock::now();
  metrics_.http_requests.fetch_add(1, std::memory_order_relaxed);
  ActorMemo memo(req);
  auto resp = respond(req, [&] {
    if (!is_routed(req.path)) return files_(req);
    bool path_known = false;
    const Route* found = find(req, path_known);
    if (found) {
      return found->handler(req, admitted(*found, req));
    }
    if (path_known)
      return http::error(405, "method_not_allowed", req.method + " is not allowed on " + req.path);
    return http::error(404, "not_found", "no such endpoint: " + req.path);
  });
  return logged(req, std::move(resp), started);
}

http::Response Router::logged(const http::Request& req, http::Response resp,
                              std::chrono::steady_clock::time_point started) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  started);
  log_json({{"level", resp.status >= 500 ? "error" : "info"},
            {"msg", "http"},
            {"method", req.method},
            {"path", req.path},
            {"status", resp.status},
            {"us", us.count()},
            {"remote", req.remote}});
  return resp;
}

// Runs f, turning errors into JSON answers, with CORS on the widget's API.
http::Response Router::respond(const http::Request& req, const std::function<http::Response()>& f) {
  bool widget_api =
      req.path.rfind("/api/v1/widget/", 0) == 0 || req.path.rfind("/api/v1/attachments/", 0) == 0;
  http::Response resp;
  try {
    if (req.method == "OPTIONS" && widget_api)
      resp.status = 204;
    else
      resp = f();
  } catch (const HttpError& e) {
    resp = http::error(e.status, e.code, e.what());
    if (e.retry_after_s > 0) resp.header("Retry-After", std::to_string(e.retry_after_s));
  } catch (const StoreError& e) {
    // Database errors stay in the log: their text names tables and SQL.
    bool internal = e.code() == StoreError::Code::kInternal;
    resp =
        http::error(status_of(e.code()), code_of(e.code()), internal ? "internal error" : e.what());
    if (internal)
      log_json(
          {{"level", "error"}, {"msg", "store failed"}, {"path", req.path}, {"error", e.what()}});
  } catch (const std::exception& e) {
    resp = http::error(500, "internal", "internal error");
    log_json(
        {{"level", "error"}, {"msg", "handler failed"}, {"path", req.path}, {"error", e.what()}});
  }
  if (widget_api) add_cors(resp);
  if (resp.status == 429) metrics_.rate_limited.fetch_add(1, std::memory_order_relaxed);
  if (resp.status >= 500) metrics_.http_errors.fetch_add(1, std::memory_order_relaxed);
  return resp;
}

}  // namespace sb
