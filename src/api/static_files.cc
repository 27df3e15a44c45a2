// Files: uploads to <data_dir>/files, downloads with safe headers, and the
// static web root (widget, console SPA, demo pages).
#include "api/static_files.h"

#include <filesystem>
#include <fstream>

#include "api/routes.h"
#include "http/http.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

std::string mime_of(const fs::path& p) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}};
  auto ext = p.extension().string();
  for (auto [e, t] : kTypes)
    if (ext == e) return t;
  return "application/octet-stream";
}

// Declared images must really be images: browsers would otherwise render
// whatever bytes a visitor uploaded under our origin.
bool bytes_match_type(std::string_view type, std::string_view b) {
  if (type == "image/png") return b.substr(0, 8) == "\x89PNG\r\n\x1a\n";
  if (type == "image/jpeg") return b.substr(0, 3) == "\xff\xd8\xff";
  if (type == "image/gif") return b.substr(0, 4) == "GIF8";
  if (type == "image/webp")
    return b.size() > 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP";
  if (type == "application/pdf") return b.substr(0, 5) == "%PDF-";
  return true;
}

// Bidirectional controls make "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
bool is_bidi_control_at(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  if (b(0) == 0xD8 && b(1) == 0x9C) return true;  // U+061C
  if (b(0) != 0xE2) return false;
  if (b(1) == 0x80) return b(2) == 0x8E || b(2) == 0x8F || (b(2) >= 0xAA && b(2) <= 0xAE);
  return b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9;  // U+2066..2069
}

std::string clean_filename(std::string name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (is_bidi_control_at(name, i)) {
      i += static_cast<unsigned char>(c) == 0xD8 ? 1 : 2;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x20 && c != '/' && c != '\\' && c != '"' && c != 0x7f)
      out.push_back(c);
  }
  if (out.size() > 200) out.resize(200);
  if (out.empty() || out == "." || out == ".." || !is_valid_utf8(out)) out = "file";
  return out;
}

std::string rfc5987(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_')
      out.push_back(static_cast<char>(c));
    else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

http::Response download(const AttachmentServices& svc, const http::Request& req, const Params& p) {
  std::optional<Actor> who = svc.auth.agent_from_cookie(req);
  if (!who) who = svc.auth.require_visitor(req);
  auto a = svc.conversations.get_attachment(who->workspace_id, p[0]);
  if (!a || !may_download_attachment(svc.conversations, *who, *a))
    throw HttpError(404, "not_found", "attachment not found");
  http::Response r;
  if (auto kept = svc.uploads.kept_bytes(*a))
    r.body = std::move(*kept);
  else
    r.file_path = svc.uploads.file_of(*a).string();
  r.header("Content-Type", a->content_type);
  r.header("X-Content-Type-Options", "nosniff");
  r.header("Content-Security-Policy", "sandbox; default-src 'none'");
  r.header("Cache-Control", "private, max-age=86400");
  auto disposition = is_inline_image_type(a->content_type) ? "inline" : "attachment";
  r.header("Content-Disposition",
           std::string(disposition) + "; filename*=UTF-8''" + rfc5987(a->name));
  return r;
}

// The first bytes of the streamed upload, for the content check.
std::string file_start(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

}  // namespace

http::Response Uploads::store(const Actor& actor, const http::Request& req) {
  auto type = req.header("content-type");
  type = trim(type.substr(0, type.find(';')));
  std::error_code ec;
  auto size = req.body_file.empty() ? 0 : fs::file_size(req.body_file, ec);
  if (ec || size == 0) throw HttpError(400, "bad_request", "the upload is empty");
  if (size > kMaxUploadBytes) throw HttpError(413, "too_large", "files may be at most 10 MiB");
  if (!is_allowed_upload_type(type))
    throw HttpError(415, "unsupported_type", "files of type " + type + " are not accepted");
  if (!bytes_match_type(type, file_start(req.body_file)))
    throw HttpError(415, "unsupported_type", "the file content does not match " + type);

  Attachment a{env_.random_hex(16),
               actor.workspace_id,
               clean_filename(http::url_decode(req.header("x-filename"))),
               type,
               static_cast<std::int64_t>(size),
               env_.now_ms(),
               uploader_of(actor)};
  auto path = file_of(a);
  // Same file system (data_dir/files): a rename.
  if (!env_.rename_file(req.body_file, path.string()))
    throw HttpError(500, "internal", "could not store the file");
  store_.save_attachment(a);
  return http::json(201, views::attachment(a));
}

// The console runs only its own script and styles, talks only to its origin
// and is never framed (clickjacking). Other pages (the demo shop) host the
// widget, whose Shadow DOM styles are inline.
constexpr const char* kConsolePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-src 'self'; frame-ancestors 'none'";
constexpr const char* kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'self'";

// A request path becomes a file only if, after decoding and resolving every
// symlink, it is still inside the web root and outside the data directory. The
// path is hostile: it may be absolute, doubled ("//etc/passwd"), encoded
// ("%2e%2e", "%2f"), or name a symlink that leads out of the root.
std::optional<fs::path> static_relative_path(std::string_view url_path) {
  auto decoded = percent_decode_path(url_path);
  if (!decoded || decoded->find('\0') != std::string::npos ||
      decoded->find('\\') != std::string::npos)
    return std::nullopt;
  fs::path relative;
  std::string_view rest = *decoded;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment.front() == '.') return std::nullopt;  // "..", and hidden files such as .git
    relative /= std::string(segment);
  }
  return relative;
}

std::optional<fs::path> resolve_static_path(const fs::path& root, std::string_view url_path,
                                            const fs::path& forbidden) {
  auto relative = static_relative_path(url_path);
  if (root.empty() || !relative) return std::nullopt;
  std::error_code ec;
  auto real = fs::canonical(root / *relative, ec);  // the existing file, every link followed
  if (ec || !is_within(root, real)) return std::nullopt;
  if (!forbidden.empty() && is_within(forbidden, real)) return std::nullopt;
  return real;
}

bool is_within(const fs::path& root, const fs::path& p) {
  auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end() || (std::next(r) == root.end() && r->empty());  // "root/" too
}

std::optional<std::string> percent_decode_path(std::string_view s) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) return std::nullopt;
    out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
    i += 2;
  }
  return out;
}

namespace {

// The precompressed sibling the client takes (brotli before gzip), held to the
// same rules as the file itself (inside the root, not a link out of it).
std::pair<fs::path, std::string> encoded_variant(const fs::path& root, const fs::path& data,
                                                 const fs::path& file,
                                                 std::string_view accept_encoding) {
  for (auto [coding, ext] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
    if (!accepts_encoding(accept_encoding, coding)) continue;
    std::error_code ec;
    auto sibling = fs::canonical(file.string() + ext, ec);
    if (ec || !is_within(root, sibling) || (!data.empty() && is_within(data, sibling)) ||
        !fs::is_regular_file(sibling, ec))
      continue;
    return {sibling, coding};
  }
  return {file, ""};
}

}  // namespace

http::Response serve_static(const ServerConfig& config, const http::Request& req) {
  if (req.method != "GET" && req.method != "HEAD")
    return http::error(405, "method_not_allowed", "static files are read-only");
  if (req.path == "/") {
    http::Response r;
    r.status = 302;
    r.header("Location", "/console/");
    return r;
  }
  const fs::path root = config.web_root_real, data = config.data_dir_real;
  std::error_code ec;
  auto file = resolve_static_path(root, req.path, data);
  if (file && fs::is_directory(*file, ec))
    file = resolve_static_path(root, req.path + "/index.html", data);
  bool console = req.path.rfind("/console", 0) == 0;
  bool survey = req.path.rfind("/s/", 0) == 0;     // a survey link: /s/<token>
  bool refused = !static_relative_path(req.path);  // no SPA page for an attack either
  if ((!file || !fs::is_regular_file(*file, ec)) && (console || survey) && !refused)
    file = resolve_static_path(root, console ? "/console/index.html" : "/survey/index.html",
                               data);  // SPA routes
  if (!file || !fs::is_regular_file(*file, ec)) return http::not_found("page");
  auto [sent, coding] = encoded_variant(root, data, *file, req.header("accept-encoding"));
  auto etag = static_etag(sent, coding);
  http::Response r;
  r.header("ETag", etag);
  r.header("Cache-Control", static_cache_control(*file));
  r.header("Vary", "Accept-Encoding");
  if (etag_matches(req.header("if-none-match"), etag)) {
    r.status = 304;
    return r;
  }
  r.file_path = sent.string();
  if (!coding.empty()) r.header("Content-Encoding", coding);
  r.header("Content-Type", mime_of(*file));
  r.header("X-Content-Type-Options", "nosniff");
  if (file->extension() == ".html") {
    r.header("Content-Security-Policy", console || survey ? kConsolePolicy : kPagePolicy);
    if (console || survey) r.header("X-Frame-Options", "DENY");
  }
  return r;
}

fs::path Uploads::file_of(const Attachment& a) const {
  return files_ / std::to_string(a.workspace_id) / a.id;
}

std::optional<std::string> Uploads::kept_bytes(const Attachment& a) const {
  return store_.attachment_bytes(a.workspace_id, a.id);
}

void Uploads::remove(const std::vector<Attachment>& files) const {
  for (const auto& a : files) env_.remove_file(file_of(a).string());
}

Attachment Uploads::copy(const Actor& actor, const Attachment& a) const {
  Attachment c{env_.random_hex(16), actor.workspace_id, a.name, a.content_type, a.size,
               env_.now_ms(),       uploader_of(actor)};
  std::error_code ec;
  fs::create_hard_link(file_of(a), file_of(c), ec);
  if (ec) {
    ec.clear();
    fs::copy_file(file_of(a), file_of(c), ec);
  }
  if (ec) throw HttpError(500, "internal", "could not copy the file " + a.name);
  store_.save_attachment(c);
  return c;
}

void Uploads::sweep(Millis now) {
  std::error_code ec;
  auto incoming = this->incoming();
  const auto stale = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& e : fs::directory_iterator(incoming, ec))
    if (e.path().extension() == ".part" && e.last_write_time(ec) < stale) fs::remove(e.path(), ec);
  remove(store_.delete_orphan_attachments(now - kOrphanUploadMs));
}

void add_attachment_routes(Router& r, const AttachmentServices& svc) {
  r.add(Access::kAgentOrVisitor, "GET", "/api/v1/attachments/:id", with(svc, download));
}

}  // namespace sb
