// Asio 1.22 (Debian 12) keeps as_tuple in experimental; one alias here so call sites read the
// same as with newer Asio, where it is asio::as_tuple.
#pragma once

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

namespace pgw {
inline constexpr auto kUseTuple = asio::experimental::as_tuple(asio::use_awaitable);
}  // namespace pgw
