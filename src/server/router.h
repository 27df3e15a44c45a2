// Private to server/: maps method + path to a handler; turns HttpError and
// StoreError into JSON errors so handlers stay straight-line code.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/context.h"

namespace sb {

using Params = std::vector<std::string>;  // the ":x" segments of the route, in order
using Handler = std::function<http::Response(Context&, const http::Request&, const Params&)>;

class Router {
 public:
  explicit Router(Context& ctx);
  void add(std::string method, std::string pattern, Handler h);
  http::Response handle(const http::Request& req);

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  Context& ctx_;
  std::vector<Route> routes_;
};

// Each api_*.cc registers its routes.
void add_auth_routes(Router& r);
void add_widget_routes(Router& r);
void add_console_routes(Router& r);
void add_admin_routes(Router& r);
void add_attachment_routes(Router& r);
void add_simulate_routes(Router& r);
void add_routing_routes(Router& r);
void add_kb_routes(Router& r);
void add_help_center_routes(Router& r);
// Uploads and downloads, shared by widget and console.
http::Response store_upload(Context& ctx, const Actor& actor, const http::Request& req);
http::Response serve_static(Context& ctx, const http::Request& req);
// POST .../conversations/{id}/messages for either side: 201, or 200 for a repeated client id.
http::Response message_response(Context& ctx, const Actor& actor, const http::Request& req,
                                const std::string& id);
// GET .../conversations/{id}/events?after=N for either side (visitors never see notes).
http::Response conversation_events(Context& ctx, const Actor& actor, const http::Request& req,
                                   const std::string& id);

}  // namespace sb
