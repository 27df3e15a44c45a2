// Two-factor sign-in (TOTP, RFC 6238) for agents: set up with an authenticator
// app, ten one-time recovery codes, turned off with the password; admins can
// require it for the workspace and reset it for an agent who lost their phone.
#include "api/abuse.h"
#include "api/routes.h"
#include "http/http.h"
#include "totp/totp.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr int kRecoveryCodes = 10;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// Recovery codes are typed by people: case, spaces and dashes do not matter.
std::string normalized_code(std::string_view typed) {
  std::string out;
  for (char c : typed)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Ten codes like "7KQ2-M9XD-TR4P"; only their hashes are kept.
std::vector<std::string> new_recovery_codes(Env& env, TwoFactor& tf) {
  static const char* kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // no 0/O, 1/I/L
  std::vector<std::string> codes;
  tf.recovery_hashes.clear();
  for (int i = 0; i < kRecoveryCodes; ++i) {
    auto random = from_hex(env.random_hex(12));
    std::string code;
    for (std::size_t k = 0; k < random.size(); ++k) {
      if (k && k % 4 == 0) code += '-';
      code += kAlphabet[static_cast<unsigned char>(random[k]) % 31];
    }
    tf.recovery_hashes.push_back(security::sha256_hex(normalized_code(code)));
    codes.push_back(code);
  }
  return codes;
}

bool second_factor_ok(DirectoryStore& directory, const Agent& a, const std::string& typed,
                      Millis now) {
  if (typed.size() == 6 && std::all_of(typed.begin(), typed.end(), ::isdigit)) {
    auto step =
        totp::verify(from_hex(a.two_factor.secret_hex), typed, now / 1000, a.two_factor.last_step);
    return step && directory.use_totp_step(a.workspace_id, a.id, *step);
  }
  auto code = normalized_code(typed);
  return code.size() == 12 &&
         directory.use_recovery_code(a.workspace_id, a.id, security::sha256_hex(code));
}

Agent me_agent(const TwoFactorServices& svc, const Actor& me) {
  auto a = svc.directory.get_agent(me.workspace_id, me.agent_id);
  if (!a) throw HttpError(404, "not_found", "agent not found");
  return *a;
}

std::string code_field(const json::object& body) {
  auto code = trim(json_string(body, "code").value_or(""));
  if (code.empty() || code.size() > 40) throw HttpError(400, "bad_request", "code is required");
  return code;
}

// A fresh secret, not active until a code from it is confirmed.
http::Response setup(const TwoFactorServices& svc, const http::Request& req, const Params&) {
  auto me = svc.auth.require_agent(req);
  auto a = me_agent(svc, me);
  if (a.two_factor.enabled())
    throw HttpError(409, "conflict", "two-factor sign-in is already on; turn it off first");
  a.two_factor.pending_hex = svc.env.random_hex(20);
  svc.directory.set_two_factor(a.workspace_id, a.id, a.two_factor);
  auto ws = svc.directory.get_workspace(a.workspace_id);
  auto secret = from_hex(a.two_factor.pending_hex);
  auto issuer = "Switchboard" + (ws ? " (" + ws->name + ")" : std::string());
  return http::json(200, {{"secret", totp::base32(secret)},
                          {"otpauth_url", totp::otpauth_url(issuer, a.email, secret)}});
}

http::Response enable(const TwoFactorServices& svc, const http::Request& req, const Params&) {
  auto me = svc.auth.require_agent(req);
  auto code = code_field(parse_json_object(req.body));
  auto a = me_agent(svc, me);
  if (a.two_factor.pending_hex.empty())
    throw HttpError(409, "conflict", "start the setup first (POST /api/v1/me/2fa/setup)");
  auto step = totp::verify(from_hex(a.two_factor.pending_hex), code, svc.env.now_ms() / 1000, 0);
  if (!step)
    throw HttpError(400, "otp_invalid", "that code does not match: check the phone's clock");
  a.two_factor.secret_hex = a.two_factor.pending_hex;
  a.two_factor.pending_hex.clear();
  a.two_factor.enabled_at = svc.env.now_ms();
  a.two_factor.last_step = *step;
  auto codes = new_recovery_codes(svc.env, a.two_factor);
  svc.directory.set_two_factor(a.workspace_id, a.id, a.two_factor);
  svc.directory.unrestrict_session(security::sha256_hex(req.cookie(kSessionCookie).value_or("")));
  svc.audit.record(me, req, "auth.2fa_enable", "agent", std::to_string(a.id));
  return http::json(200, {{"enabled", true}, {"recovery_codes", json::value_from(codes)}});
}

// Needs the password (it is what a thief with an open session lacks).
http::Response disable(const TwoFactorServices& svc, const http::Request& req, const Params&) {
  auto me = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  auto a = me_agent(svc, me);
  if (!a.two_factor.enabled()) throw HttpError(409, "conflict", "two-factor sign-in is off");
  auto ws = svc.directory.get_workspace(a.workspace_id);
  if (ws && ws->require_2fa)
    throw HttpError(409, "required", "this workspace requires two-factor sign-in");
  auto password = json_string(body, "password").value_or("");
  bool ok = with_password_slot(
      svc.abuse, [&] { return security::verify_password(a.password_hash, password); });
  if (!ok) throw HttpError(403, "wrong_password", "the password is wrong");
  svc.directory.set_two_factor(a.workspace_id, a.id, TwoFactor{});
  svc.audit.record(me, req, "auth.2fa_disable", "agent", std::to_string(a.id));
  return http::json(200, {{"enabled", false}});
}

// New recovery codes (the old ones stop working), with a current code as proof.
http::Response recovery_codes(const TwoFactorServices& svc, const http::Request& req,
                              const Params&) {
  auto me = svc.auth.require_agent(req);
  auto code = code_field(parse_json_object(req.body));
  auto a = me_agent(svc, me);
  if (!a.two_factor.enabled()) throw HttpError(409, "conflict", "two-factor sign-in is off");
  if (!second_factor_ok(svc.directory, a, code, svc.env.now_ms()))
    throw HttpError(400, "otp_invalid", "wrong or already used code");
  a = me_agent(svc, me);  // the step just used
  auto codes = new_recovery_codes(svc.env, a.two_factor);
  svc.directory.set_two_factor(a.workspace_id, a.id, a.two_factor);
  svc.audit.record(me, req, "auth.2fa_recovery_codes", "agent", std::to_string(a.id));
  return http::json(200, {{"recovery_codes", json::value_from(codes)}});
}

json::object security_view(const TwoFactorServices& svc, Id ws) {
  auto w = svc.directory.get_workspace(ws);
  int without = 0;
  for (const auto& a : svc.directory.list_agents(ws))
    without += a.active() && !a.two_factor.enabled();
  return {{"require_2fa", w && w->require_2fa}, {"agents_without_2fa", without}};
}

http::Response get_security(const TwoFactorServices& svc, const http::Request& req, const Params&) {
  return http::json(200, security_view(svc, svc.auth.require_admin(req).workspace_id));
}

http::Response put_security(const TwoFactorServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  auto* v = body.if_contains("require_2fa");
  if (!v || !v->is_bool()) throw HttpError(400, "bad_request", "require_2fa must be true or false");
  if (v->as_bool() && !me_agent(svc, admin).two_factor.enabled())
    throw HttpError(409, "own_two_factor_first",
                    "set up your own two-factor sign-in first, or you would lock yourself out");
  auto before = security_view(svc, admin.workspace_id);
  svc.directory.set_require_2fa(admin.workspace_id, v->as_bool());
  auto after = security_view(svc, admin.workspace_id);
  svc.audit.record(admin, req, "workspace.security", "workspace",
                   std::to_string(admin.workspace_id), before, after);
  return http::json(200, after);
}

}  // namespace

void check_second_factor(const TwoFactorServices& svc, const Agent& agent, const json::object& body,
                         const http::Request& req) {
  if (!agent.two_factor.enabled()) return;
  auto typed = trim(json_string(body, "otp").value_or(""));
  if (typed.empty())
    throw HttpError(401, "otp_required", "enter the code from your authenticator app");
  auto now = svc.env.now_ms();
  if (typed.size() <= 40 && second_factor_ok(svc.directory, agent, typed, now)) return;
  svc.abuse.login_account.fail(lower_ascii(agent.email), now);
  svc.abuse.login_ip.fail(req.remote, now);
  svc.audit.record(actor_of(agent), req, "auth.otp_failed", "agent", std::to_string(agent.id));
  throw HttpError(401, "otp_invalid", "wrong or already used code");
}

void add_two_factor_routes(Router& r, const TwoFactorServices& svc) {
  r.add(Access::kSelf, "POST", "/api/v1/me/2fa/setup", with(svc, setup));
  r.add(Access::kSelf, "POST", "/api/v1/me/2fa/enable", with(svc, enable));
  r.add(Access::kAgent, "POST", "/api/v1/me/2fa/disable", with(svc, disable));
  r.add(Access::kAgent, "POST", "/api/v1/me/2fa/recovery-codes", with(svc, recovery_codes));
  r.add(Access::kAdmin, "GET", "/api/v1/admin/security", with(svc, get_security));
  r.add(Access::kAdmin, "PUT", "/api/v1/admin/security", with(svc, put_security));
}

}  // namespace sb
