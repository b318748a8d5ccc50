// Gives "relation/column does not exist" errors the cursor position PostgreSQL reports, when
// the backend (which only sees translated SQL) could not: the first occurrence of the name as
// a whole identifier outside string literals and comments in the client's statement text.
#pragma once

#include <string_view>

#include "common/status.h"

namespace pgw {

// If `st` is 42P01/42703/42883 without a position, sets the 1-based character position of the
// named object in `sql` (unchanged when the name is not found).
void LocateUndefinedName(Status* st, std::string_view sql);

}  // namespace pgw
