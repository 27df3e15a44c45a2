// E-mail inbox settings: the mailbox (IMAP, SMTP), the mail identity, a
// connection test that says what failed, and the poller's status. Admins only;
// passwords go in and never come out.
#include <stdexcept>

#include "api/abuse.h"
#include "api/routes.h"
#include "http/http.h"
#include "mail_channel/mail_channel.h"

namespace sb {
namespace {

namespace json = boost::json;

// A refused setting is the admin's to fix: 422 with every problem in words.
template <class F>
json::object settings_call(F&& f) {
  try {
    return f();
  } catch (const std::invalid_argument& e) {
    throw HttpError(422, "invalid_settings", e.what());
  }
}

http::Response get_settings(const MailServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  return http::json(200, svc.channel.settings(admin.workspace_id, parse_id(p[0])));
}

http::Response put_settings(const MailServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  Id inbox = parse_id(p[0]);
  auto before = svc.channel.settings(admin.workspace_id, inbox);
  json::value body = parse_json_object(req.body);
  auto after =
      settings_call([&] { return svc.channel.save_settings(admin.workspace_id, inbox, body); });
  svc.audit.record(admin, req, "inbox.email", "inbox", std::to_string(inbox), before, after);
  return http::json(200, after);
}

http::Response test_settings(const MailServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  enforce_rate(svc.abuse.mail_tests, std::to_string(admin.workspace_id), svc.env.now_ms());
  Id inbox = parse_id(p[0]);
  std::optional<json::value> body;
  if (!req.body.empty()) body = parse_json_object(req.body);
  return http::json(200, settings_call([&] {
                      return svc.channel.test(admin.workspace_id, inbox, body ? &*body : nullptr);
                    }));
}

http::Response status(const MailServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  return http::json(200, svc.channel.status(admin.workspace_id, parse_id(p[0])));
}

}  // namespace

void add_mail_routes(Router& r, const MailServices& svc) {
  r.add(Access::kAdmin, "GET", "/api/v1/inboxes/:id/email", with(svc, get_settings));
  r.add(Access::kAdmin, "PUT", "/api/v1/inboxes/:id/email", with(svc, put_settings));
  r.add(Access::kAdmin, "POST", "/api/v1/inboxes/:id/email/test", with(svc, test_settings));
  r.add(Access::kAdmin, "GET", "/api/v1/inboxes/:id/email/status", with(svc, status));
}

}  // namespace sb
