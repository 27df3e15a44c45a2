// Private to helpcenter/: builds one help-center HTML page. Everything that came
// from a user or an admin goes through html_escape (titles, queries, form
// values) or cmark's safe renderer (article bodies).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "http/http.h"
#include "kb/kb.h"
#include "store/store.h"

namespace sb {

std::string html_escape(std::string_view s);

class HelpPage {
 public:
  HelpPage(std::string site_name, std::string slug, std::string lang, std::string title);
  // /help/<slug>/<path>?lang=<lang>
  std::string link(const std::string& path, std::string_view lang = "") const;
  void raw(const std::string& html);  // already safe HTML
  // The page the language links lead to (an article's translations share its
  // path); the help center's home by default.
  void set_here(std::string path) { here_ = std::move(path); }
  void search_box(const std::string& query);
  void back_link();
  void contact_link();
  void notice(std::string_view text);
  void vote_box(const KbArticle& a, bool voted);
  void contact_form(const std::map<std::string, std::string>& form, const std::string& error);
  void suggestions(const std::vector<const KbArticle*>& articles,
                   const std::map<std::string, std::string>& form, Id deflection);
  http::Response response(int status) const;

 private:
  std::string t(std::string_view key) const;
  std::string hidden_fields(const std::map<std::string, std::string>& form) const;
  std::string site_, slug_, lang_, title_, body_, here_;
};

}  // namespace sb
