// Reading PostgreSQL arrays in their text form ("{a,"b c",NULL}") and the space-separated
// vector forms of int2vector / oidvector ("1 2 3"), as catalog columns store them. Pure;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgw {

struct ArrayElement {
  std::string text;
  bool null = false;  // an unquoted NULL
};

// The elements of a one-dimensional array in text or vector form.
std::vector<ArrayElement> ArrayElements(std::string_view s);

}  // namespace pgw
