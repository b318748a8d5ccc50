// Internal to src/types: helpers shared by the type table and the declared-type parser.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace pgw {

// Lower-cases (outside double quotes), trims, collapses runs of whitespace to one space and
// drops spaces next to '(', ',', '[' and before ')' so "VARCHAR ( 20 )" becomes "varchar(20)".
std::string NormalizeTypeName(std::string_view name);

}  // namespace pgw
