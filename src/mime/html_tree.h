// gumbo, bounded: the parse tree of untrusted HTML and a walk over it that does
// not recurse (a mail can nest thousands of tags).
#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>
#include <vector>

namespace sb::mime::detail {

// At most this many tags, nested at most this deep (estimated before parsing),
// are parsed; the rest of the HTML is cut off. That keeps gumbo's time and its
// own recursive tree teardown bounded.
constexpr std::size_t kMaxHtmlTags = 20000;
constexpr std::size_t kMaxHtmlDepth = 500;

class HtmlTree {
 public:
  explicit HtmlTree(std::string_view html);
  ~HtmlTree();
  HtmlTree(const HtmlTree&) = delete;
  HtmlTree& operator=(const HtmlTree&) = delete;

  // The <body> element (gumbo always makes one).
  const GumboNode* body() const;

 private:
  std::string html_;
  GumboOutput* output_ = nullptr;
};

// The lower-case tag name, also for tags gumbo does not know.
std::string tag_name(const GumboNode* node);

const GumboVector* children_of(const GumboNode* node);

// Depth-first: enter(node, depth) says whether to go into its children;
// leave(node) follows the children of every node entered.
template <class Enter, class Leave>
void visit(const GumboNode* root, Enter&& enter, Leave&& leave) {
  struct Frame {
    const GumboNode* node;
    unsigned next;
  };
  std::vector<Frame> stack;
  if (!root || !enter(root, 0)) return;
  stack.push_back({root, 0});
  while (!stack.empty()) {
    const GumboNode* node = stack.back().node;
    const GumboVector* children = children_of(node);
    if (children && stack.back().next < children->length) {
      auto* child = static_cast<const GumboNode*>(children->data[stack.back().next++]);
      if (enter(child, stack.size())) stack.push_back({child, 0});
    } else {
      leave(node);
      stack.pop_back();
    }
  }
}

}  // namespace sb::mime::detail
