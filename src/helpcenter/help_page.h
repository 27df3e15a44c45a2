// Private to helpcenter/: builds one help-center HTML page. Everything that came
// from a user or an admin goes through html_escape (titles, queries, form
// values) or cmark's safe renderer (article bodies).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "http/http.h"
#include "kb/kb.h"
#include "store/store.h"

namespace sb {

std::string html_escape(std::string_view s);

// What the help center borrows from the workspace's first inbox: the widget's
// colour as the brand colour and its key, so "Chat with us" opens the widget.
struct HelpBrand {
  std::string color;       // "#rrggbb" or "#rgb"; anything else: the default blue
  std::string widget_key;  // the inbox's public key; empty: no chat button
};

// A small inline SVG (decorative) for a category, picked by words in its slug.
std::string category_icon(std::string_view slug);

class HelpPage {
 public:
  HelpPage(std::string site_name, std::string slug, std::string lang, std::string title);
  // /help/<slug>/<path>?lang=<lang>
  std::string link(const std::string& path, std::string_view lang = "") const;
  void raw(const std::string& html);  // already safe HTML
  void set_brand(HelpBrand brand) { brand_ = std::move(brand); }
  // The page the language links lead to (an article's translations share its
  // path); the help center's home by default.
  void set_here(std::string path) { here_ = std::move(path); }
  // The coloured band under the header: a heading and the big search box.
  void hero(std::string_view heading, const std::string& query);
  void search_box(const std::string& query);
  // Help center › ... : (path, text) pairs, the last one the current page (no link).
  void breadcrumbs(const std::vector<std::pair<std::string, std::string>>& trail);
  // "Still need help?": Chat with us (when there is a widget) and the contact form.
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
  std::string header() const;
  std::string brand_style() const;
  std::string site_, slug_, lang_, title_, body_, here_, hero_;
  HelpBrand brand_;
};

// The help center's own script, /help/<slug>/help.js: "Chat with us" opens the
// widget. A file, not inline, so the pages' CSP allows no inline script.
std::string_view help_script();

}  // namespace sb
