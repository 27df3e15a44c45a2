#include "mime/html_tree.h"

#include <algorithm>
#include <cctype>

namespace sb::mime::detail {

namespace {

// Tags that are void or whose end tag is optional do not deepen the tree for
// long (the parser closes them), so they are not counted as nesting.
bool nests(std::string_view name) {
  static constexpr std::string_view kFlat[] = {
      "br",   "img",    "hr",    "meta",  "link",  "input",    "wbr",    "col",
      "area", "base",   "p",     "li",    "td",    "th",       "tr",     "dt",
      "dd",   "option", "thead", "tbody", "tfoot", "colgroup", "source", "param"};
  return std::find(std::begin(kFlat), std::end(kFlat), name) == std::end(kFlat);
}

// gumbo's scope checks walk the open elements, so time grows with the square of
// the depth: the HTML is cut where its estimated depth or its tag count runs out.
std::string_view bounded(std::string_view html) {
  std::size_t tags = 0, depth = 0;
  for (std::size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    if (++tags > kMaxHtmlTags) return html.substr(0, i);
    bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t start = i + (closing ? 2 : 1), end = start;
    while (end < html.size() && end - start < 16 &&
           std::isalnum(static_cast<unsigned char>(html[end])))
      ++end;
    if (end == start) continue;
    std::string name(html.substr(start, end - start));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!nests(name)) continue;
    if (closing) {
      depth -= depth > 0;
    } else if (++depth > kMaxHtmlDepth) {
      return html.substr(0, i);
    }
  }
  return html;
}

}  // namespace

HtmlTree::HtmlTree(std::string_view html) : html_(bounded(html)) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  output_ = gumbo_parse_with_options(&options, html_.data(), html_.size());
}

HtmlTree::~HtmlTree() {
  if (output_) gumbo_destroy_output(&kGumboDefaultOptions, output_);
}

const GumboNode* HtmlTree::body() const {
  if (!output_ || !output_->root) return nullptr;
  const GumboVector& children = output_->root->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY) return child;
  }
  return output_->root;
}

std::string tag_name(const GumboNode* node) {
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return {};
  const GumboElement& element = node->v.element;
  if (element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(element.tag);
  GumboStringPiece original = element.original_tag;
  gumbo_tag_from_original_text(&original);
  std::string name(original.data ? original.data : "", original.data ? original.length : 0);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

const GumboVector* children_of(const GumboNode* node) {
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
    return &node->v.element.children;
  if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
  return nullptr;
}

}  // namespace sb::mime::detail
