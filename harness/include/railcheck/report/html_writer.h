// Writing an HTML5 page without a template engine: elements opened and closed in order, every text and
// attribute value escaped. What it writes is also well-formed XML (void elements as `<meta ... />`, every
// other element with its end tag, even when empty), so tests read it back with an XML parser and an HTML
// parser reads it as written. Inline SVG goes through the same writer.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace railcheck::report {

/// One attribute; an empty name is skipped, so optional attributes can sit in one list.
using Attribute = std::pair<std::string_view, std::string>;

/// `text` with & < > " ' as character references, control characters other than tab / newline as spaces.
std::string escape_html(std::string_view text);

class HtmlWriter {
 public:
  /// `<!DOCTYPE html>` and nothing else yet.
  HtmlWriter();

  /// `<tag attrs>`; closed by close(). Tags are not checked: callers pass literals.
  HtmlWriter& open(std::string_view tag, std::initializer_list<Attribute> attributes = {});
  HtmlWriter& open(std::string_view tag, const std::vector<Attribute>& attributes);
  /// The end tag of the innermost open element.
  HtmlWriter& close();
  /// `<tag attrs>text</tag>` in one call.
  HtmlWriter& element(std::string_view tag, std::string_view text, std::initializer_list<Attribute> attributes = {});
  HtmlWriter& element(std::string_view tag, std::string_view text, const std::vector<Attribute>& attributes);
  /// A void element (`meta`, `col`) or an SVG shape with no content: `<tag attrs />`.
  HtmlWriter& empty(std::string_view tag, std::initializer_list<Attribute> attributes = {});
  HtmlWriter& empty(std::string_view tag, const std::vector<Attribute>& attributes);
  /// Escaped text inside the innermost open element.
  HtmlWriter& text(std::string_view text);
  /// Text written as it is: only for the page's own style sheet, which holds no data.
  HtmlWriter& raw(std::string_view text);

  /// The page; every open element closed first.
  std::string finish();

 private:
  void start_tag(std::string_view tag, const Attribute* begin, const Attribute* end, bool self_closing);
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace railcheck::report
