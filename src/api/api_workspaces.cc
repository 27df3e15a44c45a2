// Workspaces, for the installation's super-admins: list them and create one with
// its first admin and inbox (what `switchboard init` does), from the console.
#include "api/abuse.h"
#include "api/routes.h"
#include "http/http.h"
#include "server/server.h"

namespace sb {
namespace {

namespace json = boost::json;

std::string field(const json::object& body, std::string_view key, std::size_t max) {
  auto v = trim(json_string(body, key).value_or(""));
  if (v.empty() || v.size() > max)
    throw HttpError(400, "bad_request", std::string(key) + " is required");
  return v;
}

http::Response list(const WorkspaceServices& svc, const http::Request& req, const Params&) {
  svc.auth.require_admin(req);
  json::array out;
  for (const auto& w : svc.directory.list_workspaces())
    out.push_back({{"id", w.id},
                   {"name", w.name},
                   {"help_center", "/help/" + w.slug},
                   {"require_2fa", w.require_2fa},
                   {"agents", svc.directory.list_agents(w.id).size()}});
  return http::json(200, {{"workspaces", out}});
}

http::Response create(const WorkspaceServices& svc, const http::Request& req, const Params&) {
  auto super = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  auto name = field(body, "name", 200);
  Agent admin;
  admin.role = "admin";
  admin.name = field(body, "admin_name", 200);
  admin.email = field(body, "admin_email", 254);
  if (!is_valid_email(admin.email))
    throw HttpError(400, "bad_request", "admin_email is not a valid address");
  auto password = json_string(body, "admin_password").value_or("");
  if (password.size() < 8 || password.size() > 1024)
    throw HttpError(400, "bad_request", "admin_password must have 8 to 1024 characters");
  admin.password_hash =
      with_password_slot(svc.abuse, [&] { return security::hash_password(password); });
  Inbox inbox;
  inbox.name = name;
  inbox.public_key = random_inbox_key();
  auto made = svc.directory.create_workspace(name, admin, inbox);
  json::object view{{"workspace_id", made.workspace_id},
                    {"name", name},
                    {"admin_id", made.admin.id},
                    {"inbox_key", made.inbox.public_key}};
  svc.audit.record(super, req, "workspace.create", "workspace", std::to_string(made.workspace_id),
                   nullptr, view);
  // The new workspace's own log starts with who made it.
  Actor in_new = super;
  in_new.workspace_id = made.workspace_id;
  svc.audit.record(in_new, req, "workspace.create", "workspace", std::to_string(made.workspace_id),
                   nullptr, view);
  return http::json(201, view);
}

}  // namespace

void add_workspace_routes(Router& r, const WorkspaceServices& svc) {
  r.add(Access::kSuperAdmin, "GET", "/api/v1/workspaces", with(svc, list));
  r.add(Access::kSuperAdmin, "POST", "/api/v1/workspaces", with(svc, create));
}

}  // namespace sb
