// The text an agent reads when a mail has only HTML.
#include <set>

#include "mime/html_tree.h"
#include "mime/mime.h"

namespace sb::mime {

namespace {

using detail::tag_name;

bool is_hidden(const std::string& tag) {
  static const std::set<std::string, std::less<>> kHidden = {
      "script", "style",  "head",   "title", "template", "noscript", "svg",
      "math",   "iframe", "object", "embed", "select",   "textarea"};
  return kHidden.count(tag) > 0;
}

// Paragraph-like blocks stand apart from their neighbours by an empty line.
bool is_paragraph(const std::string& tag) {
  return tag == "p" || tag == "blockquote" || tag == "pre" || tag == "table" || tag == "ul" ||
         tag == "ol" || (tag.size() == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6');
}

bool is_block(const std::string& tag) {
  static const std::set<std::string, std::less<>> kBlocks = {
      "p",       "div",     "li",      "tr",     "h1",   "h2",  "h3",         "h4",
      "h5",      "h6",      "table",   "ul",     "ol",   "pre", "blockquote", "hr",
      "section", "article", "header",  "footer", "dd",   "dt",  "dl",         "address",
      "center",  "form",    "caption", "figure", "main", "nav", "aside"};
  return kBlocks.count(tag) > 0;
}

class TextWriter {
 public:
  void text(std::string_view s, bool preformatted) {
    for (char c : s) {
      bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
      if (preformatted) {
        if (c != '\r') put(c);
      } else if (space) {
        pending_space_ = true;
      } else {
        if (pending_space_ && !out_.empty() && out_.back() != '\n' && out_.back() != ' ')
          out_.push_back(' ');
        pending_space_ = false;
        out_.push_back(c);
      }
    }
  }
  // <br>: always a new line.
  void line_break() {
    pending_space_ = false;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_.push_back('\n');
  }
  // A block starts or ends: on a line of its own, without piling up empty lines.
  void end_line() {
    if (!out_.empty() && out_.back() != '\n') line_break();
    pending_space_ = false;
  }
  void blank_line() {
    end_line();
    if (out_.size() >= 2 && out_[out_.size() - 2] != '\n') out_.push_back('\n');
  }
  void raw(std::string_view s) {
    pending_space_ = false;
    out_ += s;
  }
  void separate() { pending_space_ = true; }
  std::string finish();

 private:
  void put(char c) {
    pending_space_ = false;
    out_.push_back(c);
  }
  std::string out_;
  bool pending_space_ = false;
};

// At most one blank line in a row; no space at line ends; none at either end.
std::string TextWriter::finish() {
  std::string tidy;
  int newlines = 0;
  for (char c : out_) {
    if (c == '\n') {
      while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
      if (++newlines > 2 || tidy.empty()) continue;
    } else {
      newlines = 0;
    }
    tidy.push_back(c);
  }
  while (!tidy.empty() && (tidy.back() == '\n' || tidy.back() == ' ')) tidy.pop_back();
  return tidy;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  detail::HtmlTree tree(html);
  TextWriter out;
  int preformatted = 0;
  auto enter = [&](const GumboNode* node, std::size_t) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        out.text(node->v.text.text, preformatted > 0);
        return false;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        std::string tag = tag_name(node);
        if (is_hidden(tag)) return false;
        if (tag == "pre") ++preformatted;
        if (tag == "br") out.line_break();
        if (is_paragraph(tag))
          out.blank_line();
        else if (is_block(tag))
          out.end_line();
        if (tag == "li") out.raw("- ");
        if (tag == "td" || tag == "th") out.separate();
        return true;
      }
      case GUMBO_NODE_DOCUMENT:
        return true;
      default:
        return false;
    }
  };
  auto leave = [&](const GumboNode* node) {
    std::string tag = tag_name(node);
    if (tag == "pre") --preformatted;
    if (is_paragraph(tag))
      out.blank_line();
    else if (is_block(tag))
      out.end_line();
  };
  detail::visit(tree.body(), enter, leave);
  return out.finish();
}

}  // namespace sb::mime
