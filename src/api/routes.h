// Part of api/, exported by api/api.h: the route tables. Each handler family
// registers its routes with the services and store facets it uses, and nothing
// else; the server builds them (server/server.cc).
#pragma once

#include "realtime/realtime.h"
#include "router.h"

namespace sb {

class Knowledge;
class LanguageDetection;
struct Abuse;
class Bot;
class SlaService;

// GET /healthz (liveness: the process answers), /readyz (readiness: 200 or 503,
// per check) and /metrics (loopback, or the metrics token). The probes are
// public and carry no workspace data.
struct Readyz {
  bool ready = false;
  boost::json::object body;
};
struct HealthServices {
  const LanguageDetection& languages;
  Metrics& metrics;
  const ServerConfig& config;
  std::function<Readyz()> readiness;  // cheap: reads state kept in memory
  std::function<bool()> draining;
};
void add_health_routes(Router& r, const HealthServices& svc);

struct AuthServices {
  Authenticator& auth;
  AuditLog& audit;
  DirectoryStore& directory;
  AccessStore& access;
  RoutingStore& routing;
  LiveRouting& live;
  Hub& hub;
  Abuse& abuse;
  Metrics& metrics;
  const ServerConfig& config;
  Env& env;  // the clock, random bytes and files
};
void add_auth_routes(Router& r, const AuthServices& svc);

class MailChannel;
struct WidgetServices {
  Authenticator& auth;
  Messaging& messaging;
  Uploads& uploads;
  InboxStatus& inboxes;
  LiveRouting& live;
  Bot& bot;
  const LanguageDetection& languages;
  VisitorKeys& visitor_keys;
  Abuse& abuse;
  ConversationStore& conversations;
  DirectoryStore& directory;
  KnowledgeStore& kb;
  MailChannel& mail;
  ContactStore& contacts;  // details the visitor gives in the chat (progressive pre-chat)
  TimeZones& time_zones;   // call-back windows in the inbox's zone
  Hub& hub;                // "visitor_page" frames to the agents viewing the conversation
  Env& env;                // the clock, random bytes and files
};
void add_widget_routes(Router& r, const WidgetServices& svc);

struct ConsoleServices {
  Authenticator& auth;
  AuditLog& audit;
  Messaging& messaging;
  Uploads& uploads;
  ConversationStore& conversations;
  RoutingStore& routing;
};
void add_console_routes(Router& r, const ConsoleServices& svc);

struct TicketServices {
  Authenticator& auth;
  AuditLog& audit;
  ConversationStore& conversations;
  RoutingStore& routing;
  DirectoryStore& directory;
  TicketStore& tickets;
  SlaStore& sla;               // the watch of each listed ticket (its time left)
  ComplaintStore& complaints;  // which listed tickets are complaints
  Env& env;                    // the clock
};
void add_ticket_routes(Router& r, const TicketServices& svc);
// The follow-up timer's pass: announces what is due (a note on the ticket, a
// `ticket_follow_up` frame to its assignee); returns how many.
int announce_follow_ups(TicketStore& tickets, Hub& hub, Millis now);
struct ComplaintServices {
  Authenticator& auth;
  AuditLog& audit;
  ConversationStore& conversations;
  ComplaintStore& complaints;
  Hub& hub;  // "complaint" frames to the agents viewing the conversation
  Env& env;  // the clock
};
void add_complaint_routes(Router& r, const ComplaintServices& svc);

// The etiquette coach (api_coach.cc, docs/COACH.md).
class CoachCache;
std::shared_ptr<CoachCache> make_coach_cache();
struct CoachServices {
  Authenticator& auth;
  AuditLog& audit;
  ConversationStore& conversations;
  CoachStore& coach;
  Env& env;  // the clock
  std::shared_ptr<CoachCache> cache;
};
void add_coach_routes(Router& r, const CoachServices& svc);

// Satisfaction: the end-of-chat rating, its settings, CSAT (api_surveys.cc).
struct SurveyServices {
  Authenticator& auth;
  AuditLog& audit;
  ConversationStore& conversations;
  SurveyStore& surveys;
  TimeZones& time_zones;  // the NPS report's days
  Env& env;               // the clock, link tokens
};
void add_survey_routes(Router& r, const SurveyServices& svc);
// NPS and custom surveys (api_survey_forms.cc).
void add_survey_form_routes(Router& r, const SurveyServices& svc);

// Canned answers (api_canned.cc).
struct CannedServices {
  Authenticator& auth;
  AuditLog& audit;
  ConversationStore& conversations;
  DirectoryStore& directory;  // the agent's teams, the inbox and workspace for variables
  RoutingStore& routing;      // the workspace's teams
  CannedStore& canned;
  ScriptStore& scripts;
  Uploads& uploads;       // canned answers' files
  TimeZones& time_zones;  // {{inbox.hours_today}}
  Env& env;               // the clock
};
void add_canned_routes(Router& r, const CannedServices& svc);
// Scripts (api_scripts.cc): the same services.
void add_script_routes(Router& r, const CannedServices& svc);

// Reports (api_reports.cc).
struct ReportServices {
  Authenticator& auth;
  DirectoryStore& directory;  // agents' names and status
  ReportStore& reports;
  TimeZones& time_zones;  // ?tz=
  Env& env;               // the clock
};
void add_report_routes(Router& r, const ReportServices& svc);

struct MailServices {
  Authenticator& auth;
  AuditLog& audit;
  MailChannel& channel;
  Abuse& abuse;
  Env& env;
  Messaging& messaging;              // replies pass the checks every message passes
  ConversationStore& conversations;  // who may see a ticket
  MailStore& mail;                   // a ticket's mail as stored
};
void add_mail_routes(Router& r, const MailServices& svc);

struct AdminServices {
  Authenticator& auth;
  AuditLog& audit;
  DirectoryStore& directory;
  AccessStore& access;
  RoutingStore& routing;
  LiveRouting& live;
  Hub& hub;
  Abuse& abuse;
  TimeZones& time_zones;
  SlaService& sla;  // told when an inbox's hours move its tickets' SLA instants
  const ServerConfig& config;
  Env& env;  // the clock, random bytes and files
};
void add_admin_routes(Router& r, const AdminServices& svc);

struct AttachmentServices {
  Authenticator& auth;
  Uploads& uploads;
  ConversationStore& conversations;
};
void add_attachment_routes(Router& r, const AttachmentServices& svc);

struct RoutingServices {
  Authenticator& auth;
  AuditLog& audit;
  DirectoryStore& directory;
  RoutingStore& routing;
  ConversationStore& conversations;
  LiveRouting& live;
  Hub& hub;
};
void add_routing_routes(Router& r, const RoutingServices& svc);

struct SlaRouteServices {
  Authenticator& auth;
  AuditLog& audit;
  SlaService& sla;
  ConversationStore& conversations;
  TicketStore& tickets;  // the breaching-soon view behind the at-risk list
  Env& env;              // the clock
};
// SLA policies and settings (admins), clocks and the at-risk list (agents), the report.
void add_sla_routes(Router& r, const SlaRouteServices& svc);

void add_simulate_routes(Router& r, Authenticator& auth);

struct KbServices {
  Authenticator& auth;
  AuditLog& audit;
  KnowledgeStore& kb;
  DirectoryStore& directory;
  Knowledge& knowledge;
  Bot& bot;
  Env& env;  // the clock, random bytes and files
};
void add_kb_routes(Router& r, const KbServices& svc);

struct AuditServices {
  Authenticator& auth;
  AuditLog& audit;
  AccessStore& access;
};
void add_audit_routes(Router& r, const AuditServices& svc);

struct TwoFactorServices {
  Authenticator& auth;
  AuditLog& audit;
  DirectoryStore& directory;
  Abuse& abuse;
  Env& env;  // the clock, random bytes and files
};
void add_two_factor_routes(Router& r, const TwoFactorServices& svc);
// At sign-in, for an agent with two-factor sign-in on: the "otp" field must hold a
// fresh code or an unused recovery code (401 otp_required / otp_invalid).
void check_second_factor(const TwoFactorServices& svc, const Agent& agent,
                         const boost::json::object& body, const http::Request& req);

struct TokenServices {
  Authenticator& auth;
  AuditLog& audit;
  AccessStore& access;
  Env& env;  // the clock, random bytes and files
};
void add_token_routes(Router& r, const TokenServices& svc);

struct WorkspaceServices {
  Authenticator& auth;
  AuditLog& audit;
  DirectoryStore& directory;
  Abuse& abuse;
};
void add_workspace_routes(Router& r, const WorkspaceServices& svc);

struct ContactServices {
  Authenticator& auth;
  AuditLog& audit;
  ContactStore& contacts;
};
void add_contact_routes(Router& r, const ContactServices& svc);

struct GdprServices {
  Authenticator& auth;
  AuditLog& audit;
  PrivacyStore& privacy;
  Uploads& uploads;
  Env& env;  // the clock, random bytes and files
};
void add_gdpr_routes(Router& r, const GdprServices& svc);

struct SearchServices {
  Authenticator& auth;
  SearchStore& search;
};
void add_search_routes(Router& r, const SearchServices& svc);
// Deletes closed conversations past their workspace's retention (bounded per call);
// returns how many.
int purge_expired_conversations(PrivacyStore& privacy, const Uploads& uploads, Millis now);

// Uploads never sent in a message are deleted after this long.
constexpr Millis kOrphanUploadMs = 24LL * 3600 * 1000;
// The web root, for what the router does not route.
http::Response serve_static(const ServerConfig& config, const http::Request& req);
// POST .../conversations/{id}/messages for either side: 201, or 200 for a repeated client id.
http::Response message_response(Messaging& messaging, const Actor& actor, const http::Request& req,
                                const std::string& id);
// Its answer: 201 with the stored event, 200 with the first one for a repeated client id.
http::Response message_answer(const AppendResult& stored);
// GET .../conversations/{id}/events?after=N for either side (visitors never see notes).
http::Response conversation_events(ConversationStore& store, const Actor& actor,
                                   const http::Request& req, const std::string& id);

}  // namespace sb
