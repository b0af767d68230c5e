#include "railcheck/report/html_writer.h"

namespace railcheck::report {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ? ' ' : c;
    }
  }
  return out;
}

HtmlWriter::HtmlWriter() : out_("<!DOCTYPE html>\n") {}

void HtmlWriter::start_tag(std::string_view tag, const Attribute* begin, const Attribute* end, bool self_closing) {
  out_ += '<';
  out_ += tag;
  for (const Attribute* a = begin; a != end; ++a) {
    if (a->first.empty()) continue;
    out_ += ' ';
    out_ += a->first;
    out_ += "=\"";
    out_ += escape_html(a->second);
    out_ += '"';
  }
  out_ += self_closing ? " />" : ">";
}

HtmlWriter& HtmlWriter::open(std::string_view tag, std::initializer_list<Attribute> attributes) {
  start_tag(tag, attributes.begin(), attributes.end(), false);
  open_.emplace_back(tag);
  return *this;
}

HtmlWriter& HtmlWriter::open(std::string_view tag, const std::vector<Attribute>& attributes) {
  start_tag(tag, attributes.data(), attributes.data() + attributes.size(), false);
  open_.emplace_back(tag);
  return *this;
}

HtmlWriter& HtmlWriter::close() {
  if (open_.empty()) return *this;
  out_ += "</" + open_.back() + ">";
  if (open_.back() != "span" && open_.back() != "a" && open_.back() != "b" && open_.back() != "code") out_ += '\n';
  open_.pop_back();
  return *this;
}

HtmlWriter& HtmlWriter::element(std::string_view tag, std::string_view text,
                                std::initializer_list<Attribute> attributes) {
  open(tag, attributes);
  out_ += escape_html(text);
  return close();
}

HtmlWriter& HtmlWriter::element(std::string_view tag, std::string_view text, const std::vector<Attribute>& attributes) {
  open(tag, attributes);
  out_ += escape_html(text);
  return close();
}

HtmlWriter& HtmlWriter::empty(std::string_view tag, std::initializer_list<Attribute> attributes) {
  start_tag(tag, attributes.begin(), attributes.end(), true);
  return *this;
}

HtmlWriter& HtmlWriter::empty(std::string_view tag, const std::vector<Attribute>& attributes) {
  start_tag(tag, attributes.data(), attributes.data() + attributes.size(), true);
  return *this;
}

HtmlWriter& HtmlWriter::text(std::string_view text) {
  out_ += escape_html(text);
  return *this;
}

HtmlWriter& HtmlWriter::raw(std::string_view text) {
  out_ += text;
  return *this;
}

std::string HtmlWriter::finish() {
  while (!open_.empty()) close();
  return std::move(out_);
}

}  // namespace railcheck::report
