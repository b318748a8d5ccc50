// PostgreSQL array text forms (array_text.h).
#include "types/array_text.h"

namespace pgw {

std::vector<ArrayElement> ArrayElements(std::string_view s) {
  std::vector<ArrayElement> out;
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size()) return out;
  if (s[i] != '{') {  // int2vector / oidvector: space separated
    while (i < s.size()) {
      size_t j = s.find(' ', i);
      if (j == std::string_view::npos) j = s.size();
      if (j > i) out.push_back({std::string(s.substr(i, j - i)), false});
      i = j + 1;
    }
    return out;
  }
  ++i;
  while (i < s.size() && s[i] != '}') {
    ArrayElement e;
    if (s[i] == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        e.text += s[i];
      }
      ++i;
    } else {
      while (i < s.size() && s[i] != ',' && s[i] != '}') e.text += s[i++];
      while (!e.text.empty() && e.text.back() == ' ') e.text.pop_back();
      e.null = e.text == "NULL";
    }
    out.push_back(std::move(e));
    while (i < s.size() && s[i] != ',' && s[i] != '}') ++i;
    if (i < s.size() && s[i] == ',') ++i;
  }
  return out;
}

}  // namespace pgw
