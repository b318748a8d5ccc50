// Compiles Asio's implementation once for the whole program (ASIO_SEPARATE_COMPILATION), so
// every other translation unit includes only declarations: faster builds on small machines.
// The TLS part (asio/ssl) likewise.
#include <asio/impl/src.hpp>
#include <asio/ssl/impl/src.hpp>
