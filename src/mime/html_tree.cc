#include "mime/html_tree.h"

#include <algorithm>
#include <cctype>

namespace sb::mime::detail {

namespace {

std::string_view bounded(std::string_view html) {
  std::size_t tags = 0;
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '<' && ++tags > kMaxHtmlTags) return html.substr(0, i);
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
